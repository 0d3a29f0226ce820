"""Deterministic demo HJ 212-2017 packets from the registered (demo) pollution-source outlets: one file per outlet and
day of the latest month, 24 hourly (CN 2061) packets each, as a receiver stores them (one packet per line).

Calibrated to the outlets in seeds/ref_pollution_outlets.csv and their limits in ref_outlet_limits.csv: wastewater
outlets send COD, NH3-N, TP, pH and flow (one of them with the HJ/T 212-2005 codes old devices still use), flue-gas
outlets SO2, NOx, particulate (converted 折算 values at 30–75 % of the limit), O2 and flow. Three planted exceedance
episodes, one across midnight. Faults, recorded in the summary: maintenance (M) and fault (D) hours, hours never
sent, a packet with a corrupted CRC, one with a wrong length field, a packet split over two frames (PNUM/PNO) and a
split packet whose second half never arrived.
"""
from __future__ import annotations

import calendar
import os
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ecowarehouse import registry  # noqa: E402
from ecowarehouse.hj212.packet import build_frame as frame  # noqa: E402

WATER = [("w01018", "011", 30, 60), ("w21003", "060", 1.0, 5.0), ("w21011", "101", 0.2, 0.6), ("w01001", "001", 6.6, 8.2)]
GAS = [("a21026", 10, 40), ("a21002", 30, 90), ("a34013", 2, 10)]


def _water_factors(rng: random.Random, legacy: bool, flag: str, exceed: bool = False) -> list[str]:
    out = []
    flow = rng.uniform(5, 20)  # L/s
    for code, old, lo, hi in WATER:
        c = old if legacy else code
        value = rng.uniform(110, 130) if exceed and code == "w01018" else rng.uniform(lo, hi)
        out.append(f"{c}-Avg={value:.2f},{c}-Flag={flag}")
    c = "B01" if legacy else "w00000"
    out.append(f"{c}-Avg={flow:.2f},{c}-Cou={flow * 3.6:.2f},{c}-Flag={flag}")  # m³ in the hour = L/s × 3600 / 1000
    return out


def _gas_factors(rng: random.Random, flag: str, limits: dict[str, float], exceed: bool) -> list[str]:
    """Converted (折算) values at 30–75 % of the outlet's limit, or 120–140 % of it in a planted exceedance hour."""
    o2 = rng.uniform(8, 12)
    out = []
    for code, lo, hi in GAS:
        limit = limits.get(code)
        share = rng.uniform(1.2, 1.4) if exceed and code == "a21026" else rng.uniform(0.3, 0.75)
        zs = limit * share if limit else rng.uniform(lo, hi)
        v = zs * (21 - o2) / (21 - 9)  # HJ 212 Appendix D: C折 = C × (21 − O2 ref) / (21 − O2), reference 9 % here
        out.append(f"{code}-Avg={v:.2f},{code}-ZsAvg={zs:.2f},{code}-Flag={flag}")
    flow = rng.uniform(30, 60)
    out.append(f"a19001-Avg={o2:.1f},a19001-Flag={flag}")
    out.append(f"a00000-Avg={flow:.1f},a00000-Cou={flow * 3600:.0f},a00000-Flag={flag}")
    return out


def generate(out_dir: Path, latest_month: str = "2026-10", seed: int = 20261102) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    y, m = int(latest_month[:4]), int(latest_month[5:7])
    summary = {"files": 0, "packets": 0, "faults": {}}
    outlets = registry.rows("ref_pollution_outlets")
    limits: dict[str, dict[str, float]] = {}
    for r in registry.rows("ref_outlet_limits"):
        limits.setdefault(r["mn"], {})[r["pollutant_code"]] = float(r["limit_value"])
    last_day = calendar.monthrange(y, m)[1]
    # planted exceedances: COD at the first wastewater outlet on the 22nd 14–15 h; SO2 (converted) at the first
    # flue-gas outlet on the 18th 10–12 h and across midnight from the 25th 22 h to the 26th 00 h
    exceed_hours = {0: {(22, 14), (22, 15)}, 2: {(18, 10), (18, 11), (18, 12), (25, 22), (25, 23), (26, 0)}}
    for k, outlet in enumerate(outlets):
        rng = random.Random(f"{seed}-{outlet['mn']}")
        legacy = k == 1  # the second wastewater outlet's logger still speaks HJ/T 212-2005
        for day in range(1, last_day + 1):
            lines = []
            for hour in range(24):
                t = datetime(y, m, day, hour)
                if (day, hour) in ((7, 3), (7, 4)) and k == 0:
                    continue  # never sent: the transmission rate shows it
                flag = "N"
                if day == 12 and 9 <= hour <= 11:
                    flag = "M"  # maintenance
                elif day == 20 and hour == 15 and k >= 2:
                    flag = "D"  # analyser fault
                exceed = (day, hour) in exceed_hours.get(k, set())
                factors = (_water_factors(rng, legacy, flag, exceed) if outlet["media"] == "water"
                           else _gas_factors(rng, flag, limits.get(outlet["mn"], {}), exceed))
                qn = (t + timedelta(hours=1, seconds=12)).strftime("%Y%m%d%H%M%S") + "000"
                head = f"QN={qn};ST={outlet['st']};CN=2061;PW=123456;MN={outlet['mn']}"
                data_time = t.strftime("%Y%m%d%H%M%S")
                if k == 2 and day == 15 and hour in (6, 7):
                    # a packet split over two frames (Flag 6 = 2017 + split); the 07:00 one loses its second half
                    half = len(factors) // 2
                    parts = [factors[:half], factors[half:]]
                    for pno, part in enumerate(parts, start=1):
                        if hour == 7 and pno == 2:
                            continue
                        lines.append(frame(f"{head};Flag=6;PNUM=2;PNO={pno};CP=&&DataTime={data_time};"
                                           f"{';'.join(part)}&&"))
                    continue
                packet = frame(f"{head};Flag=4;CP=&&DataTime={data_time};{';'.join(factors)}&&")
                if k == 3 and day == 9 and hour == 13:
                    packet = packet[:-4] + ("0000" if packet[-4:] != "0000" else "FFFF")  # corrupted on the line
                if k == 3 and day == 9 and hour == 14:
                    packet = packet[:2] + f"{int(packet[2:6]) + 3:04d}" + packet[6:]  # wrong length field
                lines.append(packet)
            path = out_dir / f"hj212_{outlet['mn']}_{y}{m:02d}{day:02d}.txt"
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text("\r\n".join(lines) + "\r\n", encoding="ascii", newline="")
            os.replace(tmp, path)
            summary["files"] += 1
            summary["packets"] += len(lines)
    summary["faults"] = {
        "not_sent": "第1个废水排口 7日 03、04 时未上传", "maintenance": "各排口 12日 09—11 时标记 M（维护）",
        "fault": "废气排口 20日 15 时标记 D（故障）", "legacy_codes": "第2个废水排口使用 HJ/T 212-2005 旧编码",
        "split": "第1个废气排口 15日 06 时分两包上传，07 时只收到第1包（隔离）",
        "bad_frames": "第2个废气排口 9日 13 时 CRC 被破坏、14 时长度字段错误（隔离）",
        "exceedances": "超标事件3起：第1个废水排口 22日 14—15 时 COD；第1个废气排口 18日 10—12 时、25日 22 时—26日 00 时 "
                       "SO2 折算浓度（其余小时折算浓度为限值的 30%—75%）",
    }
    return summary


if __name__ == "__main__":
    import json

    print(json.dumps(generate(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("landing")), ensure_ascii=False, indent=1))

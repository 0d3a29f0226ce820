"""Deterministic demo data of the surface-water automatic stations in seeds/ref_water_auto_stations.csv for the latest
month, through each station's registered channel:

* ``hj212`` stations: one file per station and day of HJ 212-2017 ST=21 CN=2061 packets (hourly, or every 4 hours);
* ``platform_csv`` stations: one export of the national platform (国家地表水水质自动监测实时数据发布系统) for the month.

Calibrated to the 衢江 mainstream's usual class II–III water (DO 7–9 mg/L, CODMn 1.5–3, NH3-N 0.05–0.3, river TP
0.03–0.08, reservoir TP 0.01–0.03). Planted, and recorded in the summary: three days of NH3-N above class III at the
second packet station, a maintenance reading (M / 维护), an item the platform shows as "--", a platform row for a
section that is not registered, and one with a non-numeric value (both quarantined).
"""
from __future__ import annotations

import calendar
import csv
import io
import os
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ecowarehouse import registry  # noqa: E402
from ecowarehouse.hj212.packet import build_frame as frame  # noqa: E402

# item → (low, high) of the demo distribution; TP for reservoirs separately
RANGES = {"water_temp": (14, 22), "ph": (7.0, 8.0), "do": (7.0, 9.0), "conductivity": (90, 180),
          "turbidity": (3, 25), "codmn": (1.5, 3.0), "nh3_n": (0.05, 0.3), "tp": (0.03, 0.08), "tn": (0.8, 1.6)}
RESERVOIR_TP = (0.01, 0.03)
PLATFORM_HEADER = ["省份", "流域", "断面名称", "监测时间", "水质类别", "水温(℃)", "pH(无量纲)", "溶解氧(mg/L)",
                   "电导率(μS/cm)", "浊度(NTU)", "高锰酸盐指数(mg/L)", "氨氮(mg/L)", "总磷(mg/L)", "总氮(mg/L)",
                   "叶绿素α(mg/L)", "藻密度(cells/L)", "站点情况"]
PLATFORM_ITEMS = ["water_temp", "ph", "do", "conductivity", "turbidity", "codmn", "nh3_n", "tp", "tn"]


def _values(rng: random.Random, reservoir: bool) -> dict[str, float]:
    out = {k: rng.uniform(*v) for k, v in RANGES.items()}
    if reservoir:
        out["tp"] = rng.uniform(*RESERVOIR_TP)
    return out


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(text.encode(encoding))
    os.replace(tmp, path)


def generate(out_dir: Path, latest_month: str = "2026-10", seed: int = 20261123) -> dict:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    y, m = int(latest_month[:4]), int(latest_month[5:7])
    days = calendar.monthrange(y, m)[1]
    codes = {r["item_code"]: r["hj212_code"] for r in registry.rows("std_water_auto_items")}
    reservoirs = {r["section_code"] for r in registry.rows("ref_water_sections")
                  if r["waterbody_type"] in ("lake", "reservoir")}
    summary = {"packet_files": 0, "packets": 0, "platform_files": 0, "platform_rows": 0, "planted": {}}
    stations = registry.rows("ref_water_auto_stations")
    packet_stations = [s for s in stations if s["data_channel"] == "hj212"]
    for k, st in enumerate(packet_stations):
        rng = random.Random(f"{seed}-{st['station_code']}")
        step = int(st["sample_interval_hours"])
        for day in range(1, days + 1):
            lines = []
            for hour in range(0, 24, step):
                t = datetime(y, m, day, hour)
                vals = _values(rng, st["section_code"] in reservoirs)
                if k == 1 and day in (10, 11, 12):
                    vals["nh3_n"] = rng.uniform(1.1, 1.4)  # class IV: a pollution episode the daily class shows
                flag = "M" if (day == 5 and hour == 8) else "N"
                cp = ";".join(f"{codes[i]}-Avg={v:.3f},{codes[i]}-Flag={flag}" for i, v in vals.items())
                qn = (t + timedelta(minutes=5)).strftime("%Y%m%d%H%M%S") + "000"
                lines.append(frame(f"QN={qn};ST=21;CN=2061;PW=123456;MN={st['mn']};Flag=4;"
                                   f"CP=&&DataTime={t:%Y%m%d%H%M%S};{cp}&&"))
            _write(out_dir / f"water_auto_{st['station_code']}_{y}{m:02d}{day:02d}.txt", "\r\n".join(lines) + "\r\n",
                   "ascii")
            summary["packet_files"] += 1
            summary["packets"] += len(lines)
    rows = []
    for st in (s for s in stations if s["data_channel"] == "platform_csv"):
        rng = random.Random(f"{seed}-{st['station_code']}")
        step = int(st["sample_interval_hours"])
        for day in range(1, days + 1):
            for hour in range(0, 24, step):
                vals = _values(rng, st["section_code"] in reservoirs)
                cells = [f"{vals[i]:.2f}" if i not in ("tp", "nh3_n") else f"{vals[i]:.3f}" for i in PLATFORM_ITEMS]
                status = "正常"
                if day == 5 and hour == 8:
                    status = "维护"
                if day == 6 and hour == 12:
                    cells[PLATFORM_ITEMS.index("turbidity")] = "--"  # the platform has no value for the item
                rows.append(["浙江省", "长江流域", st["platform_name"], f"{y}-{m:02d}-{day:02d} {hour:02d}:00", "",
                             *cells, "--", "--", status])
    if rows:
        rows.append(["浙江省", "长江流域", "衢江未登记断面", f"{y}-{m:02d}-03 08:00", "II",
                     *["1.0"] * len(PLATFORM_ITEMS), "--", "--", "正常"])
        bad = list(rows[10])
        bad[3] = f"{y}-{m:02d}-02 09:00"
        bad[5 + PLATFORM_ITEMS.index("do")] = "仪器故障"
        rows.append(bad)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows([PLATFORM_HEADER, *rows])
        _write(out_dir / f"water_platform_export_{y}{m:02d}.csv", buf.getvalue())
        summary["platform_files"] = 1
        summary["platform_rows"] = len(rows)
    summary["planted"] = {
        "nh3_n_episode": "第2个数采仪自动站 10—12 日氨氮 1.1—1.4 mg/L（IV类）",
        "maintenance": "各站 5 日 08 时为维护数据（HJ 212 标记 M / 平台站点情况“维护”），不参与日均值",
        "missing_item": "平台文件 6 日 12 时浊度为“--”",
        "quarantined": "平台文件中1行断面未登记、1行溶解氧为“仪器故障”（隔离）",
    }
    return summary


if __name__ == "__main__":
    import json

    print(json.dumps(generate(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("landing")), ensure_ascii=False, indent=1))

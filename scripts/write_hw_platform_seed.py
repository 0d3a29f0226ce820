"""Write seeds/ref_hw_platform_enterprises.csv — the generators connected to the 智慧环保 monitoring platform — from
the demo hazardous-waste generator, so the seed and the demo data cannot drift apart.

The demo has no real platform register: every generator of ``generate_hazwaste.generate()`` (default seed, latest
month 2026-10) is connected except the two it reports in ``platform.not_on_platform`` (one at or above 5 t a year,
which the marts must flag under 002 task 76, and one below it, which they must leave alone). Rows are sorted by USCC;
re-running the script rewrites identical bytes (tests/test_hazwaste_marts.py checks it). Replace the file with the
platform's real register before go-live.

    python scripts/write_hw_platform_seed.py [--out seeds/ref_hw_platform_enterprises.csv]
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))
import generate_hazwaste  # noqa: E402
from ecowarehouse import registry  # noqa: E402

HEADER = ["generator_uscc", "generator_name", "county_code", "platform", "source_note"]
NOTE = "演示值：由 scripts/write_hw_platform_seed.py 按演示数据生成（演示产生单位中除 2 家未接入者外均视为已接入），上线前以平台实际接入名单替换"


def seed_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        result = generate_hazwaste.generate(Path(tmp), latest_month=generate_hazwaste.DEFAULT_LATEST_MONTH)
    codes = {r["county_name"]: r["county_code"] for r in registry.rows("ref_counties")}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for g in sorted(result["generators"], key=lambda g: g["uscc"]):
        if g["on_platform"]:
            w.writerow([g["uscc"], g["name"], codes[g["county"]], "衢州智慧环保平台", NOTE])
    return buf.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "seeds" / "ref_hw_platform_enterprises.csv")
    args = ap.parse_args(argv)
    args.out.write_bytes(seed_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""HJ 212 frames checked (length + Appendix A CRC) and data segments parsed per second, on one core.

    uv run python bench/hj212_parse.py

Input: the 40 real packets of ../shared/reference/hj212_packets.tsv repeated. Baseline in the same run: the same
bytes through `zlib.crc32` (C), to show what share of the C speed the pure-Python path reaches.
"""
from __future__ import annotations

import csv
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ecowarehouse.hj212 import check_frame, parse_segment  # noqa: E402

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "hj212_packets.tsv"


def main(repeat: int = 2500) -> None:
    with open(REF, encoding="utf-8", newline="") as fh:
        packets = [r["packet"].encode() for r in csv.DictReader(fh, delimiter="\t")] * repeat
    n = len(packets)
    avg = sum(map(len, packets)) / n
    t0 = time.perf_counter()
    valid = 0
    for p in packets:
        f = check_frame(p)
        if f.verdict != "INVALID":
            parse_segment(f.segment)
            valid += 1
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    for p in packets:
        zlib.crc32(p)
    t_c = time.perf_counter() - t0
    print(f"packets: {n} (avg {avg:.0f} bytes), valid {valid}")
    print(f"check + parse: {n / t_ours:,.0f} packets/s (target >= 100,000/s)")
    print(f"zlib.crc32 baseline (C, CRC only): {n / t_c:,.0f} packets/s; ratio ours/baseline {t_c / t_ours:.3f}x")


if __name__ == "__main__":
    main()

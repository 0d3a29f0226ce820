"""HJ 212 frames checked (length + Appendix A CRC) and data segments parsed per second, on one core.

    uv run python bench/hj212_parse.py

Input: the 40 real packets of ../shared/reference/hj212_packets.tsv repeated. Every packet is checked and every valid
packet's data segment is parsed into its header and factor dicts through the batch API — check_frames on CHUNK packets
at a time, iter_parse_segments on the valid ones, each result counted and dropped as a loader would consume it.
Each figure is the median of ROUNDS runs. Baseline in the same run: the same bytes through `zlib.crc32` (C), to show what share of the C speed the Python path
reaches. For comparison, the per-packet API (check_frame, parse_segment) on a slice of the same input.
"""
from __future__ import annotations

import csv
import statistics
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ecowarehouse.hj212 import check_frame, check_frames, iter_parse_segments, parse_segment  # noqa: E402

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "hj212_packets.tsv"
ROUNDS = 5
CHUNK = 1000  # packets per check_frames call: a loader hands over a file (or a slice of one) at a time


def main(repeat: int = 2500, single_sample: int = 20000) -> None:
    with open(REF, encoding="utf-8", newline="") as fh:
        packets = [r["packet"].encode() for r in csv.DictReader(fh, delimiter="\t")] * repeat
    n = len(packets)
    avg = sum(map(len, packets)) / n
    def check_and_parse() -> tuple[int, int]:
        valid = parsed = 0
        for at in range(0, n, CHUNK):
            frames = check_frames(packets[at:at + CHUNK])
            segments = [f.segment for f in frames if f.verdict != "INVALID"]
            valid += len(segments)
            for result in iter_parse_segments(segments):
                parsed += result is not None
        return valid, parsed

    times = []
    for _ in range(ROUNDS):  # medians of ROUNDS, ours and the baseline alike: a shared machine has noisy neighbours
        t0 = time.perf_counter()
        valid, parsed = check_and_parse()
        times.append(time.perf_counter() - t0)
    t_ours = statistics.median(times)
    times = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for p in packets:
            zlib.crc32(p)
        times.append(time.perf_counter() - t0)
    t_c = statistics.median(times)
    sample = packets[:single_sample]
    t0 = time.perf_counter()
    for p in sample:
        f = check_frame(p)
        if f.verdict != "INVALID":
            parse_segment(f.segment)
    t_single = time.perf_counter() - t0
    print(f"packets: {n} (avg {avg:.0f} bytes), valid {valid}")
    print(f"check + parse: {n / t_ours:,.0f} packets/s, median of {ROUNDS} (target >= 100,000/s)")
    print(f"zlib.crc32 baseline (C, CRC only): {n / t_c:,.0f} packets/s; ratio ours/baseline {t_c / t_ours:.3f}x")
    print(f"segments parsed into header and factor dicts: {parsed} of {valid}")
    print(f"per-packet check_frame + parse_segment ({len(sample)} packets): {len(sample) / t_single:,.0f} packets/s")


if __name__ == "__main__":
    main()

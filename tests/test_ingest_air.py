"""Air-station file ingestion: what is accepted, what is quarantined (with which Chinese reason), what is rejected."""
from __future__ import annotations

import hashlib

import pytest

from ecowarehouse.ingest import air_stations, ingest_paths
from ecowarehouse.ingest.formats import FileRejected, detect_kind

HEADER = ("timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,"
          "pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h")


def row(tp="2026-10-01 01:00:00", code="1264A", pm25="30", pm10="50", co="0.6"):
    return f"{tp},{code},118.87,28.94,衢州市,环保大楼,,45,{pm10},,{pm25},,80,,,,20,,8,,{co},"


def csv_bytes(*rows, encoding="utf-8"):
    return (HEADER + "\n" + "\n".join(rows) + "\n").encode(encoding)


def test_valid_rows_are_typed_and_missing_markers_are_missing():
    parsed = air_stations.parse(csv_bytes(row(), row(tp="2026-10-01 02:00:00", pm25="—", co="")))
    assert parsed.rejects == []
    assert len(parsed.rows) == 2
    assert parsed.rows["pm2_5"].tolist()[0] == 30.0
    assert parsed.rows["pm2_5"].isna().tolist() == [False, True]
    assert parsed.rows["co"].isna().tolist() == [False, True]
    assert parsed.rows["source_row"].tolist() == [2, 3]


def test_gbk_file_is_read():
    parsed = air_stations.parse(csv_bytes(row(), encoding="gbk"))
    assert parsed.encoding == "gbk"
    assert parsed.rows["positionname"].tolist() == ["环保大楼"]


def test_each_bad_row_is_quarantined_with_a_chinese_reason():
    parsed = air_stations.parse(csv_bytes(
        row(),                                      # line 2: fine
        row(tp="2026-10-01 02:00:00", pm25="abc"),  # line 3: not a number
        row(tp="2026-10-01 03:00:00", pm10="-5"),   # line 4: negative
        row(tp="2026-13-01 01:00:00"),              # line 5: month 13
        row(tp="2026-10-01 04:00:00", code=""),     # line 6: no station
        row(),                                      # line 7: duplicate of line 2
    ))
    got = {r["source_row"]: (r["reason_code"], r["reason_zh"]) for r in parsed.rejects}
    assert sorted(got) == [3, 4, 5, 6, 7]
    assert got[3] == ("not_numeric:pm2_5", "PM2.5 的值“abc”不是数字")
    assert got[4][0] == "negative:pm10" and "负值" in got[4][1]
    assert got[5][0] == "bad_timepoint" and "2026-13-01 01:00:00" in got[5][1]
    assert got[6][0] == "missing_station"
    assert got[7][0] == "duplicate_station_hour" and "第 2 行" in got[7][1]
    assert len(parsed.rows) == 1 and parsed.received == 6


def test_missing_columns_reject_the_file_listing_them():
    data = b"timepoint,stationcode,pm10\n2026-10-01 01:00:00,1264A,50\n"
    with pytest.raises(FileRejected) as exc:
        air_stations.parse(data)
    assert exc.value.reason_code == "missing_columns"
    assert "pm2_5" in exc.value.reason_zh and "o3" in exc.value.reason_zh


def test_kind_is_detected_from_content_not_name():
    assert detect_kind(csv_bytes(row())) == "air_station_hourly"
    with pytest.raises(FileRejected) as exc:
        detect_kind("这不是数据文件\n".encode())
    assert exc.value.reason_code == "unknown_kind"
    assert detect_kind(b"PK\x03\x04" + b"\0" * 100) == "county_report"  # workbooks are county submissions


def test_ingesting_the_same_bytes_twice_loads_once(clean_warehouse, tmp_path):
    import psycopg

    f = tmp_path / "a.csv"
    f.write_bytes(csv_bytes(row(), row(tp="2026-10-01 02:00:00", pm25="x")))
    copy = tmp_path / "sub" / "b.csv"
    copy.parent.mkdir()
    copy.write_bytes(f.read_bytes())  # same content under another name
    first = ingest_paths([f])
    again = ingest_paths([tmp_path])
    assert [(r.status, r.rows_loaded, r.rows_quarantined) for r in first] == [("loaded", 1, 1)]
    assert sorted(r.status for r in again) == ["already_ingested", "already_ingested"]
    with psycopg.connect(clean_warehouse.url()) as conn:
        assert conn.execute("select count(*) from raw.air_station_hourly").fetchone() == (1,)
        assert conn.execute("select count(*) from quarantine.rows").fetchone() == (1,)
        sha, archive = conn.execute("select file_sha256, archive_path from ops.files").fetchone()
    # archived under its content hash: a sender's file name is never used as a path
    assert sha == hashlib.sha256(f.read_bytes()).hexdigest()
    assert archive.endswith(f"/archive/{sha[:2]}/{sha}")


def test_symlinks_are_not_followed(clean_warehouse, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_bytes(csv_bytes(row()))
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "link.csv").symlink_to(outside)
    assert ingest_paths([landing]) == []


def test_plain_lines_load_exactly_what_the_typed_path_loads(clean_warehouse, tmp_path):
    """A plain file's own lines go to COPY (fast path); the same rows with a cell that is not a number elsewhere
    take the typed re-write. Both must store the same values: 2 good rows each, the bad ones quarantined."""
    import psycopg

    rows = [row(), row(tp="2026-10-01 02:00:00", pm25="", co="0.7"), row(tp="2026-10-01 03:00:00", pm10="-5")]
    plain = csv_bytes(*rows)
    marked = csv_bytes(*rows, row(tp="2026-10-01 04:00:00", code="1265A", pm25="abc"))
    assert air_stations.parse(plain).plain_lines is not None
    assert air_stations.parse(marked).plain_lines is None
    (tmp_path / "plain.csv").write_bytes(plain)
    (tmp_path / "marked.csv").write_bytes(marked)
    results = {r.name: (r.rows_loaded, r.rows_quarantined) for r in ingest_paths([tmp_path])}
    assert results == {"plain.csv": (2, 1), "marked.csv": (2, 2)}
    cols = ", ".join(["source_row", *air_stations.AIR_STATION_COLUMNS])
    with psycopg.connect(clean_warehouse.url()) as conn:
        def stored(name):
            return conn.execute(f"""select {cols} from raw.air_station_hourly h join ops.files f using (file_sha256)
                                    where f.original_name = %s and h.stationcode = '1264A' order by 1""",
                                (name,)).fetchall()
        assert stored("plain.csv") == stored("marked.csv")
        assert [r[11] for r in stored("plain.csv")] == [30.0, None]  # pm2_5: the empty field is missing


# ---------------------------------------------------------------- the plain fast path against the typed re-write
def _variants():
    good = [row(), row(tp="2026-10-01 02:00:00", pm25="", co="0.7"), row(code="1265A", pm10="1.5e2", co="0.70")]
    rejected = [row(tp="2026-10-01 03:00:00", pm10="-5"),  # negative
                row(),                                      # duplicate of the first row
                row(tp="2026-10-01 04:00:00", code=""),    # no station
                row(tp="2026-13-01 01:00:00")]              # month 13
    mixed = [good[0], rejected[0], good[1], rejected[1], rejected[2], good[2], rejected[3]]
    lf = HEADER + "\n" + "\n".join(mixed) + "\n"
    return {
        "lf": lf.encode(),
        "crlf": lf.replace("\n", "\r\n").encode(),
        "blank lines": (HEADER + "\n\n" + "\n".join(mixed[:3]) + "\n\n\n" + "\n".join(mixed[3:]) + "\n").encode(),
        "crlf blank lines": (HEADER + "\r\n" + "\r\n".join(mixed[:3]) + "\r\n\r\n" + "\r\n".join(mixed[3:])).encode(),
        "no last line end": lf.rstrip("\n").encode(),
        "bom": b"\xef\xbb\xbf" + lf.encode(),
        "gbk": lf.encode("gbk"),
        "clean": (HEADER + "\n" + "\n".join(good) + "\n").encode(),
        # missing markers: in numbers (the strict read fails on them), in text, next to each other, at a line end
        "markers": (HEADER + "\n" + "\n".join(mixed).replace(",80,", ",—,").replace(",,,,20,", ",--,NA,-,20,")
                    .replace("环保大楼", "N/A").replace(",0.6,\n", ",0.6,NULL\n") + "\n").encode(),
        "markers, crlf, marker at the very end": (
            HEADER + "\r\n" + "\r\n".join(mixed).replace(",118.87,", ",—,").replace(",,80,", ",nan,80,")
            .replace(",0.6,", ",0.6,null") + "\r\n" + row(tp="2026-10-01 09:00:00").replace(",0.6,", ",null,—")
        ).encode(),
        "markers in text only": lf.replace("环保大楼,,", "环保大楼,—,").encode(),
        "station code NA read strictly": lf.replace(",1265A,", ",NA,").encode(),
    }


# (name, bytes whose plain lines are sent) — sent the careful way the same rows must come out the same
PLAIN_CASES = sorted(_variants().items())


def _stored(url, name):
    import psycopg

    cols = ", ".join(["source_row", *air_stations.AIR_STATION_COLUMNS])
    with psycopg.connect(url) as conn:
        return conn.execute(f"""select {cols} from raw.air_station_hourly h join ops.files f using (file_sha256)
                                where f.original_name = %s order by source_row""", (name,)).fetchall()


def _quarantined(url, name):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("""select q.source_row, q.reason_code, q.reason_zh, q.record from quarantine.rows q
                               join ops.files f using (file_sha256) where f.original_name = %s order by 1""",
                            (name,)).fetchall()


@pytest.mark.parametrize("name,data", PLAIN_CASES, ids=[n for n, _ in PLAIN_CASES])
def test_plain_blocks_store_exactly_what_the_typed_rewrite_stores(clean_warehouse, tmp_path, monkeypatch, name, data):
    """The same rows through both ways to COPY: the file's own lines (with line ends, blank lines, byte-order mark,
    GBK, rejected rows in between) and the CSV re-written from the typed values. Same stored values, same quarantine
    rows with the same Chinese reasons, counts reconciled."""
    parsed = air_stations.parse(data)
    assert parsed.plain is not None, "this file should take the fast path"
    assert len(parsed.plain_lines) == len(parsed.rows)
    fast, careful = tmp_path / "fast.csv", tmp_path / "careful.csv"
    fast.write_bytes(data)
    careful.write_bytes(data + b"\n")  # other bytes (a blank line more), same rows
    [r_fast] = ingest_paths([fast])
    monkeypatch.setattr(air_stations, "_plain_text", lambda *a, **k: None)
    assert air_stations.parse(data).plain_lines is None
    [r_careful] = ingest_paths([careful])
    assert (r_fast.status, r_fast.kind, r_careful.status) == ("loaded", "air_station_hourly", "loaded")
    assert (r_fast.rows_received, r_fast.rows_loaded, r_fast.rows_quarantined) == \
           (r_careful.rows_received, r_careful.rows_loaded, r_careful.rows_quarantined)
    assert r_fast.rows_received == r_fast.rows_loaded + r_fast.rows_quarantined
    url = clean_warehouse.url()
    assert _stored(url, "fast.csv") == _stored(url, "careful.csv")
    assert len(_stored(url, "fast.csv")) == r_fast.rows_loaded
    assert _quarantined(url, "fast.csv") == _quarantined(url, "careful.csv")
    if name != "clean":
        assert [r[1] for r in _quarantined(url, "fast.csv")] == [
            "negative:pm10", "duplicate_station_hour", "missing_station", "bad_timepoint"]
        cols = ["source_row", *air_stations.AIR_STATION_COLUMNS]
        first, *_ = stored = [dict(zip(cols, r)) for r in _stored(url, "fast.csv")]
        assert (first["stationcode"], first["pm2_5"], first["pm2_5_24h"]) == ("1264A", 30.0, None)
        code = "NA" if name == "station code NA read strictly" else "1265A"  # kept as written, like any code
        [third] = [r for r in stored if r["source_row"] == 7]
        assert (third["stationcode"], third["pm10"], third["co"]) == (code, 150.0, 0.7)  # 1.5e2, 0.70 as numbers


@pytest.mark.parametrize("name,data", [*PLAIN_CASES, ("blank lines before the header", b"\n\n" + _variants()["lf"])])
def test_plain_lines_are_the_accepted_rows_own_lines(name, data):
    parsed = air_stations.parse(data)
    lines = [ln.decode().split(",") for ln in parsed.plain_lines]
    rows = parsed.rows
    assert [(ln[0], ln[1], float(ln[8])) for ln in lines] == list(zip(rows["timepoint_text"], rows["stationcode"],
                                                                      rows["pm10"]))
    assert all(len(ln) == len(air_stations.AIR_STATION_COLUMNS) for ln in lines)


@pytest.mark.parametrize("rows_per_block", [1, 2, 3, 1000])
def test_copy_blocks_are_the_rows_whatever_the_block_size(rows_per_block):
    data = _variants()["blank lines"]
    for parsed in (air_stations.parse(data), air_stations.ParsedAirFile(**{**air_stations.parse(data).__dict__,
                                                                          "plain": None})):
        whole = b"".join(parsed.copy_blocks(7, "ab" * 32, rows_per_block=10**6))
        assert b"".join(parsed.copy_blocks(7, "ab" * 32, rows_per_block=rows_per_block)) == whole
        lines = whole.decode().splitlines()
        assert len(lines) == len(parsed.rows) == 3
        assert all(ln.startswith(f"7,{'ab' * 32},{n},") for ln, n in zip(lines, parsed.rows["source_row"]))


@pytest.mark.parametrize("case,line", [
    ("short line", "2026-10-01 05:00:00,1264A,118.87,28.94,衢州市"),   # pandas pads it; COPY would refuse it
    ("exponent under", row(tp="2026-10-01 05:00:00", pm25="1e-400")),   # 0 for pandas, out of range for PostgreSQL
    ("exponent over", row(tp="2026-10-01 05:00:00", pm25="1e400")),     # inf for pandas, out of range for PostgreSQL
    ("blank after separator", row(tp="2026-10-01 05:00:00", pm25=" 30")),
    ("blank at line start", " " + row(tp="2026-10-01 05:00:00")),
    ("quoted", row(tp="2026-10-01 05:00:00").replace("环保大楼", '"环保大楼"')),
    ("not a number", row(tp="2026-10-01 05:00:00", pm25="abc")),
])
def test_files_the_fast_path_would_get_wrong_are_rewritten(clean_warehouse, tmp_path, case, line):
    data = csv_bytes(row(), line)
    parsed = air_stations.parse(data)
    assert parsed.plain_lines is None
    (tmp_path / "f.csv").write_bytes(data)
    [res] = ingest_paths([tmp_path / "f.csv"])
    assert res.status == "loaded" and res.rows_received == 2
    assert res.rows_loaded == len(parsed.rows) and res.rows_quarantined == len(parsed.rejects)


def test_lone_carriage_return_is_not_sent_as_it_is():
    data = (HEADER + "\r" + row() + "\r" + row(tp="2026-10-01 02:00:00") + "\r").encode()
    parsed = air_stations.parse(data)
    assert len(parsed.rows) == 2 and parsed.plain_lines is None

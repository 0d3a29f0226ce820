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
    """A plain file's own lines go to COPY (fast path); the same rows with a missing marker elsewhere take the
    typed re-write. Both must store the same values: 2 good rows each, the bad one quarantined in both."""
    import psycopg

    rows = [row(), row(tp="2026-10-01 02:00:00", pm25="", co="0.7"), row(tp="2026-10-01 03:00:00", pm10="-5")]
    plain = csv_bytes(*rows)
    marked = csv_bytes(*rows, row(tp="2026-10-01 04:00:00", code="1265A", pm25="NA"))
    assert air_stations.parse(plain).plain_lines is not None
    assert air_stations.parse(marked).plain_lines is None
    (tmp_path / "plain.csv").write_bytes(plain)
    (tmp_path / "marked.csv").write_bytes(marked)
    results = {r.name: (r.rows_loaded, r.rows_quarantined) for r in ingest_paths([tmp_path])}
    assert results == {"plain.csv": (2, 1), "marked.csv": (3, 1)}
    cols = ", ".join(["source_row", *air_stations.AIR_STATION_COLUMNS])
    with psycopg.connect(clean_warehouse.url()) as conn:
        def stored(name):
            return conn.execute(f"""select {cols} from raw.air_station_hourly h join ops.files f using (file_sha256)
                                    where f.original_name = %s and h.stationcode = '1264A' order by 1""",
                                (name,)).fetchall()
        assert stored("plain.csv") == stored("marked.csv")
        assert [r[11] for r in stored("plain.csv")] == [30.0, None]  # pm2_5: the empty field is missing

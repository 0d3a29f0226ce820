"""The command line an analyst uses: db-url gives a working connection string; ingest reports what happened."""
import psycopg

from ecowarehouse import cli

HEADER = ("timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,"
          "pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h")


def test_db_url_connects(warehouse, capsys):
    assert cli.main(["db-url"]) == 0
    url = capsys.readouterr().out.strip()
    with psycopg.connect(url) as conn:
        assert conn.execute("select current_database()").fetchone() == (warehouse.dbname,)


def test_ingest_reports_loaded_quarantined_and_rejected(clean_warehouse, tmp_path, capsys):
    (tmp_path / "hour.csv").write_text(
        HEADER + "\n2026-10-01 01:00:00,1264A,118.87,28.94,衢州市,环保大楼,,45,50,,30,,80,,,,20,,8,,0.6,\n"
                 "2026-10-01 01:00:00,1265A,118.87,28.96,衢州市,实验学校,,45,50,,-1,,80,,,,20,,8,,0.6,\n",
        encoding="utf-8")
    (tmp_path / "memo.docx").write_bytes(b"PK\x03\x04rest-of-a-zip")
    assert cli.main(["ingest", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2 files: 1 rows loaded, 1 rows quarantined, 1 files rejected" in out
    assert "Excel 文件无法打开" in out  # a zip that is no workbook

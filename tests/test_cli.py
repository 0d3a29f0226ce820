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


def test_blank_template_is_what_ingestion_expects(tmp_path):
    """A blank form filled in with one row is accepted as it is."""
    from openpyxl import load_workbook

    from ecowarehouse.ingest import county_reports, workbook

    out = tmp_path / "blank.xlsx"
    assert cli.main(["template", "enterprise_ledger", "--unit", "常山县", "--period", "2026年10月", "--out", str(out)]) == 0
    book = load_workbook(out)
    ws = book.active
    header = [c.value for c in ws[4]]  # the lower row of the two-row header
    col = {v: i + 1 for i, v in enumerate(header) if v}
    ws.cell(5, col["企业名称"], "常山某石料厂")
    ws.cell(5, col["所属重点行业"], "建材石料加工")
    ws.cell(5, col["整治分类"], "改造提升")
    ws.cell(5, 1, 1)
    book.save(out)
    sheets, _ = workbook.read_sheets(out.read_bytes())
    [sub] = county_reports.parse_workbook(sheets, __import__("datetime").date(2026, 11, 1))
    assert (sub.unit_code, sub.period.code, len(sub.rows), sub.rows[0]["industry_code"]) == (
        "330822", "2026-10", 1, "building_stone_processing")


def test_docs_serves_on_localhost_at_docs_port(monkeypatch, tmp_path):
    """`make docs` passes DOCS_PORT; the server binds 127.0.0.1 unless told otherwise (the generation itself is tested
    against a warehouse in tests/test_analyses.py)."""
    from ecowarehouse import docs, settings

    calls = {}
    monkeypatch.setattr(settings, "apply_runtime_env", lambda *a, **k: {})
    monkeypatch.setattr(docs, "generate", lambda *a, **k: tmp_path)
    monkeypatch.setattr(docs, "serve", lambda target, port, host: calls.update(target=target, port=port, host=host) or 0)
    monkeypatch.setenv("DOCS_PORT", "9123")
    assert cli.main(["docs"]) == 0
    assert calls == {"target": tmp_path, "port": 9123, "host": "127.0.0.1"}
    calls.clear()
    assert cli.main(["docs", "--no-serve"]) == 0
    assert calls == {}

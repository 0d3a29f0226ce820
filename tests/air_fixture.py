"""A tiny air-station month written exactly as the national platform delivers it, with values chosen so that the
published results can be computed by hand (see test_monthly_assessment_e2e.py for the arithmetic)."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

HEADER = ("timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,"
          "pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h")
CITY = {"1264A": "环保大楼", "1265A": "实验学校", "1266A": "衢州学院"}

# day -> station -> (pm2_5, pm10, o3, hours of pm2_5 present)
DAYS = {
    "2020-06-01": {"1264A": (70, 100, 100, 24), "1265A": (80, 100, 100, 24), "1266A": (81, 100, 100, 24)},
    "2020-06-02": {"1264A": (35, 50, 100, 24), "1265A": (36, 50, 100, 24), "1266A": (36, 50, 100, 24)},
    "2020-06-03": {"1264A": (200, 40, 60, 19), "1265A": (20, 40, 60, 24), "1266A": (20, 40, 60, 24)},
}
SO2, NO2, CO = 10, 20, 0.5


def rows_for_day(day: str) -> list[str]:
    start = datetime.fromisoformat(day)
    out = []
    for h in range(24):
        tp = (start + timedelta(hours=h + 1)).strftime("%Y-%m-%d %H:%M:%S")  # end of the hour
        for code, (pm25, pm10, o3, pm25_hours) in DAYS[day].items():
            pm25_cell = str(pm25) if h < pm25_hours else ""
            out.append(f"{tp},{code},118.87,28.94,衢州市,{CITY[code]},,,{pm10},,{pm25_cell},,{o3},,,,{NO2},,{SO2},,{CO},")
        # a station of another city in the same national file: must be ignored by the registry
        out.append(f"{tp},1223A,120.1,30.3,杭州市,西溪,,,60,,999,,80,,,,30,,8,,0.6,")
    return out


def write_month(landing: Path) -> dict[str, Path]:
    landing.mkdir(parents=True, exist_ok=True)
    files = {}
    for day in DAYS:
        p = landing / f"air_{day.replace('-', '')}.csv"
        p.write_text(HEADER + "\n" + "\n".join(rows_for_day(day)) + "\n", encoding="utf-8")
        files[day] = p
    # a GBK file with two bad rows (non-numeric PM2.5, negative PM10) and one good row of a county station
    bad = landing / "air_bad_rows.csv"
    bad.write_bytes((HEADER + "\n"
                     "2020-06-04 01:00:00,QZ330822A1,118.5,28.9,衢州市,常山县城,,,40,,abc,,50,,,,20,,10,,0.5,\n"
                     "2020-06-04 02:00:00,QZ330822A1,118.5,28.9,衢州市,常山县城,,,-5,,20,,50,,,,20,,10,,0.5,\n"
                     "2020-06-04 03:00:00,QZ330822A1,118.5,28.9,衢州市,常山县城,,,40,,20,,50,,,,20,,10,,0.5,\n"
                     ).encode("gbk"))
    files["bad_rows"] = bad
    (landing / "readme.txt").write_text("这不是数据文件\n", encoding="utf-8")
    return files

-- The area's daily statistics as one row per pollutant series, the shape both the daily AQI (HJ 633 items) and the
-- annual statistics (HJ 663 series) read.
with

area_daily as (

    select * from {{ ref('int_air__area_daily') }}

),

final as (

    select
        area_daily.area_code,
        area_daily.obs_date,
        area_daily.max_batch_id,
        series.pollutant,
        series.series,
        series.aqi_item,
        series.pollutant_label,
        series.value
    from area_daily
    cross join lateral (
        values
            ('so2',   'daily_24h',   'so2_24h',   'SO2',   area_daily.so2_24h),
            ('no2',   'daily_24h',   'no2_24h',   'NO2',   area_daily.no2_24h),
            ('co',    'daily_24h',   'co_24h',    'CO',    area_daily.co_24h),
            ('pm10',  'daily_24h',   'pm10_24h',  'PM10',  area_daily.pm10_24h),
            ('pm2_5', 'daily_24h',   'pm2_5_24h', 'PM2.5', area_daily.pm2_5_24h),
            ('o3',    'daily_max1h', 'o3_1h',     'O3_1h', area_daily.o3_1h_max),
            ('o3',    'daily_max8h', 'o3_8h',     'O3_8h', area_daily.o3_8h_max)
    ) as series(pollutant, series, aqi_item, pollutant_label, value)
    where series.value is not null

)

select * from final

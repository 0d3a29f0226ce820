{{ config(materialized='incremental', unique_key=['batch_id', 'station_code', 'observed_at'],
          indexes=[{'columns': ['batch_id', 'station_code', 'observed_at']}, {'columns': ['station_code', 'observed_at']}]) }}
-- Real-time (hourly) AQI of each delivered station-hour under the HJ 633 version in force that hour, as the national
-- platform publishes it (HJ 633-2012 §5.1.3): SO2, NO2, CO, O3 1-h values against the 1-h rows of Table 1, PM10 and
-- PM2.5 24-h moving averages against the 24-h rows; an SO2 1-h value above 800 gets its IAQI from the SO2 24-h
-- average instead (Table 1 note 2). Computed per delivered row, so the model is incremental by batch: a monthly
-- run only computes the rows that arrived since the last run.
with

hourly as (

    select * from {{ ref('stg_raw__air_station_hourly') }}
    where {{ new_batches() }}

),

segments as (

    select * from {{ ref('int_std__aqi_segments') }}

),

versions as (

    select distinct standard_code, effective_from, effective_to from segments

),

items as (

    select
        hourly.batch_id,
        hourly.station_code,
        hourly.observed_at,
        hourly.obs_date,
        hourly.reported_aqi,
        item.item,
        item.pollutant_label,
        item.conc
    from hourly
    cross join lateral (values
        ('so2_1h', 'SO2', case when hourly.so2_1h <= 800 then hourly.so2_1h end),
        ('so2_24h', 'SO2', case when hourly.so2_1h > 800 then hourly.reported_so2_24h end),
        ('no2_1h', 'NO2', hourly.no2_1h),
        ('co_1h', 'CO', hourly.co_1h),
        ('o3_1h', 'O3', hourly.o3_1h),
        ('pm10_24h', 'PM10', hourly.reported_pm10_24h),
        ('pm2_5_24h', 'PM2.5', hourly.reported_pm2_5_24h)
    ) as item (item, pollutant_label, conc)
    where item.conc is not null

),

iaqi as (

    select
        items.*,
        versions.standard_code,
        case
            when seg.iaqi_lo is not null then
                {{ iaqi_linear('items.conc', 'seg.bp_lo', 'seg.bp_hi', 'seg.iaqi_lo', 'seg.iaqi_hi') }}
            else 500  -- above the table: the standard is silent; the table maximum is reported
        end                                                                      as iaqi
    from items
    inner join versions on {{ in_force('items.obs_date', 'versions') }}
    left join segments as seg
        on seg.standard_code = versions.standard_code
       and seg.item = items.item
       and ((items.conc > seg.bp_lo and items.conc <= seg.bp_hi) or (items.conc = 0 and seg.bp_lo = 0))

),

with_max as (

    select
        iaqi.*,
        max(iaqi) over (partition by batch_id, station_code, observed_at)       as aqi
    from iaqi

),

final as (

    select
        batch_id,
        station_code,
        observed_at,
        max(standard_code)                                                       as aqi_standard,
        max(aqi)                                                                 as aqi,
        -- HJ 633-2012 §3.3: a primary pollutant only when AQI > 50; ties are all listed
        case when max(aqi) > 50 then
            string_agg(distinct pollutant_label, ',') filter (where iaqi = aqi)
        end                                                                      as primary_pollutants,
        max(reported_aqi)                                                        as reported_aqi,
        count(*)                                                                 as items_evaluated
    from with_max
    group by batch_id, station_code, observed_at

)

select * from final

{{ config(materialized='incremental', unique_key=['station_code', 'obs_date', 'item_code'],
          incremental_strategy='delete+insert',
          indexes=[{'columns': ['station_code', 'obs_date', 'item_code']}, {'columns': ['max_batch_id']}]) }}
-- Daily mean of each automatic station's valid readings per item, with the day's capture rate (valid readings /
-- readings expected at the station's interval, 24 h / 4 h = 6 for four-hourly stations).
-- Incremental: only the station-days that the new batches touched are recomputed, from all their readings.
with

readings as (

    select * from {{ ref('int_water__auto_readings') }}

),

stations as (

    select * from {{ ref('ref_water_auto_stations') }}

),

touched as (

    select distinct station_code, observed_at::date as obs_date
    from readings
    where {{ new_batches('batch_id', 'max_batch_id') }}

),

daily as (

    select
        readings.station_code,
        touched.obs_date,
        readings.item_code,
        avg(readings.item_value) filter (where readings.is_valid)               as item_value,
        count(*)                                                                 as n_received,
        count(*) filter (where readings.is_valid)                                as n_valid,
        max(readings.batch_id)                                                   as max_batch_id
    from readings
    inner join touched
        on touched.station_code = readings.station_code
       and readings.observed_at >= touched.obs_date
       and readings.observed_at < touched.obs_date + 1
    group by readings.station_code, touched.obs_date, readings.item_code

),

final as (

    select
        daily.station_code,
        stations.section_code,
        daily.obs_date,
        daily.item_code,
        daily.item_value,
        daily.n_received,
        daily.n_valid,
        24 / stations.sample_interval_hours                                      as n_expected,
        -- a station sending more often than registered does not count above 100 %
        least(1, round(daily.n_valid::numeric * stations.sample_interval_hours / 24, 4)) as capture_rate,
        daily.max_batch_id
    from daily
    inner join stations on stations.station_code = daily.station_code

)

select * from final

-- Daily concentrations per county and for the city. HJ 663 §3.4 (urban scale): the area value is the arithmetic mean
-- of its stations' valid daily concentrations; IAQI/AQI are computed afterwards from these means, never by averaging
-- station AQIs.
{{ config(materialized='incremental', unique_key=['area_code', 'obs_date'], incremental_strategy='delete+insert',
          indexes=[{'columns': ['area_code', 'obs_date']}, {'columns': ['max_batch_id']}]) }}
-- Incremental: the area-days whose station-days the new batches touched are recomputed from all their stations.
with

station_daily as (

    select * from {{ ref('int_air__station_daily') }}

),

areas as (

    select * from {{ ref('ref_counties') }}

),

assignments as (

    -- a station counts for its county, and for the city when it is one of the city's assessment stations
    select station_daily.*, station_daily.county_code as area_code
    from station_daily
    where evaluates_county
    union all
    select station_daily.*, areas.county_code as area_code
    from station_daily
    cross join areas
    where station_daily.evaluates_city and areas.area_level = 'city'

),

touched as (

    select distinct area_code, obs_date
    from assignments
    where {{ new_batches('max_batch_id', 'max_batch_id') }}

),

final as (

    select
        area_code,
        obs_date,
        max(max_batch_id)       as max_batch_id,
        max(validity_standard)  as validity_standard,
        count(*)                as stations_reporting,
        count(pm2_5_24h)        as stations_valid_pm2_5,
        avg(so2_24h)            as so2_24h,
        avg(no2_24h)            as no2_24h,
        avg(co_24h)             as co_24h,
        avg(pm10_24h)           as pm10_24h,
        avg(pm2_5_24h)          as pm2_5_24h,
        avg(o3_1h_max)          as o3_1h_max,
        avg(o3_8h_max)          as o3_8h_max
    from assignments
    inner join touched using (area_code, obs_date)
    group by area_code, obs_date

)

select * from final

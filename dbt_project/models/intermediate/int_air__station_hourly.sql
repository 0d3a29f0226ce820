{{ config(materialized='incremental', unique_key=['station_code', 'observed_at'], incremental_strategy='delete+insert',
          indexes=[{'columns': ['station_code', 'observed_at']}, {'columns': ['batch_id']}, {'columns': ['station_code', 'obs_date']}]) }}
-- Hourly values of the registry's stations, one row per station and hour: when an hour is delivered again (a
-- corrected re-send), the latest batch wins. Stations of other cities in the national files are left out here.
-- Incremental: a run reads only the batches that arrived since the last run (a later batch replaces the hour).
with

hourly as (

    select * from {{ ref('stg_raw__air_station_hourly') }}
    where {{ new_batches() }}

),

stations as (

    select * from {{ ref('ref_air_stations') }}

),

registered as (

    select
        hourly.*,
        stations.county_code,
        stations.evaluates_city,
        stations.evaluates_county,
        row_number() over (partition by hourly.station_code, hourly.observed_at order by hourly.batch_id desc) as recency
    from hourly
    inner join stations
        on hourly.station_code = stations.station_code
       and hourly.obs_date >= stations.valid_from
       and (stations.valid_to is null or hourly.obs_date <= stations.valid_to)

),

final as (

    select * from registered where recency = 1

)

select * from final

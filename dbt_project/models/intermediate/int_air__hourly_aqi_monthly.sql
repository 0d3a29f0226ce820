{{ config(materialized='incremental', unique_key=['station_code', 'month', 'aqi_standard'],
          incremental_strategy='delete+insert',
          indexes=[{'columns': ['station_code', 'month', 'aqi_standard']}, {'columns': ['max_batch_id']}]) }}
-- The real-time AQI we compute against the `aqi` the station file carries, per station, month and HJ 633 version;
-- an hour delivered again (a corrected re-send) counts once, with its latest batch, as in the statistics.
-- Incremental: only the station-months that the new batches touched are recounted, from all their hours.
with

computed as (

    select
        *,
        -- the platform stamps an hour with its end: 00:00 of the 1st belongs to the month before
        to_char(observed_at - interval '1 hour', 'YYYY-MM')                     as month
    from {{ ref('int_air__station_hourly_aqi') }}

),

touched as (

    select distinct station_code, month
    from computed
    where {{ new_batches('batch_id', 'max_batch_id') }}

),

latest as (

    select
        computed.*,
        row_number() over (partition by computed.station_code, computed.observed_at
                           order by computed.batch_id desc)                      as recency
    from computed
    inner join touched using (station_code, month)

),

final as (

    select
        station_code,
        month,
        aqi_standard,
        count(*)                                                                 as hours,
        count(reported_aqi)                                                      as hours_with_reported_aqi,
        count(*) filter (where reported_aqi = aqi)                               as hours_agree,
        count(*) filter (where reported_aqi <> aqi)                              as hours_disagree,
        max(abs(reported_aqi - aqi))                                             as max_abs_difference,
        round(100.0 * count(*) filter (where reported_aqi = aqi)
              / nullif(count(reported_aqi), 0), 2)                               as agree_pct,
        max(batch_id)                                                            as max_batch_id
    from latest
    where recency = 1
    group by station_code, month, aqi_standard

)

select * from final

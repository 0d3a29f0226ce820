-- The real-time AQI we compute against the `aqi` the station file carries, per station and month.
with

computed as (

    select * from {{ ref('int_air__station_hourly_aqi') }}

),

stations as (

    select * from {{ ref('ref_air_stations') }}

),

latest as (

    -- an hour delivered again (a corrected re-send): the latest batch stands, as in the statistics
    select
        computed.*,
        row_number() over (partition by station_code, observed_at order by batch_id desc) as recency
    from computed

),

final as (

    select
        latest.station_code,
        to_char(latest.observed_at - interval '1 hour', 'YYYY-MM')              as month,
        latest.aqi_standard,
        count(*)                                                                 as hours,
        count(latest.reported_aqi)                                               as hours_with_reported_aqi,
        count(*) filter (where latest.reported_aqi = latest.aqi)                 as hours_agree,
        count(*) filter (where latest.reported_aqi <> latest.aqi)                as hours_disagree,
        max(abs(latest.reported_aqi - latest.aqi))                               as max_abs_difference,
        round(100.0 * count(*) filter (where latest.reported_aqi = latest.aqi)
              / nullif(count(latest.reported_aqi), 0), 2)                        as agree_pct
    from latest
    inner join stations on stations.station_code = latest.station_code
    where latest.recency = 1
    group by latest.station_code, to_char(latest.observed_at - interval '1 hour', 'YYYY-MM'), latest.aqi_standard

)

select * from final

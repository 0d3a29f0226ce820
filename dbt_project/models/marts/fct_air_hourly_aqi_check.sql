-- The real-time AQI we compute against the `aqi` the station file carries, per registered station and month.
with

monthly as (

    select * from {{ ref('int_air__hourly_aqi_monthly') }}

),

stations as (

    select * from {{ ref('ref_air_stations') }}

),

final as (

    select
        monthly.station_code,
        monthly.month,
        monthly.aqi_standard,
        monthly.hours,
        monthly.hours_with_reported_aqi,
        monthly.hours_agree,
        monthly.hours_disagree,
        monthly.max_abs_difference,
        monthly.agree_pct
    from monthly
    inner join stations on stations.station_code = monthly.station_code

)

select * from final

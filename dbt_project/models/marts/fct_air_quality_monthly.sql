-- Monthly air quality per area and AQI standard version. PM2.5 monthly mean = mean of the valid daily means; the month
-- is valid for annual statistics with >= 27 daily values (25 in February) — GB 3095-2012 Table 4 / HJ 663-2013.
with

daily as (

    select * from {{ ref('fct_air_quality_daily') }}

),

rules as (

    select * from {{ ref('int_std__air_validity_rules') }}

),

monthly as (

    select
        area_code,
        date_trunc('month', obs_date)::date        as month_start,
        aqi_standard,
        bool_and(is_in_force)                      as is_in_force,
        max(validity_standard)                     as validity_standard,
        count(pm2_5_24h)                           as pm2_5_valid_days,
        avg(pm2_5_24h)                             as pm2_5_mean,
        count(aqi)                                 as aqi_valid_days,
        count(*) filter (where is_good_day)        as good_days,
        sum(pm2_5_24h)                             as pm2_5_daily_sum
    from daily
    group by area_code, date_trunc('month', obs_date), aqi_standard

),

final as (

    select
        to_char(monthly.month_start, 'YYYY-MM')    as period,
        monthly.month_start,
        monthly.area_code,
        monthly.aqi_standard,
        monthly.is_in_force,
        monthly.validity_standard,
        extract(day from monthly.month_start + interval '1 month' - interval '1 day')::integer as days_in_month,
        monthly.pm2_5_valid_days,
        monthly.pm2_5_mean,
        monthly.pm2_5_daily_sum,
        monthly.pm2_5_valid_days >= case when extract(month from monthly.month_start) = 2
                                         then rules.february_min_days else rules.monthly_min_days end
            as pm2_5_month_valid,
        monthly.aqi_valid_days,
        monthly.good_days,
        case when monthly.aqi_valid_days > 0
             then round(100.0 * monthly.good_days / monthly.aqi_valid_days, 4) end as good_days_share_pct
    from monthly
    left join rules
        on {{ in_force('monthly.month_start', 'rules') }}

)

select * from final

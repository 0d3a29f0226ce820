-- The 十三五 indicator table per month and area: the month's value, the year-to-date value, the 2015 baseline and the
-- 2020 target of 表2-1. Always computed under the version named in ref_indicator_metrics (HJ 633-2012 for 十三五).
with

monthly as (

    select * from {{ ref('fct_air_quality_monthly') }}

),

indicators as (

    select * from {{ ref('ref_indicators_13th') }}

),

metrics as (

    select * from {{ ref('ref_indicator_metrics') }}

),

areas as (

    select * from {{ ref('dim_area') }}

),

ytd as (

    select
        m.*,
        sum(m.pm2_5_daily_sum) over y / nullif(sum(m.pm2_5_valid_days) over y, 0)                   as pm2_5_mean_ytd,
        100.0 * sum(m.good_days) over y / nullif(sum(m.aqi_valid_days) over y, 0)                   as good_days_share_pct_ytd,
        sum(m.pm2_5_valid_days) over y                                                               as valid_days_ytd,
        (m.month_start + interval '1 month' - date_trunc('year', m.month_start))::interval          as elapsed
    from monthly as m
    window y as (partition by m.area_code, m.aqi_standard, date_trunc('year', m.month_start) order by m.month_start)

),

values_long as (

    select
        ytd.period,
        ytd.month_start,
        ytd.area_code,
        metrics.indicator_code,
        metrics.aqi_standard,
        ytd.validity_standard,
        case metrics.metric_code
            when 'pm2_5_mean' then ytd.pm2_5_mean
            when 'good_days_share_pct' then ytd.good_days_share_pct
        end as value_month,
        case metrics.metric_code
            when 'pm2_5_mean' then ytd.pm2_5_mean_ytd
            when 'good_days_share_pct' then ytd.good_days_share_pct_ytd
        end as value_ytd,
        round(100.0 * ytd.valid_days_ytd / extract(day from ytd.elapsed), 2) as data_completeness_pct
    from ytd
    inner join metrics on metrics.aqi_standard = ytd.aqi_standard

),

final as (

    select
        v.period,
        v.month_start,
        v.area_code,
        areas.area_name,
        v.indicator_code,
        i.indicator_name,
        i.category,
        i.nature,
        i.unit,
        i.direction,
        round(v.value_month::numeric, 2)  as value_month,
        round(v.value_ytd::numeric, 2)    as value_ytd,
        i.baseline_2015_value,
        i.target_2020_text,
        i.target_2020_value,
        case
            when i.target_2020_value is null then 'no_numeric_target'
            when i.direction = 'lower_better' and v.value_ytd <= i.target_2020_value then 'met'
            when i.direction = 'higher_better' and v.value_ytd >= i.target_2020_value then 'met'
            else 'not_met'
        end as target_status,
        round((v.value_ytd - i.baseline_2015_value)::numeric, 2) as change_vs_2015,
        v.data_completeness_pct,
        v.aqi_standard,
        v.validity_standard
    from values_long as v
    inner join indicators as i on i.indicator_code = v.indicator_code
    left join areas on areas.area_code = v.area_code

)

select * from final

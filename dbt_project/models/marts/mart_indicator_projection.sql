-- Year-end projection of the annual air indicators of 表2-1 that have a numeric (assessed) target, as of each month:
-- what the rest of the year must achieve for the year to meet its target, and whether earlier years did that.
-- Grain: indicator × area × as-of month (period_code 'YYYY-MM'). Days as in fct_indicator_values (HJ 633-2012 /
-- HJ 663-2013: the annual PM2.5 value is the mean of the valid daily means).
--   PM2.5: every remaining calendar day is assumed valid, so the year will have n + R valid days;
--          required_value = (target × (n + R) − Σ daily means so far) ÷ R   [μg/m³, the mean the R days must keep to]
--   good-day share: the year may have at most floor((100 − target) × (m + R) ÷ 100) non-good days (AQI > 100), m =
--          days with an AQI so far; required_value = that − non-good days so far   [days still allowed to be lost]
-- is_plausible: the same remaining months (as-of month + 1 … December) of each earlier year in the warehouse that has
-- valid days for at least half of their calendar days are an "earlier period"; PM2.5 is plausible when
-- required_value ≥ the lowest mean of those periods (at least one earlier year did as well); good days when
-- required_value ≥ the fewest non-good days of those periods scaled to R (non-good ÷ days with an AQI × R). A negative
-- required value is never plausible (the target can no longer be met). Null when R = 0 (the year is over), when there
-- is no numeric target or no earlier period.
with

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}
    where time_scope = 'ytd'

),

metrics as (

    select * from {{ ref('ref_indicator_metrics') }}

),

air_daily as (

    select * from {{ ref('fct_air_quality_daily') }}

),

daily as (

    select
        metrics.indicator_code,
        metrics.metric_code,
        air_daily.area_code,
        air_daily.obs_date,
        air_daily.pm2_5_24h,
        air_daily.aqi,
        air_daily.is_good_day
    from air_daily
    inner join metrics on metrics.aqi_standard = air_daily.aqi_standard

),

so_far as (

    select
        indicator_values.indicator_code,
        max(metrics.metric_code)                                                 as metric_code,
        indicator_values.area_code,
        indicator_values.area_name,
        indicator_values.period_code,
        indicator_values.year,
        indicator_values.period_end                                              as as_of_date,
        indicator_values.unit,
        indicator_values.value                                                   as value_ytd,
        indicator_values.target_value,
        indicator_values.target_year,
        count(daily.pm2_5_24h)                                                   as pm2_5_valid_days,
        sum(daily.pm2_5_24h)                                                     as pm2_5_daily_sum,
        count(daily.aqi)                                                         as aqi_valid_days,
        count(*) filter (where daily.aqi is not null and not daily.is_good_day)  as non_good_days
    from indicator_values
    inner join metrics on metrics.indicator_code = indicator_values.indicator_code
    left join daily
        on daily.indicator_code = indicator_values.indicator_code
       and daily.area_code = indicator_values.area_code
       and daily.obs_date between indicator_values.period_start and indicator_values.period_end
    group by indicator_values.indicator_code, indicator_values.area_code, indicator_values.area_name,
             indicator_values.period_code, indicator_values.year, indicator_values.period_end, indicator_values.unit,
             indicator_values.value, indicator_values.target_value, indicator_values.target_year

),

remaining as (

    select
        so_far.*,
        make_date(so_far.year, 12, 31) - so_far.as_of_date                      as remaining_days
    from so_far

),

earlier_years as (

    select
        remaining.indicator_code,
        remaining.area_code,
        remaining.period_code,
        extract(year from daily.obs_date)::integer                               as earlier_year,
        avg(daily.pm2_5_24h)                                                     as pm2_5_mean,
        count(daily.pm2_5_24h)                                                   as pm2_5_valid_days,
        count(daily.aqi)                                                         as aqi_valid_days,
        count(*) filter (where daily.aqi is not null and not daily.is_good_day)  as non_good_days,
        -- the calendar days of the same months (after the as-of month) in that year
        max(make_date(extract(year from daily.obs_date)::integer, 12, 31)
            - (make_date(extract(year from daily.obs_date)::integer, extract(month from remaining.as_of_date)::integer, 1)
               + interval '1 month - 1 day')::date)                             as calendar_days,
        max(remaining.metric_code)                                               as metric_code
    from remaining
    inner join daily
        on daily.indicator_code = remaining.indicator_code
       and daily.area_code = remaining.area_code
       and extract(year from daily.obs_date) < remaining.year
       and extract(month from daily.obs_date) > extract(month from remaining.as_of_date)
    where remaining.remaining_days > 0
    group by remaining.indicator_code, remaining.area_code, remaining.period_code,
             extract(year from daily.obs_date)

),

earlier as (

    -- only earlier periods with valid days for at least half of their calendar days
    select
        indicator_code,
        area_code,
        period_code,
        count(*)                                                                 as earlier_years_used,
        string_agg(earlier_year::text, '、' order by earlier_year)              as earlier_year_list,
        min(pm2_5_mean)                                                          as pm2_5_mean_min,
        max(pm2_5_mean)                                                          as pm2_5_mean_max,
        min(1.0 * non_good_days / nullif(aqi_valid_days, 0))                     as non_good_rate_min,
        max(1.0 * non_good_days / nullif(aqi_valid_days, 0))                     as non_good_rate_max
    from earlier_years
    -- PM2.5 valid days for the PM2.5 range, days with an AQI for the good-day range
    where 2 * case metric_code when 'pm2_5_mean' then pm2_5_valid_days else aqi_valid_days end >= calendar_days
    group by indicator_code, area_code, period_code

),

projected as (

    select
        remaining.*,
        case
            when remaining.remaining_days = 0 or remaining.target_value is null then null
            when remaining.metric_code = 'pm2_5_mean'
                then (remaining.target_value * (remaining.pm2_5_valid_days + remaining.remaining_days)
                      - coalesce(remaining.pm2_5_daily_sum, 0)) / remaining.remaining_days
            when remaining.metric_code = 'good_days_share_pct'
                then floor((100 - remaining.target_value) * (remaining.aqi_valid_days + remaining.remaining_days) / 100)
                     - remaining.non_good_days
        end                                                                      as required_value,
        case when remaining.metric_code = 'pm2_5_mean'
                  then remaining.target_value * (remaining.pm2_5_valid_days + remaining.remaining_days)
             else floor((100 - remaining.target_value) * (remaining.aqi_valid_days + remaining.remaining_days) / 100)
        end                                                                      as year_budget,
        earlier.earlier_years_used,
        earlier.earlier_year_list,
        case when remaining.metric_code = 'pm2_5_mean' then earlier.pm2_5_mean_min
             else earlier.non_good_rate_min * remaining.remaining_days end       as earlier_min,
        case when remaining.metric_code = 'pm2_5_mean' then earlier.pm2_5_mean_max
             else earlier.non_good_rate_max * remaining.remaining_days end       as earlier_max
    from remaining
    left join earlier
        on earlier.indicator_code = remaining.indicator_code
       and earlier.area_code = remaining.area_code
       and earlier.period_code = remaining.period_code

),

judged as (

    select
        projected.*,
        case
            when projected.required_value is null then null
            when projected.required_value < 0 then false
            when projected.earlier_min is null then null
            else projected.required_value >= projected.earlier_min
        end                                                                      as is_plausible
    from projected

),

final as (

    select
        judged.indicator_code,
        judged.area_code,
        judged.area_name,
        judged.period_code,
        judged.year,
        judged.as_of_date,
        case judged.metric_code when 'pm2_5_mean' then 'required_mean' else 'good_days_left_to_lose' end
                                                                                 as projection_kind,
        judged.value_ytd,
        judged.target_value,
        judged.target_year,
        judged.pm2_5_valid_days                                                  as pm2_5_valid_days_so_far,
        round(judged.pm2_5_daily_sum::numeric, 2)                                as pm2_5_daily_sum_so_far,
        judged.aqi_valid_days                                                    as aqi_valid_days_so_far,
        judged.non_good_days                                                     as non_good_days_so_far,
        judged.remaining_days,
        round(judged.required_value::numeric, 2)                                 as required_value,
        case judged.metric_code when 'pm2_5_mean' then 'μg/m³' else '天' end     as required_unit,
        judged.earlier_years_used,
        judged.earlier_year_list,
        round(judged.earlier_min::numeric, 2)                                    as earlier_min,
        round(judged.earlier_max::numeric, 2)                                    as earlier_max,
        judged.is_plausible,
        case
            when judged.target_value is null then '无数值目标，不作年终推算'
            when judged.remaining_days = 0 then '全年已结束，以全年值评价'
            when judged.metric_code = 'pm2_5_mean' then
                '全年目标 ' || judged.target_value::text || ' μg/m³：截至 ' || judged.period_code || ' 已有 '
                || judged.pm2_5_valid_days || ' 个有效日，日均值合计 ' || round(coalesce(judged.pm2_5_daily_sum, 0)::numeric, 1)
                || '；其余 ' || judged.remaining_days || ' 天日均值须平均不高于 '
                || round(judged.required_value::numeric, 1) || ' μg/m³'
                || case when judged.required_value < 0 then '（已不可能达标）' else '' end
                || coalesce('；往年同期（' || judged.earlier_year_list || '）为 '
                            || round(judged.earlier_min::numeric, 1) || '–' || round(judged.earlier_max::numeric, 1)
                            || ' μg/m³', '；无往年同期数据')
                || case when judged.is_plausible then '，有望达标' when not judged.is_plausible then '，难以达标' else '' end
            else
                '全年目标 ' || judged.target_value::text || '%：全年最多允许 ' || judged.year_budget
                || ' 个非优良天，截至 ' || judged.period_code || ' 已有 ' || judged.non_good_days
                || ' 个；其余 ' || judged.remaining_days || ' 天还可允许 ' || judged.required_value::integer || ' 个非优良天'
                || case when judged.required_value < 0 then '（已不可能达标）' else '' end
                || coalesce('；往年同期（' || judged.earlier_year_list || '）折算为 '
                            || round(judged.earlier_min::numeric, 1) || '–' || round(judged.earlier_max::numeric, 1)
                            || ' 个', '；无往年同期数据')
                || case when judged.is_plausible then '，有望达标' when not judged.is_plausible then '，难以达标' else '' end
        end                                                                      as explanation_zh
    from judged

)

select * from final

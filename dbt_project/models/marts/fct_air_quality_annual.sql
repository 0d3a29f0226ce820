-- Annual statistics per area (HJ 663-2013 §3.1 / Table of annual statistics): annual means of SO2, NO2, PM10, PM2.5
-- and the percentiles of the daily series — SO2/NO2 p98, PM10/PM2.5/CO p95 of 24-h means, O3 p90 of daily max 8-h.
-- Percentiles by HJ 663 Appendix A: k = 1 + (n − 1)·p, linear interpolation between X(s) and X(s+1) — exactly
-- PostgreSQL's percentile_cont. A year is valid with >= 324 daily values and every month at its minimum (27; 25 in
-- February) — GB 3095-2012 Table 4. The statistics set, thresholds and limits come from the seeds, by the version in
-- force on 31 December of the year (a year is assessed after it closes).
with

daily_series as (

    select * from {{ ref('int_air__area_daily_long') }}

),

statistics as (

    select * from {{ ref('std_percentiles') }}

),

rules as (

    select * from {{ ref('int_std__air_validity_rules') }}

),

limits as (

    select * from {{ ref('std_air_limits') }}

),

daily_long as (

    select
        area_code,
        extract(year from obs_date)::integer  as year,
        extract(month from obs_date)::integer as month,
        pollutant,
        series,
        value
    from daily_series

),

monthly_counts as (

    select area_code, year, pollutant, series, month, count(*) as valid_days
    from daily_long
    group by area_code, year, pollutant, series, month

),

months_ok as (

    select
        monthly_counts.area_code,
        monthly_counts.year,
        monthly_counts.pollutant,
        monthly_counts.series,
        count(*) filter (
            where monthly_counts.valid_days >= case when monthly_counts.month = 2
                                                    then rules.february_min_days else rules.monthly_min_days end
        ) as months_meeting_minimum
    from monthly_counts
    inner join rules
        on {{ in_force('make_date(monthly_counts.year, 12, 31)', 'rules') }}
    group by monthly_counts.area_code, monthly_counts.year, monthly_counts.pollutant, monthly_counts.series

),

computed as (

    select
        daily_long.area_code,
        daily_long.year,
        daily_long.pollutant,
        statistics.statistic,
        statistics.series,
        statistics.percentile,
        statistics.limit_averaging,
        statistics.standard_code as assessment_standard,
        case
            when statistics.statistic = 'annual_mean' then avg(daily_long.value)
            else percentile_cont(statistics.percentile / 100.0) within group (order by daily_long.value)
        end as value,
        count(*) as valid_days
    from daily_long
    inner join statistics
        on statistics.pollutant = daily_long.pollutant
       and statistics.series = daily_long.series
       and {{ in_force('make_date(daily_long.year, 12, 31)', 'statistics') }}
    group by daily_long.area_code, daily_long.year, daily_long.pollutant, statistics.statistic, statistics.series,
             statistics.percentile, statistics.limit_averaging, statistics.standard_code

),

final as (

    select
        computed.year,
        computed.area_code,
        computed.pollutant,
        computed.statistic,
        computed.series,
        computed.percentile,
        computed.value,
        computed.valid_days,
        rules.annual_min_days,
        coalesce(months_ok.months_meeting_minimum, 0) as months_meeting_minimum,
        computed.valid_days >= rules.annual_min_days and coalesce(months_ok.months_meeting_minimum, 0) = 12
            as is_valid,
        grade2.limit_value,
        grade2.standard_code as limit_standard,
        computed.value <= grade2.limit_value as meets_limit,
        computed.assessment_standard
    from computed
    inner join rules
        on {{ in_force('make_date(computed.year, 12, 31)', 'rules') }}
    left join months_ok
        on months_ok.area_code = computed.area_code and months_ok.year = computed.year
       and months_ok.pollutant = computed.pollutant and months_ok.series = computed.series
    -- the grade-II limit in force at the end of the year; a limit stays in force until a newer seed row replaces it
    left join lateral (
        select limits.limit_value, limits.standard_code
        from limits
        where limits.pollutant = computed.pollutant
          and limits.averaging = computed.limit_averaging
          and limits.grade = 2
          and limits.effective_from <= make_date(computed.year, 12, 31)
        order by limits.effective_from desc
        limit 1
    ) as grade2 on true

)

select * from final

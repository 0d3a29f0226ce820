-- One row per HJ 663 version: the capture thresholds of GB 3095-2012 Table 4 / HJ 663-2013 §6.1 as columns, plus the
-- GB 3095 O3 daily-max-8h grade-II limit that lets a day with fewer than 14 valid windows count when it exceeds it.
with

validity as (

    select * from {{ ref('std_air_validity') }}

),

limits as (

    select * from {{ ref('std_air_limits') }}

),

pivoted as (

    select
        standard_code,
        effective_from,
        effective_to,
        max(min_count) filter (where statistic = 'daily_mean')             as daily_min_hours,
        max(min_count) filter (where statistic = 'o3_8h_window')           as o3_window_min_hours,
        max(min_count) filter (where statistic = 'o3_daily_max8h_windows') as o3_min_windows,
        max(min_count) filter (where statistic = 'monthly_days')           as monthly_min_days,
        max(min_count) filter (where statistic = 'monthly_days_february')  as february_min_days,
        max(min_count) filter (where statistic = 'annual_days')            as annual_min_days
    from validity
    group by standard_code, effective_from, effective_to

),

final as (

    select
        pivoted.*,
        o3_limit.limit_value   as o3_max8h_limit,
        o3_limit.standard_code as o3_limit_standard
    from pivoted
    -- A limit stays in force until a newer seed row replaces it (GB 3095-2026 O3 values are not in the seeds yet).
    left join lateral (
        select limit_value, standard_code
        from limits
        where pollutant = 'o3' and averaging = 'max8h' and grade = 2 and effective_from <= pivoted.effective_from
        order by effective_from desc
        limit 1
    ) as o3_limit on true

)

select * from final

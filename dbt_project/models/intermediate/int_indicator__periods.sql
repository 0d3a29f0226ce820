-- The periods the indicator mart reports: every month from the first month any indicator source has data up to the
-- assessed month (var `period`, as_of_month()), each as a month and as year-to-date through that month, and every
-- year touched. A year is closed (its annual value can be judged) only when its December is within the range.
{%- set as_of %}{{ as_of_month() }}{% endset %}
with

air as (

    select min(obs_date) as first_day, max(obs_date) as last_day from {{ ref('fct_air_quality_daily') }}

),

water as (

    select min(period_end) as first_day, max(period_end) as last_day
    from {{ ref('fct_water_section_quality') }}
    where period_kind = 'month'

),

forms as (

    select min(period_end) as first_day, max(period_end) as last_day
    from {{ ref('fct_county_indicator_reported') }}

),

emissions as (

    select min(first_day) as first_day, max(last_day) as last_day from {{ ref('fct_source_emission_annual') }}

),

hazwaste as (

    -- annual only: the year's first day opens the range; the last month is set by the other sources or var period
    select make_date(min(year), 1, 1) as first_day, null::date as last_day from {{ ref('fct_hw_indicator_annual') }}

),

bounds as (

    select min(first_day) as first_day, max(last_day) as last_day
    from (
        select * from air union all select * from water union all select * from forms
        union all select * from emissions union all select * from hazwaste
    ) as sources

),

months as (

    select month_start::date as month_start
    from bounds
    cross join lateral generate_series(
        date_trunc('month', bounds.first_day),
        least(date_trunc('month', coalesce(bounds.last_day, bounds.first_day)), {{ as_of }}),
        interval '1 month') as month_start
    where bounds.first_day is not null

),

years as (

    select
        extract(year from month_start)::integer                                  as year,
        max(month_start)                                                         as last_month
    from months
    group by extract(year from month_start)

),

final as (

    select
        'month'                                                                  as time_scope,
        to_char(month_start, 'YYYY-MM')                                          as period_code,
        extract(year from month_start)::integer                                  as year,
        month_start                                                              as period_start,
        (month_start + interval '1 month - 1 day')::date                         as period_end,
        (month_start + interval '1 month - 1 day')::date                         as data_through,
        true                                                                     as is_closed
    from months
    union all
    select
        'ytd',
        to_char(month_start, 'YYYY-MM'),
        extract(year from month_start)::integer,
        date_trunc('year', month_start)::date,
        (month_start + interval '1 month - 1 day')::date,
        (month_start + interval '1 month - 1 day')::date,
        true
    from months
    union all
    select
        'year',
        year::text,
        year,
        make_date(year, 1, 1),
        make_date(year, 12, 31),
        (last_month + interval '1 month - 1 day')::date,
        extract(month from last_month) = 12
    from years

)

select * from final

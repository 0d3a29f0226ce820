-- 002 task 76: generators producing 5 t of hazardous waste a year or more are to be connected to the 智慧环保
-- platform. A year's production is the sum of the generator's 月度申报 实际产生量; a generator that declared nothing
-- in the window is measured by what its manifests shipped (returned and cancelled loads left out) — a lower bound,
-- since waste still in storage or disposed of on site is not shipped.
-- The window is the calendar year once it has closed; for the year of the assessed month (var `period`) it is the
-- twelve months ending with that month, so that a year in progress is judged on a year's production rather than on
-- a few months (a calendar year-to-date would clear every generator each January). Nothing after the assessed month
-- is read.
{%- set as_of %}{{ as_of_month() }}{% endset %}
with

declarations as (

    select * from {{ ref('int_hw__declarations') }}
    where declaration_type = '月度申报'
      and month_start <= {{ as_of }}

),

manifests as (

    select * from {{ ref('int_hw__manifests') }}
    where is_live
      and shipped_at < {{ as_of }} + interval '1 month'

),

platform as (

    select * from {{ ref('ref_hw_platform_enterprises') }}

),

counties as (

    select * from {{ ref('ref_counties') }}

),

declared_monthly as (

    select
        generator_key,
        month_start,
        sum(generated_t)                                                         as declared_t
    from declarations
    group by generator_key, month_start

),

shipped_monthly as (

    select
        generator_uscc                                                           as generator_key,
        date_trunc('month', shipped_at)::date                                    as month_start,
        sum(shipped_t)                                                           as shipped_t
    from manifests
    group by generator_uscc, date_trunc('month', shipped_at)

),

activity as (

    select
        coalesce(declared_monthly.generator_key, shipped_monthly.generator_key) as generator_key,
        coalesce(declared_monthly.month_start, shipped_monthly.month_start)     as month_start,
        declared_monthly.declared_t,
        declared_monthly.generator_key is not null                              as is_declared,
        coalesce(shipped_monthly.shipped_t, 0)                                   as shipped_t
    from declared_monthly
    full outer join shipped_monthly
        on shipped_monthly.generator_key = declared_monthly.generator_key
       and shipped_monthly.month_start = declared_monthly.month_start

),

years as (

    select distinct extract(year from month_start)::integer                    as year from activity
    union
    select extract(year from {{ as_of }})::integer

),

windows as (

    select
        year,
        (least(make_date(year, 12, 1), {{ as_of }}) - interval '11 months')::date as window_start,
        least(make_date(year, 12, 1), {{ as_of }})                              as window_end
    from years

),

-- the latest name and county each generator was seen with
identities as (

    select distinct on (generator_key)
        generator_key,
        generator_uscc,
        generator_name,
        county_code
    from (
        select generator_key, generator_uscc, generator_name, county_code, month_start as seen
        from declarations
        union all
        select generator_uscc, generator_uscc, generator_name, generator_county_code, shipped_at::date
        from manifests
    ) as seen_rows
    order by generator_key, seen desc, generator_name

),

generator_years as (

    select
        activity.generator_key,
        windows.year,
        windows.window_start,
        windows.window_end,
        count(*) filter (where activity.is_declared)                            as months_declared,
        sum(activity.declared_t)                                                 as declared_produced_t,
        sum(activity.shipped_t)                                                  as shipped_t
    from windows
    inner join activity
        on activity.month_start between windows.window_start and windows.window_end
    group by activity.generator_key, windows.year, windows.window_start, windows.window_end

),

final as (

    select
        generator_years.generator_key,
        identities.generator_uscc,
        identities.generator_name,
        identities.county_code,
        counties.county_name,
        generator_years.year,
        to_char(generator_years.window_start, 'YYYY-MM')                         as window_start_month,
        to_char(generator_years.window_end, 'YYYY-MM')                           as window_end_month,
        generator_years.year = extract(year from {{ as_of }})                    as is_assessed_year,
        generator_years.months_declared,
        generator_years.declared_produced_t,
        generator_years.shipped_t,
        case when generator_years.months_declared > 0
             then generator_years.declared_produced_t
             else generator_years.shipped_t end                                  as produced_t,
        case when generator_years.months_declared > 0 then 'declared' else 'shipped' end as produced_basis,
        case when generator_years.months_declared > 0
             then generator_years.declared_produced_t
             else generator_years.shipped_t end >= 5                            as is_at_or_above_5t,
        platform.generator_uscc is not null                                      as is_on_platform,
        case when generator_years.months_declared > 0
             then generator_years.declared_produced_t
             else generator_years.shipped_t end >= 5
            and platform.generator_uscc is null                                  as needs_platform
    from generator_years
    inner join identities on identities.generator_key = generator_years.generator_key
    left join platform on platform.generator_uscc = identities.generator_uscc
    left join counties on counties.county_code = identities.county_code

)

select * from final

-- Each section's value of each item, from two sources:
--   manual: per month (mean of the month's samples) and per year (mean of the monthly values: 《地表水环境质量评价办法
--           （试行）》 annual evaluation classifies the annual mean, not the worst month);
--   auto:   the section's automatic station, per day (mean of the day's valid readings) and per month (mean of the
--           daily values, the same averaging rule as the annual one).
with

versions as (

    select * from {{ ref('int_county__submission_versions') }}
    where template_code = 'water_monthly' and is_latest

),

samples as (

    select * from {{ ref('stg_raw__water_section_samples') }}

),

sections as (

    select * from {{ ref('ref_water_sections') }}

),

auto_daily as (

    select * from {{ ref('int_water__auto_daily') }}
    where item_value is not null

),

sample_values as (

    select
        samples.section_code,
        versions.period_code,
        versions.period_end,
        -- GB 3838 Table 1 has a separate TP column for lakes and reservoirs
        case when samples.item_code = 'tp' and sections.waterbody_type in ('lake', 'reservoir') then 'tp_lake'
             else samples.item_code end                                          as item_code,
        -- below the detection limit: half the limit takes part in statistics (评价办法 数据统计); ND without a
        -- stated limit cannot, and is left out
        case when samples.is_below_detection then samples.detection_limit / 2
             else samples.measured_value end                                     as stat_value,
        samples.is_below_detection
    from samples
    inner join versions on versions.submission_id = samples.submission_id
    inner join sections on sections.section_code = samples.section_code

),

monthly as (

    select
        section_code,
        'manual'                                                                 as data_source,
        'month'                                                                  as period_kind,
        period_code,
        period_end,
        item_code,
        avg(stat_value)                                                          as item_value,
        count(stat_value)                                                        as n_values
    from sample_values
    where stat_value is not null
    group by section_code, period_code, period_end, item_code

),

annual as (

    select
        section_code,
        data_source,
        'year'                                                                   as period_kind,
        extract(year from period_end)::integer::text                             as period_code,
        make_date(extract(year from period_end)::integer, 12, 31)                as period_end,
        item_code,
        avg(item_value)                                                          as item_value,
        count(*)                                                                 as n_values
    from monthly
    group by section_code, data_source, extract(year from period_end), item_code

),

auto_days as (

    select
        auto_daily.section_code,
        'auto'                                                                   as data_source,
        'day'                                                                    as period_kind,
        to_char(auto_daily.obs_date, 'YYYY-MM-DD')                               as period_code,
        auto_daily.obs_date                                                      as period_end,
        case when auto_daily.item_code = 'tp' and sections.waterbody_type in ('lake', 'reservoir') then 'tp_lake'
             else auto_daily.item_code end                                       as item_code,
        auto_daily.item_value::numeric                                           as item_value,
        auto_daily.n_valid                                                       as n_values
    from auto_daily
    inner join sections on sections.section_code = auto_daily.section_code

),

auto_months as (

    select
        section_code,
        data_source,
        'month'                                                                  as period_kind,
        to_char(period_end, 'YYYY-MM')                                           as period_code,
        (date_trunc('month', period_end) + interval '1 month - 1 day')::date     as period_end,
        item_code,
        avg(item_value)                                                          as item_value,
        count(*)                                                                 as n_values
    from auto_days
    group by section_code, data_source, to_char(period_end, 'YYYY-MM'),
             date_trunc('month', period_end), item_code

),

final as (

    select * from monthly
    union all
    select * from annual
    union all
    select * from auto_days
    union all
    select * from auto_months

)

select * from final

-- Indicator values counties report on their forms: the latest version for exactly that period (never carried
-- forward: a value stands for its own period only).
with

versions as (

    select * from {{ ref('int_county__submission_versions') }}
    where is_latest and template_code = 'indicator_form'

),

indicator_values as (

    select * from {{ ref('stg_raw__county_indicator_values') }}

),

indicators as (

    select * from {{ ref('ref_report_indicators') }}

),

final as (

    select
        versions.period_code,
        versions.period_end,
        versions.county_code,
        indicator_values.indicator_code,
        indicators.indicator_name,
        indicator_values.value,
        indicators.unit,
        indicator_values.data_source,
        indicator_values.remarks,
        versions.submission_id,
        versions.version_no
    from versions
    inner join indicator_values on indicator_values.submission_id = versions.submission_id
    inner join indicators on indicators.indicator_code = indicator_values.indicator_code

)

select * from final

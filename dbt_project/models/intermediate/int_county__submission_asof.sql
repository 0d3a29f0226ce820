-- For every period a unit owes a form: the submission that stands for it — the latest version for that period or,
-- when the unit has not (yet) submitted it, the latest version of its most recent earlier period (carried forward,
-- so a city total never drops because one county is late; timeliness is reported separately).
with

calendar as (

    select * from {{ ref('int_county__report_calendar') }}

),

versions as (

    select * from {{ ref('int_county__submission_versions') }}
    where is_latest

),

final as (

    select
        calendar.programme_code,
        calendar.template_code,
        calendar.county_code,
        calendar.period_code,
        calendar.period_start,
        calendar.period_end,
        standing.submission_id,
        standing.period_code                                                       as source_period_code,
        standing.period_code is distinct from calendar.period_code                 as is_carried_forward
    from calendar
    inner join lateral (
        select versions.submission_id, versions.period_code
        from versions
        where versions.template_code = calendar.template_code
          and versions.programme_code = calendar.programme_code
          and versions.county_code = calendar.county_code
          and versions.period_end <= calendar.period_end
        order by versions.period_end desc
        limit 1
    ) as standing on true

)

select * from final

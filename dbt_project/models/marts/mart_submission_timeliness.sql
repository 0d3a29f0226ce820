-- Whether each unit submitted each form on time, and how clean the submission was.
with

calendar as (

    select * from {{ ref('int_county__report_calendar') }}

),

versions as (

    select * from {{ ref('int_county__submission_versions') }}

),

per_period as (

    select
        template_code,
        programme_code,
        county_code,
        period_code,
        min(delivered_at)                                                         as first_delivered_at,
        max(delivered_at)                                                         as latest_delivered_at,
        count(*)                                                                  as versions,
        sum(rows_received) filter (where is_latest)                               as rows_received,
        sum(rows_loaded) filter (where is_latest)                                 as rows_loaded,
        sum(rows_quarantined) filter (where is_latest)                            as rows_quarantined,
        sum(rows_with_warnings) filter (where is_latest)                          as rows_with_warnings
    from versions
    group by template_code, programme_code, county_code, period_code

),

templates as (

    select * from {{ ref('ref_report_templates') }}

),

final as (

    select
        calendar.programme_code,
        calendar.template_code,
        templates.template_name,
        calendar.county_code,
        calendar.county_name,
        calendar.period_code,
        calendar.due_date,
        per_period.first_delivered_at,
        per_period.latest_delivered_at,
        coalesce(per_period.versions, 0)                                          as versions,
        -- due by the end of the due day, China Standard Time
        case
            when per_period.first_delivered_at is null
                then case when now() >= (calendar.due_date + 1)::timestamp at time zone 'Asia/Shanghai'
                          then 'missing' else 'pending' end
            when per_period.first_delivered_at < (calendar.due_date + 1)::timestamp at time zone 'Asia/Shanghai'
                then 'on_time'
            else 'late'
        end                                                                       as timeliness,
        -- greatest() would turn "never delivered" into 0
        case when per_period.first_delivered_at is not null
             then greatest(0, (per_period.first_delivered_at at time zone 'Asia/Shanghai')::date - calendar.due_date)
        end                                                                       as days_late,
        coalesce(per_period.rows_received, 0)                                     as rows_received,
        coalesce(per_period.rows_loaded, 0)                                       as rows_loaded,
        coalesce(per_period.rows_quarantined, 0)                                  as rows_quarantined,
        coalesce(per_period.rows_with_warnings, 0)                                as rows_with_warnings
    from calendar
    inner join templates on templates.template_code = calendar.template_code
    left join per_period
        on per_period.template_code = calendar.template_code
       and per_period.programme_code = calendar.programme_code
       and per_period.county_code = calendar.county_code
       and per_period.period_code = calendar.period_code

)

select * from final

-- Every task (117) and key project (28) of 002 in every reporting period, whether reported or not.
with

progress as (

    select * from {{ ref('int_county__task_progress_state') }}

),

tasks as (

    select * from {{ ref('ref_tasks') }}

),

projects as (

    select * from {{ ref('ref_key_projects') }}

),

periods as (

    select distinct period_code, period_end
    from {{ ref('int_county__report_calendar') }}
    where template_code = 'task_progress'

),

items as (

    select 'task' as item_kind, task_no as item_no, task_text as item_name, section_no, section_name,
           lead_units, null::integer as completion_year
    from tasks
    union all
    select 'project', project_no, project_name, null::integer, section_name, responsible_units, completion_year
    from projects

),

reported as (

    select
        period_code,
        item_kind,
        item_no,
        count(*)                                                                  as reports,
        count(*) filter (where status = '已完成')                                  as reports_completed,
        count(*) filter (where status = '滞后')                                    as reports_lagging,
        count(*) filter (where status = '未启动')                                  as reports_not_started,
        round(avg(percent_complete), 1)                                           as avg_percent_complete
    from progress
    group by period_code, item_kind, item_no

),

final as (

    select
        periods.period_code,
        periods.period_end,
        items.item_kind,
        items.item_no,
        items.item_name,
        items.section_no,
        items.section_name,
        items.lead_units,
        items.completion_year,
        coalesce(reported.reports, 0)                                             as reports,
        coalesce(reported.reports_completed, 0)                                   as reports_completed,
        coalesce(reported.reports_lagging, 0)                                     as reports_lagging,
        reported.avg_percent_complete,
        case
            when reported.reports is null then '未报送'
            when reported.reports_completed = reported.reports then '已完成'
            when reported.reports_lagging > 0 then '滞后'
            when reported.reports_not_started = reported.reports then '未启动'
            else '推进中'
        end                                                                       as overall_status,
        -- a key project not completed after the end of its completion year is overdue
        (items.completion_year is not null
            and coalesce(reported.reports_completed = reported.reports, false) is false
            and periods.period_end > make_date(items.completion_year, 12, 31))    as is_overdue
    from periods
    cross join items
    left join reported
        on reported.period_code = periods.period_code
       and reported.item_kind = items.item_kind
       and reported.item_no = items.item_no

)

select * from final

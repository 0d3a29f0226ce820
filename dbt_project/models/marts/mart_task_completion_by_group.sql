-- Task completion per section of 002 and per lead unit (a task led by two units counts for each of them);
-- key projects per section.
with

items as (

    select * from {{ ref('mart_task_completion') }}

),

grouped_items as (

    select 'section' as group_kind, section_no::text || ' ' || section_name as group_name, items.*
    from items
    where item_kind = 'task'
    union all
    select 'lead_unit', trim(unit_name), items.*
    from items
    cross join lateral unnest(string_to_array(replace(items.lead_units, '，', '、'), '、')) as unit_name
    where item_kind = 'task' and trim(unit_name) <> ''
    union all
    select 'project_section', section_name, items.*
    from items
    where item_kind = 'project'

),

final as (

    select
        period_code,
        group_kind,
        group_name,
        count(*)                                                                  as items_total,
        count(*) filter (where overall_status <> '未报送')                          as items_reported,
        count(*) filter (where overall_status = '已完成')                           as items_completed,
        count(*) filter (where overall_status = '滞后')                             as items_lagging,
        count(*) filter (where is_overdue)                                        as items_overdue,
        round(100.0 * count(*) filter (where overall_status = '已完成') / count(*), 1) as completion_rate_pct
    from grouped_items
    group by period_code, group_kind, group_name

)

select * from final

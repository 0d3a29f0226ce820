-- Task responsibility index for the 117 tasks and 28 key projects of 002: per period, for the city, for each lead
-- unit and for each county or block — items due, completed on time, completed late, overdue, not yet due — by item kind
-- and for both kinds together ('all').
--
-- Deadline: 31 December of a key project's completion year (ref_key_projects). 002's task table gives no completion
-- year for the 117 tasks, so a task is never due and the task index stays null until a deadline is supplied.
-- Completion date: the end of the first period in which the item was reported 已完成 (the form carries no date); for
-- the city and lead units an item is done when every report on it says 已完成 (mart_task_completion.overall_status).
-- Lead units: a task's 牵头单位; a key project lists only 责任单位, so each of them counts as responsible.
-- Counties: only the items a county reports on (as of the period, carried forward) are its own; items it never
-- reports stay in the city and lead-unit rows, where unreported items past their deadline are overdue.
with

city_items as (

    select * from {{ ref('mart_task_completion') }}

),

progress as (

    select * from {{ ref('int_county__task_progress_state') }}

),

projects as (

    select * from {{ ref('ref_key_projects') }}

),

units as (

    select * from {{ ref('ref_programme_units') }}

),

programmes as (

    select * from {{ ref('ref_programmes') }}

),

schedules as (

    select * from {{ ref('ref_report_schedules') }}

),

task_programme as (

    -- the programme that collects the task-progress form (002) names the city
    select programmes.region_code, programmes.region_name
    from programmes
    where programmes.programme_code in (
        select schedules.programme_code from schedules where schedules.template_code = 'task_progress')

),

city_state as (

    select
        task_programme.region_code                                                as city_code,
        task_programme.region_name                                                as city_name,
        city_items.period_code,
        city_items.period_end,
        city_items.item_kind,
        city_items.item_no,
        city_items.lead_units,
        make_date(city_items.completion_year, 12, 31)                             as deadline,
        city_items.overall_status = '已完成'                                       as is_completed,
        min(city_items.period_end) filter (where city_items.overall_status = '已完成') over (
            partition by city_items.item_kind, city_items.item_no order by city_items.period_end
            rows between unbounded preceding and current row)                     as completed_on
    from city_items
    cross join task_programme

),

county_reported as (

    select
        programme_code,
        period_code,
        max(period_end)                                                           as period_end,
        county_code,
        item_kind,
        item_no,
        bool_and(status = '已完成')                                                as is_completed
    from progress
    group by programme_code, period_code, county_code, item_kind, item_no

),

county_state as (

    select
        county_reported.*,
        make_date(projects.completion_year, 12, 31)                               as deadline,
        min(county_reported.period_end) filter (where county_reported.is_completed) over (
            partition by county_reported.county_code, county_reported.item_kind, county_reported.item_no
            order by county_reported.period_end
            rows between unbounded preceding and current row)                     as completed_on
    from county_reported
    left join projects
        on county_reported.item_kind = 'project'
       and projects.project_no = county_reported.item_no

),

scoped as (

    select 'city' as scope_kind, city_code as scope_code, city_name as scope_name,
           period_code, period_end, item_kind, item_no, deadline, is_completed, completed_on
    from city_state
    union all
    -- split on 、 outside parentheses: 各县（市、区）政府 is one unit
    select 'lead_unit', trim(unit_name), trim(unit_name),
           period_code, period_end, item_kind, item_no, deadline, is_completed, completed_on
    from city_state
    cross join lateral regexp_split_to_table(lead_units, '、(?![^（(]*[）)])') as unit_name
    where trim(unit_name) <> ''
    union all
    select 'county', county_state.county_code, units.unit_name,
           county_state.period_code, county_state.period_end, county_state.item_kind, county_state.item_no,
           county_state.deadline, county_state.is_completed, county_state.completed_on
    from county_state
    inner join units
        on units.programme_code = county_state.programme_code
       and units.unit_code = county_state.county_code

),

classified as (

    select
        scoped.*,
        coalesce(period_end > deadline, false)                                    as is_due
    from scoped

),

counted as (

    select
        period_code,
        scope_kind,
        scope_code,
        item_kind,
        grouping(item_kind)                                                       as is_kind_total,
        max(scope_name)                                                           as scope_name,
        max(period_end)                                                           as period_end,
        count(*)                                                                  as items_total,
        count(*) filter (where is_due)                                            as items_due,
        count(*) filter (where is_due and is_completed and completed_on <= deadline) as completed_on_time,
        count(*) filter (where is_due and is_completed and completed_on > deadline) as completed_late,
        count(*) filter (where is_due and not is_completed)                       as overdue,
        count(*) filter (where not is_due)                                        as not_yet_due,
        count(*) filter (where not is_due and is_completed)                       as completed_not_yet_due
    from classified
    group by grouping sets (
        (period_code, scope_kind, scope_code, item_kind),
        (period_code, scope_kind, scope_code)
    )

),

final as (

    select
        period_code,
        period_end,
        scope_kind,
        scope_code,
        scope_name,
        case when is_kind_total = 1 then 'all' else item_kind end                 as item_kind,
        items_total,
        items_due,
        completed_on_time,
        completed_late,
        overdue,
        not_yet_due,
        completed_not_yet_due,
        -- nothing due yet: the index is undefined (null), not 0
        round(100.0 * completed_on_time / nullif(items_due, 0), 1)                as responsibility_index_pct
    from counted

)

select * from final

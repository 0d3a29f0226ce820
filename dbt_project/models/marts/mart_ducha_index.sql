-- The “重大生态环保督察”清单指数 (001 四（二）: 各地各部门工作情况列入美丽衢州工作考核、“重大生态环保督察”清单指数评价;
-- the list itself is 001 三（三）3: 问题交办、调度进展、整改销号的全过程跟踪问效; lagging work gets 通报预警、挂牌督办).
-- Per month and reporting unit (county or block) and for the city: problems on the standing list, open, closed in the
-- month, overdue, overdue by more than 90 days, open under 通报预警 / 挂牌督办, and the index
--     清单指数 = max(0, 100 − Σ_component min(cap, count × points_per_item))
-- over the components of seeds/ref_ducha_index_rules.csv (001 gives no weights: they are a documented default).
-- A unit that never submitted a list (or whose standing list lost every row to quarantine) has no counts and no index
-- (NULL, with index_status saying why), never 100 by default. The city row sums the units' counts; its index is the
-- mean of the units' indices (a capped deduction on city-wide totals would saturate). Units are ranked 1 = best.
with

calendar as (

    select * from {{ ref('int_county__report_calendar') }}
    where template_code = 'ducha_list'

),

standing as (

    select * from {{ ref('int_county__submission_asof') }}
    where template_code = 'ducha_list'

),

submissions as (

    select * from {{ ref('stg_raw__county_submissions') }}

),

problems as (

    select * from {{ ref('int_county__ducha_list_state') }}

),

rules as (

    select * from {{ ref('ref_ducha_index_rules') }}

),

areas as (

    select * from {{ ref('ref_counties') }}

),

programmes as (

    select * from {{ ref('ref_programmes') }}

),

unit_periods as (

    select
        calendar.programme_code,
        calendar.period_code,
        calendar.period_start,
        calendar.period_end,
        calendar.county_code                                                       as area_code,
        calendar.county_name                                                       as area_name,
        standing.source_period_code,
        case
            when standing.submission_id is null then 'never_submitted'
            when submissions.rows_loaded = 0 and submissions.rows_quarantined > 0 then 'all_rows_quarantined'
            when standing.is_carried_forward then 'carried_forward'
            else 'reported'
        end                                                                        as index_status,
        submissions.rows_quarantined
    from calendar
    left join standing
        on standing.programme_code = calendar.programme_code
       and standing.county_code = calendar.county_code
       and standing.period_code = calendar.period_code
    left join submissions on submissions.submission_id = standing.submission_id

),

flagged as (

    select
        period_code,
        county_code,
        rectify_status <> '已销号'                                                  as is_open,
        rectify_status = '已销号' and closed_on between period_start and period_end as is_closed_in_period,
        rectify_status <> '已销号' and period_end > rectify_deadline                 as is_overdue,
        rectify_status <> '已销号' and period_end - rectify_deadline > 90            as is_overdue_90d,
        supervision_level
    from problems

),

problem_counts as (

    select
        period_code,
        county_code,
        count(*)                                                                   as problems_listed,
        count(*) filter (where is_open)                                            as problems_open,
        count(*) filter (where is_closed_in_period)                                as closed_in_period,
        count(*) filter (where is_overdue)                                         as overdue,
        count(*) filter (where is_overdue_90d)                                     as overdue_90d,
        count(*) filter (where is_open and supervision_level = '通报预警')           as open_warning,
        count(*) filter (where is_open and supervision_level = '挂牌督办')           as open_supervised,
        count(*) filter (where is_open and supervision_level <> '无')               as alerts_unresolved
    from flagged
    group by period_code, county_code

),

unit_counts as (

    -- counts only where a list stands for the period: 0 problems on a submitted list is 0, no list is NULL
    select
        unit_periods.*,
        unit_periods.index_status in ('reported', 'carried_forward')               as has_list,
        case when unit_periods.index_status in ('reported', 'carried_forward')
             then coalesce(problem_counts.problems_listed, 0) end                  as problems_listed,
        case when unit_periods.index_status in ('reported', 'carried_forward')
             then coalesce(problem_counts.problems_open, 0) end                    as problems_open,
        case when unit_periods.index_status in ('reported', 'carried_forward')
             then coalesce(problem_counts.closed_in_period, 0) end                 as closed_in_period,
        case when unit_periods.index_status in ('reported', 'carried_forward')
             then coalesce(problem_counts.overdue, 0) end                          as overdue,
        case when unit_periods.index_status in ('reported', 'carried_forward')
             then coalesce(problem_counts.overdue_90d, 0) end                      as overdue_90d,
        case when unit_periods.index_status in ('reported', 'carried_forward')
             then coalesce(problem_counts.open_warning, 0) end                     as open_warning,
        case when unit_periods.index_status in ('reported', 'carried_forward')
             then coalesce(problem_counts.open_supervised, 0) end                  as open_supervised,
        case when unit_periods.index_status in ('reported', 'carried_forward')
             then coalesce(problem_counts.alerts_unresolved, 0) end                as alerts_unresolved
    from unit_periods
    left join problem_counts
        on problem_counts.period_code = unit_periods.period_code
       and problem_counts.county_code = unit_periods.area_code

),

component_counts as (

    -- one row per unit, period and index component: the count the component's points apply to
    select
        unit_counts.period_code,
        unit_counts.area_code,
        components.component_code,
        components.item_count
    from unit_counts
    cross join lateral (
        values
            ('open_problems', unit_counts.problems_open),
            ('overdue', unit_counts.overdue),
            ('overdue_90d', unit_counts.overdue_90d),
            ('warning_open', unit_counts.open_warning),
            ('supervised_open', unit_counts.open_supervised)
    ) as components (component_code, item_count)
    where unit_counts.has_list

),

deductions as (

    select
        component_counts.period_code,
        component_counts.area_code,
        sum(least(rules.cap, component_counts.item_count * rules.points_per_item)) as deduction_points,
        jsonb_object_agg(
            rules.component_code, least(rules.cap, component_counts.item_count * rules.points_per_item)
        )                                                                          as deduction_by_component
    from component_counts
    inner join rules on rules.component_code = component_counts.component_code
    group by component_counts.period_code, component_counts.area_code

),

unit_index as (

    select
        unit_counts.*,
        case when unit_counts.has_list then coalesce(deductions.deduction_points, 0) end as deduction_points,
        case when unit_counts.has_list then coalesce(deductions.deduction_by_component, '{}'::jsonb) end
                                                                                   as deduction_by_component,
        case when unit_counts.has_list
             then round(greatest(0, 100 - coalesce(deductions.deduction_points, 0)), 1) end as ducha_index
    from unit_counts
    left join deductions
        on deductions.period_code = unit_counts.period_code
       and deductions.area_code = unit_counts.area_code

),

city_programme as (

    select programmes.region_code, programmes.region_name
    from programmes
    where programmes.programme_code in (select distinct calendar.programme_code from calendar)

),

city_index as (

    select
        max(unit_index.programme_code)                                             as programme_code,
        unit_index.period_code,
        max(unit_index.period_start)                                               as period_start,
        max(unit_index.period_end)                                                 as period_end,
        city_programme.region_code                                                 as area_code,
        city_programme.region_name                                                 as area_name,
        null::text                                                                 as source_period_code,
        case
            when count(*) filter (where unit_index.has_list) = 0 then 'no_unit_data'
            when count(*) filter (where unit_index.has_list) < count(*) then 'partial'
            else 'all_units'
        end                                                                        as index_status,
        sum(unit_index.rows_quarantined)                                           as rows_quarantined,
        count(*)                                                                   as units_expected,
        count(*) filter (where unit_index.has_list)                                as units_with_list,
        sum(unit_index.problems_listed)                                            as problems_listed,
        sum(unit_index.problems_open)                                              as problems_open,
        sum(unit_index.closed_in_period)                                           as closed_in_period,
        sum(unit_index.overdue)                                                    as overdue,
        sum(unit_index.overdue_90d)                                                as overdue_90d,
        sum(unit_index.open_warning)                                               as open_warning,
        sum(unit_index.open_supervised)                                            as open_supervised,
        sum(unit_index.alerts_unresolved)                                          as alerts_unresolved,
        null::numeric                                                              as deduction_points,
        null::jsonb                                                                as deduction_by_component,
        round(avg(unit_index.ducha_index), 1)                                      as ducha_index
    from unit_index
    cross join city_programme
    group by unit_index.period_code, city_programme.region_code, city_programme.region_name

),

combined as (

    select
        programme_code, period_code, period_start, period_end, area_code, area_name, source_period_code,
        index_status, rows_quarantined,
        1                                                                          as units_expected,
        case when has_list then 1 else 0 end                                       as units_with_list,
        problems_listed, problems_open, closed_in_period, overdue, overdue_90d, open_warning, open_supervised,
        alerts_unresolved, deduction_points, deduction_by_component, ducha_index
    from unit_index
    union all
    select
        programme_code, period_code, period_start, period_end, area_code, area_name, source_period_code,
        index_status, rows_quarantined, units_expected, units_with_list,
        problems_listed, problems_open, closed_in_period, overdue, overdue_90d, open_warning, open_supervised,
        alerts_unresolved, deduction_points, deduction_by_component, ducha_index
    from city_index

),

final as (

    select
        combined.period_code,
        combined.period_start,
        combined.period_end,
        combined.area_code,
        combined.area_name,
        areas.area_level,
        combined.index_status,
        combined.source_period_code,
        combined.units_expected,
        combined.units_with_list,
        combined.rows_quarantined,
        combined.problems_listed,
        combined.problems_open,
        combined.closed_in_period,
        combined.overdue,
        combined.overdue_90d,
        combined.open_warning,
        combined.open_supervised,
        combined.alerts_unresolved,
        combined.deduction_points,
        combined.deduction_by_component,
        combined.ducha_index,
        -- counties and blocks ranked together within the month, 1 = best (highest index); ties share a rank
        case when areas.area_level <> 'city' and combined.ducha_index is not null
             then rank() over (
                 partition by combined.period_code,
                              areas.area_level <> 'city' and combined.ducha_index is not null
                 order by combined.ducha_index desc) end                           as index_rank,
        combined.ducha_index - lag(combined.ducha_index) over (
            partition by combined.area_code order by combined.period_end)          as index_change
    from combined
    left join areas on areas.county_code = combined.area_code

)

select * from final

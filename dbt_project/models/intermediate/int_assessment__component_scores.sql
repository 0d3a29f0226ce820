-- One row per month × county × component of the 美丽衢州 county assessment: the component's value, its 0–100 score and
-- its weight, under the rules (seeds/ref_assessment_components.csv) in force on the first day of the month — a new
-- rules_version is a block of CSV rows with a later effective_from, and months before it keep the rules they had.
--
-- Scoring methods (the seed says which applies to which component):
--   linear       score = 100 × clamp((value − zero_score_at) ÷ (full_score_at − zero_score_at), 0, 1); the same formula
--                serves both directions (for a lower-is-better indicator full_score_at < zero_score_at).
--   target_ratio score = 100 × min(1, value ÷ target) when higher is better, 100 × min(1, target ÷ value) when lower is
--                better, with the target of the indicator mart (fct_indicator_values.target_value).
--   index        the value is already an index on 0–100 (remediation, task responsibility, 督察清单) and is the score.
-- Missing values: when_missing = 'zero' scores 0 (data a county owed and did not deliver is not rewarded);
-- 'exclude' takes the component out of that county-month, and the other weights are rescaled (an index with nothing
-- due yet is not applicable, not failed).
with

components as (

    select * from {{ ref('ref_assessment_components') }}

),

areas as (

    select * from {{ ref('dim_area') }}

),

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

remediation_index as (

    select * from {{ ref('mart_remediation_index') }}

),

task_index as (

    select * from {{ ref('mart_task_responsibility_index') }}

),

ducha_index as (

    select * from {{ ref('mart_ducha_index') }}

),

months as (

    select distinct period_code, period_start
    from indicator_values
    where time_scope = 'month'

),

rules_in_force as (

    -- the latest rules_version whose effective_from is on or before the month
    select months.period_code, max(components.effective_from) as effective_from
    from months
    inner join components on components.effective_from <= months.period_start
    group by months.period_code

),

grid as (

    select
        months.period_code,
        months.period_start,
        areas.area_code,
        areas.area_name,
        areas.sort_order,
        components.*
    from months
    inner join rules_in_force on rules_in_force.period_code = months.period_code
    inner join components on components.effective_from = rules_in_force.effective_from
    cross join areas
    where areas.area_level = 'county'

),

sourced as (

    select
        grid.*,
        case grid.source_kind
            when 'indicator' then iv.value
            when 'remediation_index' then ri.remediation_index_pct
            when 'task_index' then ti.responsibility_index_pct
            when 'ducha_index' then di.ducha_index
        end                                                                       as value,
        iv.target_value,
        iv.direction
    from grid
    left join indicator_values as iv
        on grid.source_kind = 'indicator'
       and iv.indicator_code = grid.source_code
       and iv.time_scope = grid.time_scope
       and iv.period_code = grid.period_code
       and iv.area_code = grid.area_code
    left join remediation_index as ri
        on grid.source_kind = 'remediation_index'
       and ri.industry_code = grid.source_code
       and ri.period_code = grid.period_code
       and ri.area_code = grid.area_code
    left join task_index as ti
        on grid.source_kind = 'task_index'
       and ti.scope_kind = 'county'
       and ti.item_kind = grid.source_code
       and ti.period_code = grid.period_code
       and ti.scope_code = grid.area_code
    left join ducha_index as di
        on grid.source_kind = 'ducha_index'
       and di.period_code = grid.period_code
       and di.area_code = grid.area_code

),

scored as (

    select
        sourced.*,
        case
            when value is null then null
            when scoring_method = 'index' then greatest(0, least(100, value))
            when scoring_method = 'linear' then 100 * greatest(0, least(1,
                (value - zero_score_at) / nullif(full_score_at - zero_score_at, 0)))
            when scoring_method = 'target_ratio' and direction = 'higher_better' then
                100 * least(1, value / nullif(target_value, 0))
            when scoring_method = 'target_ratio' and direction = 'lower_better' then
                case when value <= target_value then 100 else 100 * target_value / value end
        end                                                                       as raw_score
    from sourced

),

final as (

    select
        period_code,
        period_start,
        area_code,
        area_name,
        sort_order,
        rules_version,
        component_code,
        component_name,
        component_group,
        source_kind,
        source_code,
        weight,
        scoring_method,
        value,
        case
            when raw_score is not null then 'scored'
            when value is not null then 'no_target'        -- a value but no numeric target to score it against
            when when_missing = 'zero' then 'missing_zero'
            else 'excluded'
        end                                                                       as score_status,
        case
            when raw_score is not null then raw_score
            when value is null and when_missing = 'zero' then 0
        end                                                                       as score
    from scored

)

select * from final

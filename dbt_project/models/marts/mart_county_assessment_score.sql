-- The 美丽衢州 county assessment per month: the weighted composite of the components in
-- seeds/ref_assessment_components.csv, the counties' ranking (1 = best; equal scores share a rank, the next rank is
-- skipped), and the month-over-month change of score and rank with the three components that moved it most.
with

components as (

    select * from {{ ref('fct_county_assessment_component') }}

),

component_scores as (

    select * from {{ ref('int_assessment__component_scores') }}

),

exact_totals as (

    -- the total from unrounded scores (the component table shows rounded points)
    select
        period_code,
        area_code,
        sum(weight * score) / nullif(sum(weight) filter (where score is not null), 0)      as exact_score
    from component_scores
    group by period_code, area_code

),

totals as (

    select
        components.period_code,
        components.area_code,
        max(area_name)                                                                        as area_name,
        max(rules_version)                                                                    as rules_version,
        max(previous_period_code)                                                             as previous_period_code,
        count(*)                                                                              as components_total,
        count(*) filter (where score_status = 'scored')                                       as components_scored,
        count(*) filter (where score_status = 'missing_zero')                                 as components_missing,
        round(100.0 * sum(weight) filter (where score_status in ('scored', 'missing_zero'))
              / sum(weight), 1)                                                               as weight_coverage_pct,
        -- null when no component counts at all: nothing to assess, not a score of 0
        round(max(exact_totals.exact_score)::numeric, 2)                                     as total_score
    from components
    inner join exact_totals using (period_code, area_code)
    group by components.period_code, components.area_code

),

ranked as (

    select
        totals.*,
        case when total_score is not null
             then rank() over (partition by period_code order by total_score desc nulls last) end as county_rank,
        count(total_score) over (partition by period_code)                                    as counties_ranked
    from totals

),

movers as (

    select
        period_code,
        area_code,
        string_agg(component_name || ' ' || case when points_change >= 0 then '+' else '−' end
                   || trim(to_char(abs(points_change), 'FM990.00')) || ' 分', '；' order by change_rank)
                                                                                              as top_contributors
    from components
    where change_rank <= 3 and points_change is not null and points_change <> 0
    group by period_code, area_code

),

final as (

    select
        ranked.period_code,
        ranked.area_code,
        ranked.area_name,
        ranked.rules_version,
        ranked.total_score,
        ranked.county_rank,
        ranked.counties_ranked,
        ranked.components_total,
        ranked.components_scored,
        ranked.components_missing,
        ranked.weight_coverage_pct,
        ranked.previous_period_code,
        previous.total_score                                                                  as previous_total_score,
        previous.county_rank                                                                  as previous_rank,
        ranked.total_score - previous.total_score                                             as score_change,
        previous.county_rank - ranked.county_rank                                             as rank_change,
        movers.top_contributors
    from ranked
    left join ranked as previous
        on previous.area_code = ranked.area_code
       and previous.period_code = ranked.previous_period_code
    left join movers
        on movers.period_code = ranked.period_code
       and movers.area_code = ranked.area_code

)

select * from final

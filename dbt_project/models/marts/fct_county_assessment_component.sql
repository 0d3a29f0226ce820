-- Each component's share of a county's 美丽衢州 score and how it moved since the previous month: the answer to "why did
-- 江山市 drop three places". points = weight × score ÷ (sum of the weights that count that month), so the points of a
-- county-month add up to its total score and their month-over-month changes add up to the change of the total.
with

scores as (

    select * from {{ ref('int_assessment__component_scores') }}

),

weighted as (

    select
        scores.*,
        sum(weight) filter (where score is not null) over (partition by period_code, area_code) as weight_counted
    from scores

),

pointed as (

    select
        weighted.*,
        case when score is not null then weight * score / weight_counted else 0 end           as points
    from weighted

),

with_previous as (

    select
        pointed.*,
        lag(period_code) over w                                                               as previous_period_code,
        lag(points) over w                                                                    as previous_points,
        lag(score) over w                                                                     as previous_score,
        lag(value) over w                                                                     as previous_value
    from pointed
    window w as (partition by area_code, component_code order by period_start)

),

final as (

    select
        period_code,
        area_code,
        area_name,
        rules_version,
        component_code,
        component_name,
        component_group,
        source_kind,
        source_code,
        weight,
        scoring_method,
        round(value::numeric, 2)                                                              as value,
        score_status,
        round(score::numeric, 2)                                                              as score,
        round(points::numeric, 3)                                                             as points,
        previous_period_code,
        round(previous_value::numeric, 2)                                                     as previous_value,
        round(previous_points::numeric, 3)                                                    as previous_points,
        round((points - previous_points)::numeric, 3)                                         as points_change,
        rank() over (partition by period_code, area_code
                     order by abs(points - previous_points) desc nulls last, component_code)  as change_rank
    from with_previous

)

select * from final

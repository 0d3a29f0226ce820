-- The 督察问题整改清单 standing for each period and unit: the latest version of that period's list or, when the unit
-- has not (yet) submitted it, its most recent earlier list carried forward (int_county__submission_asof), as for
-- the other county forms. A unit that never submitted a list has no rows here.
with

standing as (

    select * from {{ ref('int_county__submission_asof') }}
    where template_code = 'ducha_list'

),

problems as (

    select * from {{ ref('stg_raw__ducha_list') }}

),

final as (

    select
        standing.programme_code,
        standing.period_code,
        standing.period_start,
        standing.period_end,
        standing.source_period_code,
        standing.is_carried_forward,
        problems.*
    from standing
    inner join problems on problems.submission_id = standing.submission_id

)

select * from final

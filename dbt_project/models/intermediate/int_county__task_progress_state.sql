-- Task and key-project progress standing for each period: per county and reporting unit.
with

standing as (

    select * from {{ ref('int_county__submission_asof') }}
    where template_code = 'task_progress'

),

progress as (

    select * from {{ ref('stg_raw__task_progress') }}

),

final as (

    select
        standing.programme_code,
        standing.period_code,
        standing.period_start,
        standing.period_end,
        standing.source_period_code,
        standing.is_carried_forward,
        progress.*
    from standing
    inner join progress on progress.submission_id = standing.submission_id

)

select * from final

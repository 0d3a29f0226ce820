with

progress as (

    select * from {{ ref('int_county__task_progress_state') }}

),

final as (

    select
        period_code,
        period_end,
        item_kind,
        item_no,
        county_code,
        reporting_unit,
        status,
        percent_complete,
        narrative,
        evidence_ref,
        reported_item_name,
        source_period_code,
        is_carried_forward,
        submission_id
    from progress

)

select * from final

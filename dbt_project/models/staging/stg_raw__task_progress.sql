with

source as (

    select * from {{ source('raw', 'task_progress') }}

),

renamed as (

    select
        submission_id,
        source_row,
        county_code,
        item_kind,
        item_no,
        item_name as reported_item_name,
        reporting_unit,
        status,
        percent_complete::numeric(6, 2) as percent_complete,
        narrative,
        evidence_ref,
        jsonb_array_length(warnings) as warning_count
    from source

)

select * from renamed

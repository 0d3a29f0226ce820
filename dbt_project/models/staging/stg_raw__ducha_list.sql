with

source as (

    select * from {{ source('raw', 'ducha_list') }}

),

renamed as (

    select
        submission_id,
        source_row,
        county_code,
        problem_no,
        problem_source,
        assigned_on,
        description,
        industry_text,
        industry_code,
        responsible_unit,
        rectify_deadline,
        rectify_status,
        closed_on,
        supervision_level,
        remarks,
        jsonb_array_length(warnings) as warning_count
    from source

)

select * from renamed

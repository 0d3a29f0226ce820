with

source as (

    select * from {{ source('raw', 'county_indicator_values') }}

),

renamed as (

    select
        submission_id,
        source_row,
        county_code,
        indicator_code,
        indicator_label as reported_label,
        value,
        unit as reported_unit,
        data_source,
        remarks,
        jsonb_array_length(warnings) as warning_count
    from source

)

select * from renamed

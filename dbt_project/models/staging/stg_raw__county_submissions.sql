with

source as (

    select * from {{ source('raw', 'county_submissions') }}

),

renamed as (

    select
        submission_id,
        file_sha256,
        batch_id,
        sheet_name,
        template_code,
        programme_code,
        county_code,
        period_code,
        period_start,
        period_end,
        filled_on,
        delivered_at,
        received_at,
        rows_received,
        rows_loaded,
        rows_quarantined,
        rows_with_warnings
    from source

)

select * from renamed

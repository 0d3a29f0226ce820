with

source as (

    select * from {{ source('raw', 'hw_declarations') }}

),

renamed as (

    select
        batch_id,
        file_sha256,
        source_row,
        declaration_type,
        report_year,
        report_month,
        generator_name,
        generator_uscc,
        county_code,
        waste_code,
        hw_category,
        waste_name,
        planned_t,
        generated_t,
        self_disposed_t,
        entrusted_t,
        storage_end_t,
        content_hash
    from source

)

select * from renamed

with

source as (

    select * from {{ source('raw', 'hw_manifests') }}

),

renamed as (

    select
        batch_id,
        file_sha256,
        source_row,
        manifest_no,
        transfer_type,
        generator_name,
        generator_uscc,
        generator_county_code,
        generator_address,
        waste_code,
        hw_category,
        waste_name,
        waste_form,
        hazard_characteristics,
        shipped_t,
        packaging,
        carrier_name,
        carrier_permit_no,
        vehicle_plate,
        receiver_name,
        receiver_uscc,
        receiver_licence_no,
        receiver_province,
        receiver_county,
        receiver_county_code,
        disposal_method,
        shipped_at,
        received_at,
        received_t,
        manifest_status,
        content_hash
    from source

)

select * from renamed

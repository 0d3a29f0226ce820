with

stations as (

    select * from {{ ref('ref_air_stations') }}

),

final as (

    select
        station_code,
        station_name,
        county_code as area_code,
        control_level,
        evaluates_city,
        evaluates_county,
        longitude,
        latitude,
        valid_from,
        valid_to,
        is_demo
    from stations

)

select * from final

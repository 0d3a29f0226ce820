with

areas as (

    select * from {{ ref('ref_counties') }}

),

final as (

    select
        county_code as area_code,
        county_name as area_name,
        area_level,
        division_code,
        parent_code,
        sort_order
    from areas

)

select * from final

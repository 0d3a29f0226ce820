with

source as (

    select * from {{ source('raw', 'water_auto_platform') }}

),

expanded as (

    -- one row per reading and item (measurements is {item_code: value in the platform's unit})
    select
        source.batch_id,
        source.source_row,
        source.station_code,
        source.observed_at,
        source.reported_class,
        source.site_status,
        item.key                                                as item_code,
        (item.value #>> '{}')::double precision                 as reported_value
    from source
    cross join lateral jsonb_each(source.measurements) as item

)

select * from expanded

with

source as (

    select * from {{ source('raw', 'water_section_samples') }}

),

expanded as (

    -- one row per sample and monitored item (measurements is {item_code: {value | nd, dl, text}})
    select
        source.submission_id,
        source.source_row,
        source.section_code,
        source.sampled_on,
        item.key                                                as item_code,
        (item.value ->> 'value')::numeric                       as measured_value,
        coalesce((item.value ->> 'nd')::boolean, false)         as is_below_detection,
        (item.value ->> 'dl')::numeric                          as detection_limit,
        item.value ->> 'text'                                   as reported_text
    from source
    cross join lateral jsonb_each(source.measurements) as item

)

select * from expanded

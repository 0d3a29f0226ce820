with

classed as (

    select * from {{ ref('int_water__section_item_class') }}

),

items as (

    select distinct item_code, item_name, unit from {{ ref('std_water_limits') }}

),

final as (

    select
        classed.section_code,
        classed.data_source,
        classed.period_kind,
        classed.period_code,
        classed.period_end,
        classed.item_code,
        items.item_name,
        items.unit,
        round(classed.item_value, 6)                                             as item_value,
        classed.n_values,
        classed.item_class,
        case when classed.item_class = 6 then '劣V' else
            (array['I', 'II', 'III', 'IV', 'V'])[classed.item_class] end          as item_class_label,
        classed.exceed_multiple,
        classed.standard_code
    from classed
    inner join items on items.item_code = classed.item_code

)

select * from final

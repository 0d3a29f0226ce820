-- GB 3838-2002 single-factor class of each evaluated item (Table 1; limits inclusive; equal limits in adjacent
-- classes give the best class; DO is the only "≥" item; pH outside 6–9 and anything worse than class V is 劣V = 6)
-- and its 超标倍数 against class III (评价办法: not for water temperature, pH, DO).
with

item_values as (

    select * from {{ ref('int_water__section_item_values') }}

),

limits as (

    select * from {{ ref('std_water_limits') }}

),

met as (

    select
        item_values.section_code,
        item_values.data_source,
        item_values.period_kind,
        item_values.period_code,
        item_values.item_code,
        limits.water_class,
        limits.standard_code,
        case limits.comparator
            when '<=' then item_values.item_value <= limits.limit_max
            when '>=' then item_values.item_value >= limits.limit_min
            when 'range' then item_values.item_value between limits.limit_min and limits.limit_max
        end                                                                      as meets_limit,
        case when limits.water_class = 3 and limits.comparator = '<=' then limits.limit_max end as class_iii_limit
    from item_values
    inner join limits
        on limits.item_code = item_values.item_code
       and limits.evaluated
       and {{ in_force('item_values.period_end', 'limits') }}

),

classed as (

    select
        section_code,
        data_source,
        period_kind,
        period_code,
        item_code,
        max(standard_code)                                                      as standard_code,
        coalesce(min(water_class) filter (where meets_limit), 6)                 as item_class,
        max(class_iii_limit)                                                     as class_iii_limit
    from met
    group by section_code, data_source, period_kind, period_code, item_code

),

final as (

    select
        item_values.section_code,
        item_values.data_source,
        item_values.period_kind,
        item_values.period_code,
        item_values.period_end,
        item_values.item_code,
        item_values.item_value,
        item_values.n_values,
        classed.item_class,
        classed.standard_code,
        case when item_values.item_value > classed.class_iii_limit
             then round((item_values.item_value - classed.class_iii_limit) / classed.class_iii_limit, 2)
        end                                                                      as exceed_multiple
    from item_values
    inner join classed
        on classed.section_code = item_values.section_code
       and classed.data_source = item_values.data_source
       and classed.period_kind = item_values.period_kind
       and classed.period_code = item_values.period_code
       and classed.item_code = item_values.item_code

)

select * from final

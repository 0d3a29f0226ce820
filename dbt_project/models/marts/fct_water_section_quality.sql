-- Section class = the worst class of its evaluated items (评价办法); 达标 when it is no worse than the target class.
with

classed as (

    select * from {{ ref('int_water__section_item_class') }}

),

sections as (

    select * from {{ ref('ref_water_sections') }}

),

items as (

    select distinct item_code, item_name from {{ ref('std_water_limits') }}

),

per_section as (

    select
        classed.section_code,
        classed.data_source,
        classed.period_kind,
        classed.period_code,
        max(classed.period_end)                                                  as period_end,
        max(classed.item_class)                                                  as water_class,
        count(*)                                                                 as items_evaluated,
        max(classed.standard_code)                                               as standard_code
    from classed
    group by classed.section_code, classed.data_source, classed.period_kind, classed.period_code

),

worst_items as (

    select
        classed.section_code,
        classed.data_source,
        classed.period_kind,
        classed.period_code,
        string_agg(items.item_name, '、' order by classed.item_code) filter (
            where classed.item_class = per_section.water_class and per_section.water_class > 1) as determining_items,
        string_agg(items.item_name || '(' || classed.exceed_multiple || ')', '、' order by classed.item_code) filter (
            where classed.exceed_multiple > 0)                                   as exceeding_items
    from classed
    inner join per_section using (section_code, data_source, period_kind, period_code)
    inner join items on items.item_code = classed.item_code
    group by classed.section_code, classed.data_source, classed.period_kind, classed.period_code

),

final as (

    select
        per_section.section_code,
        sections.section_name,
        sections.control_level,
        sections.waterbody_type,
        sections.county_code,
        per_section.data_source,
        per_section.period_kind,
        per_section.period_code,
        per_section.period_end,
        per_section.water_class,
        case when per_section.water_class = 6 then '劣V' else
            (array['I', 'II', 'III', 'IV', 'V'])[per_section.water_class] end     as water_class_label,
        case when per_section.water_class <= 2 then '优'
             when per_section.water_class = 3 then '良好'
             when per_section.water_class = 4 then '轻度污染'
             when per_section.water_class = 5 then '中度污染'
             else '重度污染' end                                                  as quality_grade,
        sections.target_class,
        per_section.water_class <= sections.target_class                         as meets_target,
        per_section.water_class <= 3                                             as is_class_i_to_iii,
        per_section.items_evaluated,
        worst_items.determining_items,
        worst_items.exceeding_items,
        per_section.standard_code
    from per_section
    inner join sections on sections.section_code = per_section.section_code
    inner join worst_items
        on worst_items.section_code = per_section.section_code
       and worst_items.data_source = per_section.data_source
       and worst_items.period_kind = per_section.period_kind
       and worst_items.period_code = per_section.period_code

)

select * from final

-- Every numeric or text target an indicator of the mart can be judged against, one row per indicator × area (null =
-- any area) × target year: 表2-1 of 003 (2020), the text targets of 002/003 (ref_indicator_targets_extra, linked by
-- ref_indicator_catalog.target_codes), the assessed annual air targets (ref_indicator_assessed_targets, editable) and
-- the total-control reduction targets (ref_emission_baselines). Which one applies to a row is decided in
-- fct_indicator_values (area-specific before city-wide, then the latest target year ≤ the row's year, else the nearest
-- future one).
with

catalog as (

    select * from {{ ref('ref_indicator_catalog') }}

),

plan_table as (

    select * from {{ ref('ref_indicators_13th') }}

),

extra as (

    select * from {{ ref('ref_indicator_targets_extra') }}

),

assessed as (

    select * from {{ ref('ref_indicator_assessed_targets') }}

),

baselines as (

    select * from {{ ref('ref_emission_baselines') }}

),

from_plan_table as (

    select
        plan_table.indicator_code,
        null::text                                                               as area_code,
        2020                                                                     as target_year,
        plan_table.target_2020_value::numeric                                    as target_value,
        plan_table.target_2020_text                                              as target_text,
        '003 表2-1'                                                              as target_source
    from plan_table
    where plan_table.target_2020_text is not null

),

from_text as (

    select
        catalog.indicator_code,
        null::text                                                               as area_code,
        extra.target_year,
        extra.target_value::numeric                                              as target_value,
        case extra.comparator
            when 'reduction_pct' then coalesce('较' || extra.base_year || '年', '') || '削减 ≥ '
                                       || extra.target_value::text || extra.unit
            else extra.comparator || ' ' || extra.target_value::text || extra.unit
        end || '（' || extra.scope || '）'                                       as target_text,
        extra.source_doc || '：' || extra.source_quote                           as target_source
    from catalog
    cross join lateral unnest(string_to_array(catalog.target_codes, '|')) as linked (target_code)
    inner join extra on extra.target_code = linked.target_code

),

from_assessed as (

    select
        indicator_code,
        area_code,
        target_year,
        target_value::numeric                                                    as target_value,
        target_text,
        source_note                                                              as target_source
    from assessed

),

from_baselines as (

    select
        catalog.indicator_code,
        baselines.area_code,
        baselines.target_year,
        baselines.target_reduction_pct::numeric                                  as target_value,
        coalesce('较' || baselines.base_year || '年削减 ≥ ' || baselines.target_reduction_pct::text || '%',
                 '完成省下达任务（削减比例待填写）')                              as target_text,
        baselines.source                                                         as target_source
    from baselines
    inner join catalog
        on catalog.method_code = 'emission' and catalog.input_code = baselines.pollutant_code

),

final as (

    select * from from_plan_table
    union all
    select * from from_text
    union all
    select * from from_assessed
    union all
    select * from from_baselines

)

select * from final

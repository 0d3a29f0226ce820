-- 十三五 solid-waste indicators computable from the declarations and manifests, per county (and block), for the city
-- and per year:
--   危险废物利用处置率 = (received by licensed receivers + self-utilised/disposed) ÷ produced × 100, and the same for
--   医疗废物 (HW01) as its 无害化处置率 (003 reports 100 % for 十二五).
-- Produced, self-utilised/disposed: the 月度申报 of the year's months up to the assessed one (var `period`).
-- Received: the received quantity of the manifests received in the year (up to the assessed month) that carry no
-- blocking anomaly (seeds/ref_hw_anomaly_kinds.csv: unlicensed receiver, quantity discrepancy, conflicting number —
-- the receipt itself is in doubt); warnings (cross-province with approval, long distance, name, duplicate export)
-- do not undo a receipt. Attributed to the generator's county.
-- A rate may exceed 100 % when stored waste from earlier periods is disposed of. No declaration → produced and the
-- rate are null (never 0); data_completeness_pct = generator-months declared ÷ (generators seen × months elapsed).
-- ref_indicators_13th (表2-1) has no hazardous-waste row and ref_indicator_targets_extra only the 污泥 (wastewater
-- sludge, not on manifests) and new-capacity targets, so indicator_code is this mart's own, ready to be added there;
-- the mart joins mart_indicator_monthly on (area_code, indicator_code) and the year of its period.
{%- set as_of %}{{ as_of_month() }}{% endset %}
with

declarations as (

    select * from {{ ref('int_hw__declarations') }}
    where report_year <= extract(year from {{ as_of }})
      and (month_start is null or month_start <= {{ as_of }})

),

manifests as (

    select * from {{ ref('int_hw__manifests') }}

),

blocking as (

    select distinct manifest_no
    from {{ ref('fct_hw_anomalies') }}
    where subject_type = 'manifest' and severity = 'blocking'

),

areas as (

    select * from {{ ref('ref_counties') }}

),

indicators as (

    select * from (values
        ('hw_utilisation_disposal_rate_pct', '危险废物利用处置率', null),
        ('hw_medical_harmless_disposal_rate_pct', '医疗废物无害化处置率', 'HW01')
    ) as indicator_list (indicator_code, indicator_name, hw_category)

),

declared as (

    select
        indicators.indicator_code,
        declarations.county_code,
        declarations.report_year                                                 as year,
        sum(declarations.generated_t) filter (where declarations.declaration_type = '月度申报') as produced_t,
        sum(declarations.self_disposed_t) filter (where declarations.declaration_type = '月度申报') as self_disposed_t,
        count(distinct (declarations.generator_key, declarations.month_start))
            filter (where declarations.declaration_type = '月度申报')           as generator_months_declared
    from declarations
    inner join indicators
        on indicators.hw_category is null or indicators.hw_category = declarations.hw_category
    group by indicators.indicator_code, declarations.county_code, declarations.report_year

),

received as (

    select
        indicators.indicator_code,
        manifests.generator_county_code                                          as county_code,
        extract(year from manifests.received_at)::integer                        as year,
        sum(manifests.received_t)                                                as received_licensed_t,
        count(*)                                                                 as manifests_counted
    from manifests
    inner join indicators
        on indicators.hw_category is null or indicators.hw_category = manifests.hw_category
    where manifests.manifest_status = '已接收'
      and manifests.received_at < {{ as_of }} + interval '1 month'
      and not exists (select 1 from blocking where blocking.manifest_no = manifests.manifest_no)
    group by indicators.indicator_code, manifests.generator_county_code, extract(year from manifests.received_at)

),

-- every generator the year's data shows in the county: the denominator of completeness
generators_seen as (

    select
        indicators.indicator_code,
        seen.county_code,
        seen.year,
        count(distinct seen.generator_key)                                       as generators_seen
    from (
        select generator_key, county_code, report_year as year, hw_category from declarations
        union
        select generator_uscc, generator_county_code, extract(year from shipped_at)::integer, hw_category
        from manifests
        where is_live and shipped_at < {{ as_of }} + interval '1 month'
    ) as seen
    inner join indicators
        on indicators.hw_category is null or indicators.hw_category = seen.hw_category
    group by indicators.indicator_code, seen.county_code, seen.year

),

keys as (

    select indicator_code, county_code, year from declared
    union
    select indicator_code, county_code, year from received
    union
    select indicator_code, county_code, year from generators_seen

),

by_county as (

    select
        keys.indicator_code,
        keys.county_code                                                         as area_code,
        keys.year,
        coalesce(generators_seen.generators_seen, 0)                             as generators_seen,
        coalesce(declared.generator_months_declared, 0)                          as generator_months_declared,
        case when keys.year < extract(year from {{ as_of }}) then 12
             else extract(month from {{ as_of }})::integer end                   as months_elapsed,
        declared.produced_t,
        declared.self_disposed_t,
        coalesce(received.received_licensed_t, 0)                                as received_licensed_t,
        coalesce(received.manifests_counted, 0)                                  as manifests_counted
    from keys
    left join generators_seen
        on generators_seen.indicator_code = keys.indicator_code
       and generators_seen.county_code = keys.county_code
       and generators_seen.year = keys.year
    left join declared
        on declared.indicator_code = keys.indicator_code
       and declared.county_code = keys.county_code
       and declared.year = keys.year
    left join received
        on received.indicator_code = keys.indicator_code
       and received.county_code = keys.county_code
       and received.year = keys.year

),

city as (

    select
        by_county.indicator_code,
        areas.county_code                                                        as area_code,
        by_county.year,
        sum(by_county.generators_seen)                                           as generators_seen,
        sum(by_county.generator_months_declared)                                 as generator_months_declared,
        max(by_county.months_elapsed)                                            as months_elapsed,
        sum(by_county.produced_t)                                                as produced_t,
        sum(by_county.self_disposed_t)                                           as self_disposed_t,
        sum(by_county.received_licensed_t)                                       as received_licensed_t,
        sum(by_county.manifests_counted)                                         as manifests_counted
    from by_county
    cross join areas
    where areas.area_level = 'city'
    group by by_county.indicator_code, areas.county_code, by_county.year

),

unioned as (

    select * from by_county
    union all
    select * from city

),

final as (

    select
        unioned.area_code,
        areas.county_name                                                        as area_name,
        unioned.year,
        unioned.indicator_code,
        indicators.indicator_name,
        '%'                                                                      as unit,
        indicators.hw_category                                                   as hw_category_scope,
        unioned.produced_t,
        unioned.received_licensed_t,
        unioned.self_disposed_t,
        unioned.received_licensed_t + coalesce(unioned.self_disposed_t, 0)     as utilised_disposed_t,
        round(100 * (unioned.received_licensed_t + coalesce(unioned.self_disposed_t, 0))
              / nullif(unioned.produced_t, 0), 2)                                as rate_pct,
        unioned.manifests_counted::integer                                       as manifests_counted,
        unioned.generators_seen::integer                                         as generators_seen,
        unioned.generator_months_declared::integer                               as generator_months_declared,
        unioned.months_elapsed,
        round(100.0 * unioned.generator_months_declared
              / nullif(unioned.generators_seen * unioned.months_elapsed, 0), 2) as data_completeness_pct
    from unioned
    inner join areas on areas.county_code = unioned.area_code
    inner join indicators on indicators.indicator_code = unioned.indicator_code

)

select * from final

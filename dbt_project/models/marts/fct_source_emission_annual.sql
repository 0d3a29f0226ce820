-- Yearly loads of the 十三五 total-control pollutants (COD, NH3-N, SO2, NOx) from online monitoring, per county and
-- for the city, against the base year and the reduction target of seeds/ref_emission_baselines.csv. The monitored
-- load covers only the outlets on the online platform, so the baseline's scope is carried alongside the comparison.
with

daily as (

    select * from {{ ref('fct_source_emission_daily') }}
    where is_total_control

),

areas as (

    select * from {{ ref('ref_counties') }}

),

baselines as (

    select * from {{ ref('ref_emission_baselines') }}

),

by_county as (

    select
        county_code                                                              as area_code,
        extract(year from day)::integer                                          as year,
        pollutant_code,
        max(pollutant_name)                                                      as pollutant_name,
        sum(load_kg)                                                             as load_kg,
        count(distinct mn)                                                       as outlets_reporting,
        count(*)                                                                 as outlet_days,
        min(day)                                                                 as first_day,
        max(day)                                                                 as last_day
    from daily
    group by county_code, extract(year from day), pollutant_code

),

city as (

    select
        areas.county_code                                                        as area_code,
        by_county.year,
        by_county.pollutant_code,
        max(by_county.pollutant_name)                                            as pollutant_name,
        sum(by_county.load_kg)                                                   as load_kg,
        sum(by_county.outlets_reporting)                                         as outlets_reporting,
        sum(by_county.outlet_days)                                               as outlet_days,
        min(by_county.first_day)                                                 as first_day,
        max(by_county.last_day)                                                  as last_day
    from by_county
    cross join areas
    where areas.area_level = 'city'
    group by areas.county_code, by_county.year, by_county.pollutant_code

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
        unioned.pollutant_code,
        unioned.pollutant_name,
        round(unioned.load_kg / 1000, 4)                                         as monitored_load_t,
        unioned.outlets_reporting,
        unioned.outlet_days,
        unioned.first_day,
        unioned.last_day,
        unioned.first_day = make_date(unioned.year, 1, 1)
            and unioned.last_day = make_date(unioned.year, 12, 31)                as is_full_year,
        baselines.base_year,
        baselines.base_emission_t,
        baselines.scope                                                          as baseline_scope,
        -- no baseline or no target in the seed → null, never 0
        round(((unioned.load_kg / 1000 - baselines.base_emission_t) / nullif(baselines.base_emission_t, 0) * 100)::numeric, 2)
                                                                                 as change_vs_base_pct,
        baselines.target_year,
        baselines.target_reduction_pct,
        -- a year-to-date total is not judged against an annual target
        case when baselines.target_reduction_pct is null or baselines.base_emission_t is null
                  or not (unioned.first_day = make_date(unioned.year, 1, 1)
                          and unioned.last_day = make_date(unioned.year, 12, 31)) then null
             else unioned.load_kg / 1000 <= baselines.base_emission_t * (1 - baselines.target_reduction_pct / 100)
        end                                                                      as meets_reduction_target
    from unioned
    inner join areas on areas.county_code = unioned.area_code
    left join baselines
        on baselines.area_code = unioned.area_code
       and baselines.pollutant_code = unioned.pollutant_code

)

select * from final

-- Daily emission loads per outlet and pollutant (HJ 212-2017 Appendix D; computed in int_source__emission_daily).
with

daily as (

    select * from {{ ref('int_source__emission_daily') }}

),

outlets as (

    select * from {{ ref('ref_pollution_outlets') }}

),

pollutants as (

    select * from {{ ref('std_hj212_pollutants') }}

),

final as (

    select
        daily.mn,
        outlets.county_code,
        outlets.enterprise_name,
        daily.day,
        daily.pollutant_code,
        pollutants.pollutant_name,
        pollutants.is_total_control,
        daily.load_kg,
        daily.hours_counted
    from daily
    inner join outlets on outlets.mn = daily.mn
    inner join pollutants on pollutants.pollutant_code = daily.pollutant_code

)

select * from final

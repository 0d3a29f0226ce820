with

hourly as (

    select * from {{ ref('int_source__hourly_values') }}
    where command_code = '2061'

),

outlets as (

    select * from {{ ref('ref_pollution_outlets') }}

),

pollutants as (

    select * from {{ ref('std_hj212_pollutants') }}

),

final as (

    select
        hourly.mn,
        outlets.outlet_code,
        outlets.enterprise_name,
        outlets.enterprise_uscc,
        outlets.county_code,
        outlets.media,
        -- HJ 212-2017 Table 4: the DataTime of CN 2061 is the START of the hour
        hourly.data_time                                                         as hour_start,
        hourly.pollutant_code,
        pollutants.pollutant_name,
        pollutants.conc_unit,
        hourly.value_avg,
        hourly.value_min,
        hourly.value_max,
        hourly.value_cou,
        hourly.value_zs_avg,
        hourly.data_flag,
        hourly.is_valid,
        hourly.is_legacy_code,
        'HJ 212-2017'                                                            as protocol_standard
    from hourly
    inner join outlets on outlets.mn = hourly.mn
    inner join pollutants on pollutants.pollutant_code = hourly.pollutant_code

)

select * from final

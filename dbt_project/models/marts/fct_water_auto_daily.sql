with

daily as (

    select * from {{ ref('int_water__auto_daily') }}

),

stations as (

    select * from {{ ref('ref_water_auto_stations') }}

),

items as (

    select * from {{ ref('std_water_auto_items') }}

),

limits as (

    select distinct item_code, item_name from {{ ref('std_water_limits') }}

),

final as (

    select
        daily.station_code,
        stations.station_name,
        daily.section_code,
        stations.data_channel,
        daily.obs_date,
        daily.item_code,
        coalesce(limits.item_name, items.platform_header)                        as item_name,
        coalesce(items.unit, 'mg/L')                                             as unit,  -- HJ 212 metals converted to mg/L
        round(daily.item_value::numeric, 6)                                      as item_value,
        daily.n_received,
        daily.n_valid,
        daily.n_expected,
        daily.capture_rate
    from daily
    inner join stations on stations.station_code = daily.station_code
    inner join items on items.item_code = daily.item_code
    left join limits on limits.item_code = daily.item_code

)

select * from final

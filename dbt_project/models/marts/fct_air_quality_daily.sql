with

area_daily as (

    select * from {{ ref('int_air__area_daily') }}

),

daily_aqi as (

    select * from {{ ref('int_air__area_daily_aqi') }}

),

categories as (

    select * from {{ ref('std_aqi_categories') }}

),

final as (

    select
        daily_aqi.area_code,
        daily_aqi.obs_date,
        daily_aqi.standard_code            as aqi_standard,
        daily_aqi.is_in_force,
        area_daily.validity_standard,
        daily_aqi.aqi,
        categories.level                   as aqi_level,
        categories.category                as aqi_category,
        daily_aqi.aqi <= 100               as is_good_day,
        daily_aqi.primary_pollutants,
        daily_aqi.nonattainment_pollutants,
        daily_aqi.items_evaluated,
        daily_aqi.any_above_table,
        area_daily.stations_reporting,
        area_daily.pm2_5_24h,
        area_daily.pm10_24h,
        area_daily.o3_8h_max,
        area_daily.o3_1h_max,
        area_daily.so2_24h,
        area_daily.no2_24h,
        area_daily.co_24h,
        daily_aqi.iaqi_pm2_5,
        daily_aqi.iaqi_pm10,
        daily_aqi.iaqi_o3_8h,
        daily_aqi.iaqi_o3_1h,
        daily_aqi.iaqi_so2,
        daily_aqi.iaqi_no2,
        daily_aqi.iaqi_co
    from daily_aqi
    inner join area_daily
        on area_daily.area_code = daily_aqi.area_code and area_daily.obs_date = daily_aqi.obs_date
    left join categories
        on categories.standard_code = daily_aqi.standard_code
       and daily_aqi.aqi >= categories.aqi_min
       and (categories.aqi_max is null or daily_aqi.aqi <= categories.aqi_max)

)

select * from final

with

source as (

    select * from {{ source('raw', 'air_station_hourly') }}

),

renamed as (

    select
        batch_id,
        file_sha256,
        source_row,
        stationcode                         as station_code,
        timepoint                           as observed_at,
        -- The national real-time platform stamps each hourly value with the END of its averaging hour.
        timepoint - interval '1 hour'       as hour_start,
        (timepoint - interval '1 hour')::date as obs_date,
        extract(hour from timepoint - interval '1 hour')::integer as hour_of_day,
        area                                as reported_area,
        positionname                        as reported_position_name,
        primarypollutant                    as reported_primary_pollutant,
        aqi                                 as reported_aqi,
        so2                                 as so2_1h,
        no2                                 as no2_1h,
        co                                  as co_1h,
        o3                                  as o3_1h,
        pm10                                as pm10_1h,
        pm2_5                               as pm2_5_1h,
        o3_8h                               as reported_o3_8h,
        pm10_24h                            as reported_pm10_24h,
        pm2_5_24h                           as reported_pm2_5_24h,
        so2_24h                             as reported_so2_24h
    from source

)

select * from renamed

{{ config(materialized='incremental', unique_key=['station_code', 'observed_at', 'item_code'],
          incremental_strategy='delete+insert',
          indexes=[{'columns': ['station_code', 'observed_at', 'item_code']}, {'columns': ['batch_id']}]) }}
-- Readings of the automatic water stations, each from the channel its station is registered with (HJ 212 ST=21 hourly
-- packets, or the national platform's export), in GB 3838 units (µg/L metals of HJ 212 Table B.1 → mg/L); one row per
-- station, time and item: a reading sent again is replaced by the latest batch.
-- Incremental: a run reads only the batches that arrived since the last run.
with

stations as (

    select * from {{ ref('ref_water_auto_stations') }}

),

items as (

    select * from {{ ref('std_water_auto_items') }}

),

packets as (

    select * from {{ ref('stg_raw__hj212_values') }}
    where command_code = '2061'
    and {{ new_batches() }}

),

platform as (

    select * from {{ ref('stg_raw__water_auto_platform') }}
    where {{ new_batches() }}

),

from_packets as (

    select
        stations.station_code,
        packets.data_time                                                        as observed_at,
        items.item_code,
        coalesce(packets.value_avg, packets.value_rtd) * items.hj212_factor      as item_value,
        -- HJ 212-2017 Table 8: only N is a valid measurement (F/M/D/C/B invalid, S manual, T above range)
        coalesce(packets.data_flag, 'N') = 'N'                                   as is_valid,
        coalesce(packets.data_flag, 'N')                                         as quality_mark,
        'hj212'                                                                  as data_channel,
        packets.batch_id,
        packets.source_row
    from packets
    inner join stations
        on stations.mn = packets.mn
       and stations.data_channel = 'hj212'
       and packets.data_time::date >= stations.valid_from
       and (stations.valid_to is null or packets.data_time::date <= stations.valid_to)
    inner join items on items.hj212_code = packets.reported_code

),

from_platform as (

    select
        stations.station_code,
        platform.observed_at,
        platform.item_code,
        platform.reported_value                                                  as item_value,
        -- 站点情况 other than 正常 (维护、停运、故障 …) marks the reading as not a valid measurement
        coalesce(platform.site_status, '正常') = '正常'                           as is_valid,
        coalesce(platform.site_status, '正常')                                   as quality_mark,
        'platform_csv'                                                           as data_channel,
        platform.batch_id,
        platform.source_row
    from platform
    inner join stations
        on stations.station_code = platform.station_code
       and stations.data_channel = 'platform_csv'
       and platform.observed_at::date >= stations.valid_from
       and (stations.valid_to is null or platform.observed_at::date <= stations.valid_to)

),

unioned as (

    select * from from_packets
    union all
    select * from from_platform

),

ranked as (

    select
        unioned.*,
        row_number() over (partition by station_code, observed_at, item_code
                           order by batch_id desc, source_row desc)             as recency
    from unioned

),

final as (

    select
        station_code,
        observed_at,
        item_code,
        item_value,
        is_valid,
        quality_mark,
        data_channel,
        batch_id
    from ranked
    where recency = 1

)

select * from final

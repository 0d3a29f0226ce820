-- Daily IAQI and AQI per area under every HJ 633 version in the seeds (the version in force on the day is flagged;
-- 十三五 indicators always read the HJ 633-2012 rows). HJ 633-2012 §5.1.2: the daily report uses the 24-h means of
-- SO2, NO2, CO, PM10, PM2.5, the daily max 1-h O3 and the daily max 8-h O3.
{{ config(materialized='incremental', unique_key=['standard_code', 'area_code', 'obs_date'],
          incremental_strategy='delete+insert',
          indexes=[{'columns': ['standard_code', 'area_code', 'obs_date']}, {'columns': ['max_batch_id']}]) }}
-- Incremental: only the area-days recomputed upstream since the last run.
with

daily_long as (

    select * from {{ ref('int_air__area_daily_long') }}
    where {{ new_batches('max_batch_id', 'max_batch_id') }}

),

segments as (

    select * from {{ ref('int_std__aqi_segments') }}

),

versions as (

    select distinct standard_code, effective_from, effective_to from segments

),

concentrations as (

    select area_code, obs_date, max_batch_id, aqi_item as item, pollutant_label, value as conc from daily_long

),

iaqi as (

    select
        versions.standard_code,
        concentrations.area_code,
        concentrations.obs_date,
        concentrations.max_batch_id,
        concentrations.item,
        concentrations.pollutant_label,
        concentrations.conc,
        case
            when seg.iaqi_lo is not null then
                {{ iaqi_linear('concentrations.conc', 'seg.bp_lo', 'seg.bp_hi', 'seg.iaqi_lo', 'seg.iaqi_hi') }}
            -- HJ 633-2012 Table 1 note 3: O3 8-h above 800 gets no 8-h IAQI; the O3 1-h IAQI reports it instead.
            when concentrations.item = 'o3_8h' then null
            -- above the top of the table the standard is silent; we report the table maximum (500) and flag it
            else 500
        end as iaqi,
        seg.iaqi_lo is null and concentrations.item <> 'o3_8h' as above_table
    from concentrations
    cross join versions
    left join lateral (
        select s.*
        from segments as s
        where s.standard_code = versions.standard_code
          and s.item = concentrations.item
          and ((concentrations.conc > s.bp_lo and concentrations.conc <= s.bp_hi)
               or (concentrations.conc = 0 and s.bp_lo = 0))
        limit 1
    ) as seg on true

),

aqi as (

    select
        standard_code,
        area_code,
        obs_date,
        max(max_batch_id)                                   as max_batch_id,
        max(iaqi)                                           as aqi,
        count(iaqi)                                         as items_evaluated,
        bool_or(above_table)                                as any_above_table,
        max(iaqi) filter (where item = 'pm2_5_24h')         as iaqi_pm2_5,
        max(iaqi) filter (where item = 'pm10_24h')          as iaqi_pm10,
        max(iaqi) filter (where item = 'o3_8h')             as iaqi_o3_8h,
        max(iaqi) filter (where item = 'o3_1h')             as iaqi_o3_1h,
        max(iaqi) filter (where item = 'so2_24h')           as iaqi_so2,
        max(iaqi) filter (where item = 'no2_24h')           as iaqi_no2,
        max(iaqi) filter (where item = 'co_24h')            as iaqi_co
    from iaqi
    group by standard_code, area_code, obs_date

),

pollutants as (

    select
        iaqi.standard_code,
        iaqi.area_code,
        iaqi.obs_date,
        -- HJ 633-2012 §3.3: a primary pollutant is named only when AQI > 50; ties are all listed.
        string_agg(iaqi.pollutant_label, ',' order by iaqi.pollutant_label)
            filter (where aqi.aqi > 50 and iaqi.iaqi = aqi.aqi)  as primary_pollutants,
        -- HJ 633-2012 §3.4: non-attainment pollutants are those with IAQI > 100.
        string_agg(iaqi.pollutant_label, ',' order by iaqi.pollutant_label)
            filter (where iaqi.iaqi > 100)                       as nonattainment_pollutants
    from iaqi
    inner join aqi
        on aqi.standard_code = iaqi.standard_code and aqi.area_code = iaqi.area_code and aqi.obs_date = iaqi.obs_date
    group by iaqi.standard_code, iaqi.area_code, iaqi.obs_date

),

final as (

    select
        aqi.standard_code,
        aqi.area_code,
        aqi.obs_date,
        {{ in_force('aqi.obs_date', 'versions') }} as is_in_force,
        aqi.aqi,
        aqi.items_evaluated,
        aqi.any_above_table,
        pollutants.primary_pollutants,
        pollutants.nonattainment_pollutants,
        aqi.iaqi_pm2_5,
        aqi.iaqi_pm10,
        aqi.iaqi_o3_8h,
        aqi.iaqi_o3_1h,
        aqi.iaqi_so2,
        aqi.iaqi_no2,
        aqi.iaqi_co,
        aqi.max_batch_id
    from aqi
    inner join versions on versions.standard_code = aqi.standard_code
    inner join pollutants
        on pollutants.standard_code = aqi.standard_code and pollutants.area_code = aqi.area_code
       and pollutants.obs_date = aqi.obs_date

)

select * from final

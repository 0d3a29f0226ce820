{{ config(materialized='incremental', unique_key=['mn', 'day', 'pollutant_code'], incremental_strategy='delete+insert',
          indexes=[{'columns': ['mn', 'day', 'pollutant_code']}, {'columns': ['max_batch_id']}]) }}
-- Daily emission loads per outlet and pollutant from valid hourly values (HJ 212-2017 Appendix D): wastewater
-- G = D × C × 10⁻³ kg (D the hour's discharge in m³ from w00000-Cou, C in mg/L); flue gas G = C × Q × 10⁻⁶ kg
-- (Q the hour's flue-gas volume in m³ from a00000-Cou, C in mg/m³).
-- Incremental: only the outlet-days that the new batches touched are recomputed, from all their hours.
with

hourly_all as (

    select * from {{ ref('int_source__hourly_values') }}
    where command_code = '2061'

),

outlets as (

    select * from {{ ref('ref_pollution_outlets') }}

),

pollutants as (

    select * from {{ ref('std_hj212_pollutants') }}

),

touched as (

    select distinct mn, data_time::date as day
    from hourly_all
    where {{ new_batches('batch_id', 'max_batch_id') }}

),

hourly as (

    select hourly_all.*
    from hourly_all
    inner join touched on touched.mn = hourly_all.mn and touched.day = hourly_all.data_time::date

),

flows as (

    select mn, data_time, value_cou as hour_volume_m3
    from hourly
    where pollutant_code in ('w00000', 'a00000') and is_valid

),

loads as (

    select
        hourly.mn,
        hourly.data_time::date                                                   as day,
        hourly.pollutant_code,
        hourly.batch_id,
        case outlets.media
            when 'water' then hourly.value_avg * flows.hour_volume_m3 * 1e-3
            else hourly.value_avg * flows.hour_volume_m3 * 1e-6
        end                                                                      as load_kg
    from hourly
    inner join outlets on outlets.mn = hourly.mn
    inner join pollutants on pollutants.pollutant_code = hourly.pollutant_code and pollutants.amount_unit = 'kg'
    inner join flows on flows.mn = hourly.mn and flows.data_time = hourly.data_time
    where hourly.is_valid

),

final as (

    select
        mn,
        day,
        pollutant_code,
        round(sum(load_kg)::numeric, 4)                                          as load_kg,
        count(*)                                                                 as hours_counted,
        max(batch_id)                                                            as max_batch_id
    from loads
    group by mn, day, pollutant_code

)

select * from final

{{ config(materialized='incremental', unique_key=['mn', 'command_code', 'data_time', 'pollutant_code'],
          incremental_strategy='delete+insert',
          indexes=[{'columns': ['mn', 'command_code', 'data_time', 'pollutant_code']}, {'columns': ['batch_id']}]) }}
-- Hourly (CN 2061) and daily (CN 2031) values of registered outlets, with HJ/T 212-2005 codes mapped to HJ 212-2017
-- (Appendix B) and one row per outlet, period and pollutant: a period sent again is replaced by the latest batch.
-- Incremental: a run reads only the batches that arrived since the last run.
with

values_in as (

    select * from {{ ref('stg_raw__hj212_values') }}
    where command_code in ('2061', '2031')
    and {{ new_batches() }}

),

outlets as (

    select * from {{ ref('ref_pollution_outlets') }}

),

pollutants as (

    select * from {{ ref('std_hj212_pollutants') }}

),

mapped as (

    select
        values_in.*,
        pollutants.pollutant_code,
        values_in.reported_code <> pollutants.pollutant_code                     as is_legacy_code
    from values_in
    inner join outlets
        on outlets.mn = values_in.mn
       and values_in.data_time::date >= outlets.valid_from
       and (outlets.valid_to is null or values_in.data_time::date <= outlets.valid_to)
    inner join pollutants
        on pollutants.media = outlets.media
       and values_in.reported_code in (pollutants.pollutant_code, pollutants.legacy_code)

),

ranked as (

    select
        mapped.*,
        row_number() over (partition by mn, command_code, data_time, pollutant_code
                           order by batch_id desc, source_row desc)             as recency
    from mapped

),

final as (

    select
        mn,
        command_code,
        data_time,
        pollutant_code,
        is_legacy_code,
        value_avg,
        value_min,
        value_max,
        value_cou,
        value_zs_avg,
        data_flag,
        -- HJ 212-2017 Table 8: N normal; F stopped, M maintenance, D fault, C calibration, B communication error are
        -- invalid; S (manual set value) is not a measurement; T (above range) is kept but not counted as valid
        coalesce(data_flag, 'N') = 'N'                                           as is_valid,
        batch_id
    from ranked
    where recency = 1

)

select * from final

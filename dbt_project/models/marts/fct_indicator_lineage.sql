-- Where each indicator value came from: one row per indicator × area × time scope × period × ingestion batch, with the
-- file (ops.batches → ops.files: sha256, original name, kind, received at). Rows only for values that had input
-- (value_status not 'no_data'/'no_method'); the batches are those of int_indicator__source_batches for the value's
-- source family and area in the months of its period (a year-to-date or year value lists the batches of every month).
with

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}
    where value_status not in ('no_data', 'no_method')

),

batches as (

    select * from {{ ref('int_indicator__source_batches') }}

),

ops_batches as (

    select * from {{ source('ops', 'batches') }}

),

files as (

    select * from {{ source('ops', 'files') }}

),

final as (

    select
        indicator_values.indicator_code,
        indicator_values.area_code,
        indicator_values.time_scope,
        indicator_values.period_code,
        batches.batch_id,
        indicator_values.source_family,
        min(batches.month_start)                                                 as first_month,
        max(batches.month_start)                                                 as last_month,
        max(ops_batches.file_sha256)                                             as file_sha256,
        max(files.original_name)                                                 as file_name,
        max(files.file_kind)                                                     as file_kind,
        max(files.received_at)                                                   as received_at
    from indicator_values
    inner join batches
        on batches.source_family = indicator_values.source_family
       and batches.area_code = indicator_values.area_code
       and batches.month_start between indicator_values.period_start and indicator_values.data_through
    left join ops_batches on ops_batches.batch_id = batches.batch_id
    left join files on files.file_sha256 = ops_batches.file_sha256
    group by indicator_values.indicator_code, indicator_values.area_code, indicator_values.time_scope,
             indicator_values.period_code, batches.batch_id, indicator_values.source_family

)

select * from final

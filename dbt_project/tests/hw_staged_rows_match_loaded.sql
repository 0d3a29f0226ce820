-- Reconciliation of hazardous-waste files: every loaded manifest or declaration file has exactly as many rows in
-- staging as ops.files says were loaded (received = loaded + quarantined is already a CHECK on ops.files), and no
-- staged row belongs to a batch that ops.files does not know. Returns the files or batches that disagree.
with

files as (

    select * from {{ source('ops', 'files') }}
    where file_kind in ('hw_manifests', 'hw_declarations')
      and status = 'loaded'

),

staged as (

    select 'hw_manifests' as file_kind, batch_id, count(*) as rows_staged
    from {{ ref('stg_raw__hw_manifests') }}
    group by batch_id
    union all
    select 'hw_declarations', batch_id, count(*)
    from {{ ref('stg_raw__hw_declarations') }}
    group by batch_id

),

compared as (

    select
        coalesce(files.file_kind, staged.file_kind)                             as file_kind,
        coalesce(files.batch_id, staged.batch_id)                               as batch_id,
        files.original_name,
        files.rows_loaded,
        coalesce(staged.rows_staged, 0)                                          as rows_staged
    from files
    full outer join staged
        on staged.batch_id = files.batch_id
       and staged.file_kind = files.file_kind

)

select * from compared
where rows_loaded is distinct from rows_staged

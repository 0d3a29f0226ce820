-- Generators' declarations as the bureau counts them: one row per declaration type × generator × waste code × year
-- (× month for 月度申报). A row delivered again unchanged is a harmless repeat; a row of the same key with different
-- figures is a correction (固废法 2020 第七十八条: the generator declares and may correct what it declared), so the
-- version in the latest delivered file counts.
-- A declaration may omit the USCC (it is optional in the form): it is then matched to the generator of the manifests
-- by county and name when exactly one USCC has that name there, otherwise keyed by county and name.
with

declarations as (

    select * from {{ ref('stg_raw__hw_declarations') }}

),

manifests as (

    select * from {{ ref('stg_raw__hw_manifests') }}

),

files as (

    select * from {{ source('ops', 'files') }}

),

known_names as (

    select
        generator_county_code                                                    as county_code,
        generator_name,
        min(generator_uscc)                                                      as generator_uscc
    from manifests
    where generator_name is not null
    group by generator_county_code, generator_name
    having count(distinct generator_uscc) = 1

),

keyed as (

    select
        declarations.*,
        files.delivered_at,
        coalesce(declarations.generator_uscc, known_names.generator_uscc)        as resolved_uscc,
        coalesce(declarations.generator_uscc, known_names.generator_uscc,
                 'NAME:' || declarations.county_code || ':' || coalesce(declarations.generator_name, ''))
                                                                                 as generator_key
    from declarations
    inner join files on files.file_sha256 = declarations.file_sha256
    left join known_names
        on declarations.generator_uscc is null
       and known_names.county_code = declarations.county_code
       and known_names.generator_name = declarations.generator_name

),

ranked as (

    select
        keyed.*,
        row_number() over key_window                                              as recency,
        count(*) over (partition by declaration_type, generator_key, waste_code, report_year, report_month)
                                                                                 as rows_seen
    from keyed
    window key_window as (
        partition by declaration_type, generator_key, waste_code, report_year, report_month
        order by delivered_at desc nulls last, batch_id desc, source_row desc)

),

contents as (

    select
        declaration_type,
        generator_key,
        waste_code,
        report_year,
        report_month,
        count(distinct content_hash)                                             as versions
    from keyed
    group by declaration_type, generator_key, waste_code, report_year, report_month

),

final as (

    select
        ranked.declaration_type,
        ranked.generator_key,
        ranked.resolved_uscc                                                     as generator_uscc,
        ranked.generator_name,
        ranked.county_code,
        ranked.waste_code,
        ranked.hw_category,
        ranked.waste_name,
        ranked.report_year,
        ranked.report_month,
        case when ranked.report_month is not null
             then make_date(ranked.report_year, ranked.report_month, 1) end      as month_start,
        ranked.planned_t,
        ranked.generated_t,
        ranked.self_disposed_t,
        ranked.entrusted_t,
        ranked.storage_end_t,
        ranked.rows_seen,
        contents.versions,
        contents.versions > 1                                                    as is_corrected,
        ranked.batch_id,
        ranked.file_sha256,
        ranked.source_row,
        ranked.delivered_at
    from ranked
    inner join contents
        on contents.declaration_type = ranked.declaration_type
       and contents.generator_key = ranked.generator_key
       and contents.waste_code = ranked.waste_code
       and contents.report_year = ranked.report_year
       and contents.report_month is not distinct from ranked.report_month
    where ranked.recency = 1

)

select * from final

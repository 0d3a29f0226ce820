-- Every accepted submission with its version number: a county that resubmits a period replaces its earlier
-- submission; all versions are kept and the latest delivered one is used.
with

submissions as (

    select * from {{ ref('stg_raw__county_submissions') }}

),

final as (

    select
        submissions.*,
        row_number() over (
            partition by template_code, programme_code, county_code, period_code
            order by delivered_at, submission_id
        )                                                                           as version_no,
        count(*) over (partition by template_code, programme_code, county_code, period_code) as version_count,
        row_number() over (
            partition by template_code, programme_code, county_code, period_code
            order by delivered_at desc, submission_id desc
        ) = 1                                                                       as is_latest
    from submissions

)

select * from final

-- Each listed enterprise's state in each reporting period, with the remediation flags the progress marts count.
with

standing as (

    select * from {{ ref('int_county__submission_asof') }}
    where template_code = 'enterprise_ledger'

),

ledger as (

    select * from {{ ref('stg_raw__enterprise_ledger') }}

),

industries as (

    select * from {{ ref('ref_key_industries') }}

),

joined as (

    select
        standing.programme_code,
        standing.period_code,
        standing.period_start,
        standing.period_end,
        standing.source_period_code,
        standing.is_carried_forward,
        ledger.*,
        industries.industry_name,
        industries.completion_deadline                                            as industry_deadline,
        -- an enterprise within a programme and a county: by credit code, else old codes, else its name
        standing.programme_code || ':' || standing.county_code || ':' || coalesce(
            ledger.uscc, 'ORG-' || ledger.org_code, 'REG-' || ledger.business_reg_no,
            'NAME-' || md5(ledger.enterprise_name))                               as enterprise_key
    from standing
    inner join ledger on ledger.submission_id = standing.submission_id
    inner join industries
        on industries.programme_code = standing.programme_code
       and industries.industry_code = ledger.industry_code

),

flags as (

    select
        joined.*,
        coalesce(progress_status = '已完成' or county_accepted_on <= period_end, false) as is_completed,
        coalesce(county_accepted_on <= period_end, false)                         as is_county_accepted,
        coalesce(city_accepted_on <= period_end, false)                           as is_city_accepted
    from joined

),

final as (

    select
        flags.*,
        -- measured at the end of the reporting period, against the industry's completion deadline
        (not is_completed and period_end > industry_deadline)                     as is_overdue,
        (not is_completed and industry_deadline >= period_end
            and industry_deadline <= period_end + 60)                             as is_at_risk
    from flags

)

select * from final

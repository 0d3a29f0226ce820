-- Enterprise dimension with history by reporting period (type 2): a new version starts in the first period in
-- which any tracked attribute (class, status, deadline, acceptance, industry, name) differs from the previous one.
with

state as (

    select * from {{ ref('int_county__enterprise_period_state') }}

),

hashed as (

    select
        state.*,
        md5(concat_ws('|', enterprise_name, industry_code, remediation_class, progress_status,
                      completion_deadline, county_accepted_on, city_accepted_on, is_leader_candidate)) as state_hash
    from state

),

changes as (

    select
        hashed.*,
        lag(state_hash) over (partition by enterprise_key order by period_end)   as previous_hash
    from hashed

),

versions as (

    select
        changes.*,
        lead(period_start) over (partition by enterprise_key order by period_end) as next_version_from
    from changes
    where previous_hash is distinct from state_hash

),

latest_period as (

    select programme_code, county_code, max(period_end) as latest_period_end
    from state
    group by programme_code, county_code

),

last_seen as (

    select enterprise_key, max(period_end) as last_seen_period_end
    from state
    group by enterprise_key

),

final as (

    select
        versions.enterprise_key,
        versions.period_code                                                      as valid_from_period,
        versions.period_start                                                     as valid_from,
        versions.next_version_from                                                as valid_to,
        versions.next_version_from is null
            and last_seen.last_seen_period_end = latest_period.latest_period_end   as is_current,
        versions.programme_code,
        versions.county_code,
        versions.township_name,
        versions.township_code,
        versions.enterprise_name,
        versions.address,
        versions.uscc,
        versions.org_code,
        versions.business_reg_no,
        versions.uscc_check_ok,
        versions.industry_category,
        versions.industry_code,
        versions.industry_name,
        versions.employees,
        versions.land_tenure,
        versions.has_safety_assessment,
        versions.has_energy_review,
        versions.eia_approval_no,
        versions.discharge_permit_no,
        versions.has_online_monitoring,
        versions.main_problems,
        versions.problem_categories,
        versions.measures,
        versions.remediation_class,
        versions.completion_deadline,
        versions.industry_deadline,
        versions.progress_status,
        versions.progress_text,
        versions.county_accepted_on,
        versions.city_accepted_on,
        versions.is_leader_candidate,
        versions.relocation_site_area_mu,
        versions.remarks
    from versions
    inner join last_seen on last_seen.enterprise_key = versions.enterprise_key
    inner join latest_period
        on latest_period.programme_code = versions.programme_code
       and latest_period.county_code = versions.county_code

)

select * from final

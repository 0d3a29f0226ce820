with

source as (

    select * from {{ source('raw', 'enterprise_ledger') }}

),

renamed as (

    select
        submission_id,
        source_row,
        county_code,
        township_name,
        township_code,
        enterprise_name,
        address,
        uscc,
        org_code,
        business_reg_no,
        uscc_check_ok,
        industry_category,
        industry_text,
        industry_code,
        employees,
        land_tenure,
        has_safety_assessment,
        has_energy_review,
        eia_approval_no,
        discharge_permit_no,
        has_online_monitoring,
        main_problems,
        array_to_string(problem_categories, '、') as problem_categories,
        measures,
        remediation_class,
        completion_deadline,
        progress_text,
        progress_status,
        county_accepted_on,
        city_accepted_on,
        is_leader_candidate,
        remarks,
        relocation_site_area_mu::numeric(12, 2) as relocation_site_area_mu,
        jsonb_array_length(warnings) as warning_count,
        warnings
    from source

)

select * from renamed

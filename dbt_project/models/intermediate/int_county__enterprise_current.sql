-- Each enterprise's state in the latest period it was listed (the source of the snapshot).
with

state as (

    select * from {{ ref('int_county__enterprise_period_state') }}

),

ranked as (

    select
        state.*,
        row_number() over (partition by enterprise_key order by period_end desc) as recency
    from state

),

final as (

    select
        enterprise_key,
        programme_code,
        county_code,
        period_code,
        enterprise_name,
        uscc,
        industry_code,
        remediation_class,
        progress_status,
        completion_deadline,
        county_accepted_on,
        city_accepted_on,
        is_leader_candidate
    from ranked
    where recency = 1

)

select * from final

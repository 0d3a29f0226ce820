with

state as (

    select * from {{ ref('int_county__enterprise_period_state') }}

),

programmes as (

    select * from {{ ref('ref_programmes') }}

),

units as (

    select * from {{ ref('ref_programme_units') }}

),

counted as (

    select
        programme_code,
        period_code,
        county_code,
        industry_code,
        max(industry_name)                                                        as industry_name,
        max(industry_deadline)                                                    as industry_deadline,
        max(period_end)                                                           as period_end,
        max(source_period_code)                                                   as source_period_code,
        count(*)                                                                  as enterprises_listed,
        count(*) filter (where remediation_class = '改造提升')                     as class_upgrade,
        count(*) filter (where remediation_class = '搬迁升级')                     as class_relocate,
        count(*) filter (where remediation_class = '原址关闭')                     as class_close,
        count(*) filter (where is_completed)                                      as completed,
        count(*) filter (where is_overdue)                                        as overdue,
        count(*) filter (where is_at_risk)                                        as at_risk,
        count(*) filter (where is_county_accepted)                                as county_accepted,
        count(*) filter (where is_city_accepted)                                  as city_accepted,
        count(*) filter (where is_leader_candidate)                               as leader_candidates
    from state
    group by programme_code, period_code, county_code, industry_code

),

final as (

    select
        counted.programme_code,
        programmes.programme_name,
        counted.period_code,
        counted.period_end,
        counted.county_code,
        units.unit_name                                                           as county_name,
        counted.industry_code,
        counted.industry_name,
        counted.industry_deadline,
        counted.source_period_code,
        counted.enterprises_listed,
        counted.class_upgrade,
        counted.class_relocate,
        counted.class_close,
        counted.completed,
        counted.overdue,
        counted.at_risk,
        counted.county_accepted,
        counted.city_accepted,
        counted.leader_candidates,
        round(100.0 * counted.completed / counted.enterprises_listed, 1)           as completion_rate_pct
    from counted
    inner join programmes on programmes.programme_code = counted.programme_code
    inner join units
        on units.programme_code = counted.programme_code
       and units.unit_code = counted.county_code

)

select * from final

-- The 12-industry remediation index of 000/001 (and the 达州 programme of 004, same rules): per reporting period,
-- county or block, and industry, how many listed enterprises were done by their industry's deadline, done late, are
-- overdue or not yet due; plus a city row per industry (the programme's region) and an all-industries row ('ALL').
--
-- Deadline: the industry's completion deadline (seed ref_key_industries), not the enterprise's own ledger deadline.
-- Due: the deadline lies before the end of the period (the same test as `overdue` in mart_remediation_progress, so the
-- two marts agree; the month that contains the deadline is not yet due).
-- Completion date: the ledger has no completion-date column, so the earliest dated evidence is used — the county
-- acceptance date when the ledger gives one, else the end of the first period in which the enterprise was reported
-- 已完成. An enterprise first reported done after its deadline without an earlier acceptance date therefore counts
-- as done late: there is no evidence that it was done in time.
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

evidence as (

    select
        state.*,
        min(period_end) filter (where progress_status = '已完成') over (
            partition by enterprise_key order by period_end
            rows between unbounded preceding and current row)                     as first_reported_done_on
    from state

),

classified as (

    select
        evidence.*,
        period_end > industry_deadline                                            as is_due,
        case when is_completed then least(
            case when county_accepted_on <= period_end then county_accepted_on end,
            first_reported_done_on) end                                           as completed_on
    from evidence

),

flagged as (

    select
        classified.*,
        is_due and is_completed and completed_on <= industry_deadline            as is_done_by_deadline,
        is_due and is_completed and completed_on > industry_deadline             as is_done_late
    from classified

),

counted as (

    select
        programme_code,
        period_code,
        county_code,
        industry_code,
        grouping(county_code)                                                     as is_city_total,
        grouping(industry_code)                                                   as is_industry_total,
        max(period_end)                                                           as period_end,
        max(industry_name)                                                        as industry_name,
        max(industry_deadline)                                                    as industry_deadline,
        count(*)                                                                  as enterprises_listed,
        count(*) filter (where is_due)                                            as enterprises_due,
        count(*) filter (where is_done_by_deadline)                               as done_by_deadline,
        count(*) filter (where is_done_late)                                      as done_late,
        count(*) filter (where is_overdue)                                        as overdue,
        count(*) filter (where not is_due)                                        as not_yet_due,
        count(*) filter (where not is_due and is_completed)                       as done_before_due,
        count(*) filter (where is_county_accepted)                                as county_accepted,
        count(*) filter (where is_city_accepted)                                  as city_accepted
    from flagged
    group by grouping sets (
        (programme_code, period_code, county_code, industry_code),
        (programme_code, period_code, industry_code),
        (programme_code, period_code, county_code),
        (programme_code, period_code)
    )

),

final as (

    select
        counted.programme_code,
        counted.period_code,
        counted.period_end,
        case when counted.is_city_total = 1 then programmes.region_code
             else counted.county_code end                                         as area_code,
        case when counted.is_city_total = 1 then programmes.region_name
             else units.unit_name end                                             as area_name,
        case when counted.is_city_total = 1 then 'city' else units.unit_kind end  as area_level,
        case when counted.is_industry_total = 1 then 'ALL'
             else counted.industry_code end                                       as industry_code,
        case when counted.is_industry_total = 1 then '全部重点行业'
             else counted.industry_name end                                       as industry_name,
        case when counted.is_industry_total = 0 then counted.industry_deadline end as industry_deadline,
        counted.enterprises_listed,
        counted.enterprises_due,
        counted.done_by_deadline,
        counted.done_late,
        counted.overdue,
        counted.not_yet_due,
        counted.done_before_due,
        counted.county_accepted,
        counted.city_accepted,
        -- no enterprise due yet: the index is undefined (null), not 0
        round(100.0 * counted.done_by_deadline / nullif(counted.enterprises_due, 0), 1) as remediation_index_pct
    from counted
    inner join programmes on programmes.programme_code = counted.programme_code
    left join units
        on units.programme_code = counted.programme_code
       and units.unit_code = counted.county_code

)

select * from final

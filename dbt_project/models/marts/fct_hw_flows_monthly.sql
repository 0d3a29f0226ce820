-- Hazardous waste of each generator, waste code and month: what it declared (月度申报, 固废法 2020 第七十八条), what
-- its management plan foresaw, what left on manifests and what the receivers booked, and what was still on the road
-- at the month's end.
--   shipped / received: the manifests shipped in the month (returned and cancelled ones left out), received quantity
--     of those manifests whenever it was booked — the month's shipments traced to their end;
--   in transit at month end: every manifest shipped by the month's end and not received by then, whatever its
--     shipping month (an open manifest stays in transit until received; after the assessed month it is not followed);
--   planned: the 管理计划's annual quantity ÷ 12, the plan having no monthly split.
{%- set as_of %}{{ as_of_month() }}{% endset %}
with

manifests as (

    select * from {{ ref('int_hw__manifests') }}
    where is_live

),

declarations as (

    select * from {{ ref('int_hw__declarations') }}

),

counties as (

    select * from {{ ref('ref_counties') }}

),

monthly as (

    select * from declarations
    where declaration_type = '月度申报'

),

plans as (

    select * from declarations
    where declaration_type = '管理计划'

),

shipped as (

    select
        generator_uscc                                                           as generator_key,
        waste_code,
        date_trunc('month', shipped_at)::date                                    as month_start,
        max(generator_county_code)                                               as county_code,
        max(generator_name)                                                      as generator_name,
        count(*)                                                                 as manifests,
        sum(shipped_t)                                                           as shipped_t,
        count(*) filter (where manifest_status = '已接收')                       as manifests_received,
        sum(received_t) filter (where manifest_status = '已接收')               as received_t
    from manifests
    group by generator_uscc, waste_code, date_trunc('month', shipped_at)

),

open_at_month_end as (

    select
        manifests.generator_uscc                                                 as generator_key,
        manifests.waste_code,
        open_month::date                                                         as month_start,
        manifests.generator_county_code                                          as county_code,
        manifests.generator_name,
        manifests.shipped_t
    from manifests
    cross join lateral generate_series(
        date_trunc('month', manifests.shipped_at),
        coalesce(date_trunc('month', manifests.received_at) - interval '1 month',
                 greatest({{ as_of }}, date_trunc('month', manifests.shipped_at))),
        interval '1 month') as open_month

),

in_transit as (

    select
        generator_key,
        waste_code,
        month_start,
        max(county_code)                                                         as county_code,
        max(generator_name)                                                      as generator_name,
        count(*)                                                                 as manifests_in_transit_end,
        sum(shipped_t)                                                           as in_transit_end_t
    from open_at_month_end
    group by generator_key, waste_code, month_start

),

grain as (

    select generator_key, waste_code, month_start from monthly
    union
    select generator_key, waste_code, month_start from shipped
    union
    select generator_key, waste_code, month_start from in_transit

),

final as (

    select
        grain.generator_key,
        coalesce(monthly.generator_uscc,
                 case when grain.generator_key not like 'NAME:%' then grain.generator_key end) as generator_uscc,
        coalesce(monthly.generator_name, shipped.generator_name, in_transit.generator_name) as generator_name,
        coalesce(monthly.county_code, shipped.county_code, in_transit.county_code) as county_code,
        counties.county_name,
        grain.waste_code,
        'HW' || right(grain.waste_code, 2)                                       as hw_category,
        to_char(grain.month_start, 'YYYY-MM')                                    as month,
        grain.month_start,
        monthly.generator_key is not null                                        as has_declaration,
        monthly.generated_t                                                      as declared_produced_t,
        monthly.self_disposed_t                                                  as declared_self_disposed_t,
        monthly.entrusted_t                                                      as declared_entrusted_t,
        monthly.storage_end_t,
        round(plans.planned_t / 12, 3)                                           as planned_monthly_t,
        coalesce(shipped.manifests, 0)                                           as manifests,
        coalesce(shipped.shipped_t, 0)                                           as shipped_t,
        coalesce(shipped.manifests_received, 0)                                  as manifests_received,
        coalesce(shipped.received_t, 0)                                          as received_t,
        coalesce(in_transit.manifests_in_transit_end, 0)                         as manifests_in_transit_end,
        coalesce(in_transit.in_transit_end_t, 0)                                 as in_transit_end_t
    from grain
    left join monthly
        on monthly.generator_key = grain.generator_key
       and monthly.waste_code = grain.waste_code
       and monthly.month_start = grain.month_start
    left join shipped
        on shipped.generator_key = grain.generator_key
       and shipped.waste_code = grain.waste_code
       and shipped.month_start = grain.month_start
    left join in_transit
        on in_transit.generator_key = grain.generator_key
       and in_transit.waste_code = grain.waste_code
       and in_transit.month_start = grain.month_start
    left join plans
        on plans.generator_key = grain.generator_key
       and plans.waste_code = grain.waste_code
       and plans.report_year = extract(year from grain.month_start)
    left join counties
        on counties.county_code = coalesce(monthly.county_code, shipped.county_code, in_transit.county_code)

)

select * from final

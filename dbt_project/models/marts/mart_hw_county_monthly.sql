-- Hazardous waste per county (and functional block) and month, and for the city (330800, the sum of its counties and
-- blocks): the flows of fct_hw_flows_monthly summed, the anomalies of fct_hw_anomalies counted by kind, and the same
-- manifest totals restricted to the manifests without any anomaly ("clean": what reconciles without a question).
-- Every county and block has a row for every month from the first to the last month with data; manifest quantities
-- of a month without manifests are 0 (the provincial system is complete), declared quantities stay null when nothing
-- was declared.
{%- set measures = ['generators_declaring', 'generators_shipping', 'declared_produced_t', 'declared_self_disposed_t',
                     'declared_entrusted_t', 'storage_end_t', 'planned_monthly_t', 'manifests', 'shipped_t',
                     'manifests_received', 'received_t', 'manifests_in_transit_end', 'in_transit_end_t',
                     'manifests_clean', 'shipped_clean_t', 'received_clean_t', 'manifests_open_end_clean', 'anomalies',
                     'anomalies_blocking', 'anomalies_warning'] %}
{%- for kind in hw_anomaly_kinds() %}{% do measures.append('n_' ~ kind) %}{% endfor %}
with

flows as (

    select * from {{ ref('fct_hw_flows_monthly') }}

),

anomalies as (

    select * from {{ ref('fct_hw_anomalies') }}

),

manifests as (

    select * from {{ ref('int_hw__manifests') }}
    where is_live

),

areas as (

    select * from {{ ref('ref_counties') }}

),

months as (

    select generate_series(min(month_start), max(month_start), interval '1 month')::date as month_start
    from (
        select month_start from flows
        union
        select to_date(anomaly_month, 'YYYY-MM') from anomalies
    ) as data_months

),

grid as (

    select areas.county_code, months.month_start
    from areas
    cross join months
    where areas.area_level <> 'city'

),

flow_totals as (

    select
        county_code,
        month_start,
        count(distinct generator_key) filter (where has_declaration)           as generators_declaring,
        count(distinct generator_key) filter (where manifests > 0)             as generators_shipping,
        sum(declared_produced_t)                                                 as declared_produced_t,
        sum(declared_self_disposed_t)                                            as declared_self_disposed_t,
        sum(declared_entrusted_t)                                                as declared_entrusted_t,
        sum(storage_end_t)                                                       as storage_end_t,
        sum(planned_monthly_t)                                                   as planned_monthly_t,
        sum(manifests)                                                           as manifests,
        sum(shipped_t)                                                           as shipped_t,
        sum(manifests_received)                                                  as manifests_received,
        sum(received_t)                                                          as received_t,
        sum(manifests_in_transit_end)                                            as manifests_in_transit_end,
        sum(in_transit_end_t)                                                    as in_transit_end_t
    from flows
    group by county_code, month_start

),

clean as (

    select
        manifests.generator_county_code                                          as county_code,
        date_trunc('month', manifests.shipped_at)::date                          as month_start,
        count(*)                                                                 as manifests_clean,
        sum(manifests.shipped_t)                                                 as shipped_clean_t,
        sum(manifests.received_t) filter (where manifests.manifest_status = '已接收') as received_clean_t,
        count(*) filter (where manifests.received_at is null
                            or manifests.received_at >= date_trunc('month', manifests.shipped_at) + interval '1 month')
                                                                                 as manifests_open_end_clean
    from manifests
    where not exists (
        select 1 from anomalies
        where anomalies.subject_type = 'manifest'
          and anomalies.manifest_no = manifests.manifest_no)
    group by manifests.generator_county_code, date_trunc('month', manifests.shipped_at)

),

anomaly_counts as (

    select
        county_code,
        to_date(anomaly_month, 'YYYY-MM')                                        as month_start,
        count(*)                                                                 as anomalies,
        count(*) filter (where severity = 'blocking')                           as anomalies_blocking,
        count(*) filter (where severity = 'warning')                            as anomalies_warning
        {%- for kind in hw_anomaly_kinds() %},
        count(*) filter (where anomaly_kind = '{{ kind }}')                     as n_{{ kind }}
        {%- endfor %}
    from anomalies
    group by county_code, to_date(anomaly_month, 'YYYY-MM')

),

by_county as (

    select
        grid.county_code                                                         as area_code,
        grid.month_start,
        coalesce(flow_totals.generators_declaring, 0)                            as generators_declaring,
        coalesce(flow_totals.generators_shipping, 0)                             as generators_shipping,
        flow_totals.declared_produced_t,
        flow_totals.declared_self_disposed_t,
        flow_totals.declared_entrusted_t,
        flow_totals.storage_end_t,
        flow_totals.planned_monthly_t,
        coalesce(flow_totals.manifests, 0)                                       as manifests,
        coalesce(flow_totals.shipped_t, 0)                                       as shipped_t,
        coalesce(flow_totals.manifests_received, 0)                              as manifests_received,
        coalesce(flow_totals.received_t, 0)                                      as received_t,
        coalesce(flow_totals.manifests_in_transit_end, 0)                        as manifests_in_transit_end,
        coalesce(flow_totals.in_transit_end_t, 0)                                as in_transit_end_t,
        coalesce(clean.manifests_clean, 0)                                       as manifests_clean,
        coalesce(clean.shipped_clean_t, 0)                                       as shipped_clean_t,
        coalesce(clean.received_clean_t, 0)                                      as received_clean_t,
        coalesce(clean.manifests_open_end_clean, 0)                              as manifests_open_end_clean,
        coalesce(anomaly_counts.anomalies, 0)                                    as anomalies,
        coalesce(anomaly_counts.anomalies_blocking, 0)                           as anomalies_blocking,
        coalesce(anomaly_counts.anomalies_warning, 0)                            as anomalies_warning
        {%- for kind in hw_anomaly_kinds() %},
        coalesce(anomaly_counts.n_{{ kind }}, 0)                                 as n_{{ kind }}
        {%- endfor %}
    from grid
    left join flow_totals
        on flow_totals.county_code = grid.county_code
       and flow_totals.month_start = grid.month_start
    left join clean
        on clean.county_code = grid.county_code
       and clean.month_start = grid.month_start
    left join anomaly_counts
        on anomaly_counts.county_code = grid.county_code
       and anomaly_counts.month_start = grid.month_start

),

city as (

    select
        areas.county_code                                                        as area_code,
        by_county.month_start
        {%- for column in measures %},
        sum(by_county.{{ column }})                                              as {{ column }}
        {%- endfor %}
    from by_county
    cross join areas
    where areas.area_level = 'city'
    group by areas.county_code, by_county.month_start

),

unioned as (

    select * from by_county
    union all
    select * from city

),

final as (

    select
        unioned.area_code,
        areas.county_name                                                        as area_name,
        areas.area_level,
        to_char(unioned.month_start, 'YYYY-MM')                                  as month,
        unioned.month_start
        {%- for column in measures %},
        {%- if column.endswith('_t') %}
        unioned.{{ column }}
        {%- else %}
        unioned.{{ column }}::integer                                            as {{ column }}
        {%- endif %}
        {%- endfor %}
    from unioned
    inner join areas on areas.county_code = unioned.area_code

)

select * from final

-- How much of each receiving facility's permitted capacity the manifests used, month by month: quantity received
-- (manifests 已接收, by month of receipt, whatever anomaly they carry — the waste took up the capacity all the same)
-- against the capacity of seeds/ref_hw_receivers.csv for the month: t/year ÷ 12 when the licence states a yearly
-- scale, otherwise t/day × the days of the month; no capacity in the seed → no utilisation (null, not 0).
-- A manifest goes to the facility of its licence whose type is the manifest's 利用处置方式, else one permitted for the
-- category (清泰 holds one licence for its incinerator and its landfill). Registered facilities have a row for every
-- month from the first to the last receipt; receivers not in the seed appear in the months they received, keyed by
-- their licence number (or name) and with no capacity.
with

manifests as (

    select * from {{ ref('int_hw__manifests') }}
    where manifest_status = '已接收'

),

receivers as (

    select * from {{ ref('ref_hw_receivers') }}

),

received as (

    select
        coalesce(receiver_code,
                 'UNREGISTERED:' || coalesce(receiver_licence_no, receiver_name, '未填'))  as receiver_key,
        receiver_code,
        date_trunc('month', received_at)::date                                   as month_start,
        max(receiver_name)                                                       as receiver_name,
        max(receiver_licence_no)                                                 as licence_no,
        max(receiver_province)                                                   as province,
        max(receiver_county_code)                                                as county_code,
        count(*)                                                                 as manifests_received,
        sum(received_t)                                                          as received_t
    from manifests
    group by 1, 2, 3

),

months as (

    select generate_series(min(month_start), max(month_start), interval '1 month')::date as month_start
    from received

),

registered as (

    select
        receivers.receiver_code                                                  as receiver_key,
        receivers.receiver_code,
        months.month_start,
        receivers.receiver_name,
        receivers.licence_no,
        receivers.facility_type,
        receivers.province,
        receivers.county_code,
        receivers.capacity_t_per_year,
        receivers.capacity_t_per_day
    from receivers
    cross join months
    -- a licence counts in a month it was valid on at least one day of
    where receivers.valid_from < months.month_start + interval '1 month'
      and (receivers.valid_to is null or receivers.valid_to >= months.month_start)

),

unregistered as (

    select
        receiver_key,
        receiver_code,
        month_start,
        receiver_name,
        licence_no,
        null::text                                                               as facility_type,
        province,
        county_code,
        null::numeric                                                            as capacity_t_per_year,
        null::numeric                                                            as capacity_t_per_day
    from received
    where receiver_code is null

),

facility_months as (

    select * from registered
    union all
    select * from unregistered

),

final as (

    select
        facility_months.receiver_key,
        facility_months.receiver_code,
        facility_months.receiver_name,
        facility_months.licence_no,
        facility_months.facility_type,
        facility_months.province,
        facility_months.county_code,
        to_char(facility_months.month_start, 'YYYY-MM')                          as month,
        facility_months.month_start,
        extract(day from facility_months.month_start + interval '1 month' - interval '1 day')::integer
                                                                                 as days_in_month,
        coalesce(received.manifests_received, 0)                                 as manifests_received,
        coalesce(received.received_t, 0)                                         as received_t,
        facility_months.capacity_t_per_year,
        facility_months.capacity_t_per_day,
        case when facility_months.capacity_t_per_year is not null then 't_per_year/12'
             when facility_months.capacity_t_per_day is not null then 't_per_day*days'
        end                                                                      as capacity_basis,
        round(coalesce(facility_months.capacity_t_per_year / 12,
                       facility_months.capacity_t_per_day
                       * extract(day from facility_months.month_start + interval '1 month' - interval '1 day')), 3)
                                                                                 as capacity_month_t,
        round(coalesce(received.received_t, 0)
              / nullif(coalesce(facility_months.capacity_t_per_year / 12,
                                facility_months.capacity_t_per_day
                                * extract(day from facility_months.month_start + interval '1 month' - interval '1 day')),
                       0), 4)                                                    as utilisation_share
    from facility_months
    left join received
        on received.receiver_key = facility_months.receiver_key
       and received.month_start = facility_months.month_start

)

select * from final

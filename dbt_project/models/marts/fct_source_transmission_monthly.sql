-- Data transmission and validity per outlet and month: hours with an hourly packet, hours whose values are all
-- flagged N, against the hours of the month the outlet was registered.
with

hourly as (

    select * from {{ ref('int_source__hourly_values') }}
    where command_code = '2061'

),

outlets as (

    select * from {{ ref('ref_pollution_outlets') }}

),

per_hour as (

    select mn, data_time, bool_and(is_valid) as all_valid
    from hourly
    group by mn, data_time

),

per_month as (

    select
        mn,
        date_trunc('month', data_time)::date                                     as month_start,
        count(*)                                                                 as hours_received,
        count(*) filter (where all_valid)                                        as hours_valid
    from per_hour
    group by mn, date_trunc('month', data_time)

),

final as (

    select
        per_month.mn,
        outlets.outlet_code,
        outlets.enterprise_name,
        outlets.county_code,
        to_char(per_month.month_start, 'YYYY-MM')                                as month,
        -- hours of the month from the later of its first day and the outlet's registration
        (extract(epoch from ((per_month.month_start + interval '1 month')::timestamp
            - greatest(per_month.month_start, outlets.valid_from)::timestamp)) / 3600)::integer as hours_expected,
        per_month.hours_received,
        per_month.hours_valid
    from per_month
    inner join outlets on outlets.mn = per_month.mn

)

select
    final.*,
    round(100.0 * hours_received / nullif(hours_expected, 0), 2)                 as transmission_rate_pct,
    round(100.0 * hours_valid / nullif(hours_expected, 0), 2)                    as validity_rate_pct
from final

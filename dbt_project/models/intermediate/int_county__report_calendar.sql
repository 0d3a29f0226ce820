-- Every submission a unit owes: programme × template × unit × reporting period, from the schedule's first period
-- up to the month being assessed (or the schedule's last period), with the due date.
with

schedules as (

    select * from {{ ref('ref_report_schedules') }}

),

units as (

    select * from {{ ref('ref_programme_units') }}

),

months as (

    select
        schedules.*,
        month_start::date as month_start
    from schedules
    cross join lateral generate_series(
        {{ period_start('schedules.first_period') }},
        least(
            {{ as_of_month() }},
            coalesce(date_trunc('month', {{ period_end('schedules.last_period') }})::date, {{ as_of_month() }})
        ),
        interval '1 month'
    ) as month_start

),

periods as (

    -- a quarter is represented by its last month
    select
        programme_code,
        template_code,
        frequency,
        due_month_offset,
        due_day,
        month_start,
        case when frequency = 'quarter'
             then to_char(month_start, 'YYYY') || '-Q' || (extract(month from month_start)::integer / 3)
             else to_char(month_start, 'YYYY-MM') end                              as period_code,
        case when frequency = 'quarter'
             then (month_start - interval '2 months')::date
             else month_start end                                                  as period_start,
        (month_start + interval '1 month' - interval '1 day')::date                as period_end
    from months
    where frequency = 'month' or extract(month from month_start)::integer % 3 = 0

),

due as (

    select
        periods.*,
        (month_start + make_interval(months => due_month_offset))::date            as due_month
    from periods

),

final as (

    select
        due.programme_code,
        due.template_code,
        units.unit_code                                                            as county_code,
        units.unit_name                                                            as county_name,
        due.period_code,
        due.frequency,
        due.period_start,
        due.period_end,
        -- the due day, or the month's last day when the month is shorter
        (due.due_month + (least(due.due_day,
            extract(day from due.due_month + interval '1 month' - interval '1 day')::integer) - 1))::date as due_date
    from due
    inner join units on units.programme_code = due.programme_code

)

select * from final

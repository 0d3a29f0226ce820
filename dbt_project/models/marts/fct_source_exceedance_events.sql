-- Exceedance events: consecutive valid hours above the outlet's permit limit (on the converted 折算 mean where the
-- limit says so), across day boundaries; an invalid or missing hour ends an event.
with

hourly as (

    select * from {{ ref('int_source__hourly_values') }}
    where command_code = '2061' and is_valid

),

limits as (

    select * from {{ ref('ref_outlet_limits') }}

),

compared as (

    select
        hourly.mn,
        hourly.pollutant_code,
        hourly.data_time,
        case when limits.basis = 'zs_avg' then hourly.value_zs_avg else hourly.value_avg end as assessed_value,
        limits.limit_value,
        limits.basis,
        limits.standard_code
    from hourly
    inner join limits
        on limits.mn = hourly.mn
       and limits.pollutant_code = hourly.pollutant_code

),

exceeding as (

    select
        compared.*,
        -- gaps and islands: hours of one event share data_time − n hours
        data_time - make_interval(hours => (row_number() over (
            partition by mn, pollutant_code order by data_time))::integer)      as island
    from compared
    where assessed_value > limit_value

),

final as (

    select
        mn,
        pollutant_code,
        min(data_time)                                                           as event_start,
        max(data_time) + interval '1 hour'                                       as event_end,
        count(*)                                                                 as hours,
        max(assessed_value)                                                      as max_value,
        round(avg(assessed_value)::numeric, 3)                                   as mean_value,
        max(limit_value)                                                         as limit_value,
        round((max(assessed_value) / max(limit_value))::numeric, 2)              as max_multiple_of_limit,
        max(basis)                                                               as basis,
        max(standard_code)                                                       as standard_code
    from exceeding
    group by mn, pollutant_code, island

)

select * from final

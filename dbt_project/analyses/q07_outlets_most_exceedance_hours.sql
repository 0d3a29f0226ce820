-- 问题 7：今年哪些污染源排口超标小时最多？
-- 读取：marts.fct_source_exceedance_events（粒度：排口 × 污染物 × 超标事件）、
--   marts.fct_source_transmission_monthly（排口的企业、县区）、marts.dim_area
-- 口径：超标事件 = 同一排口同一污染物连续超过许可限值的有效小时（可跨日），按限值口径取实测或折算小时均值；
--   “今年”为最新超标事件所在年；事件按开始时间归年。
-- 结果列：
--   enterprise_name      企业名称
--   outlet_code          排口编号
--   county_name          所在县（市、区）
--   pollutant_code       污染物编码（HJ 212-2017）
--   events               超标事件数
--   exceedance_hours     超标小时数合计
--   longest_event_hours  最长一次连续超标小时数
--   max_multiple_of_limit 最大值为限值的倍数
-- 解读：每行一个排口的一种污染物，超标小时多者在前（前 20 行）。
-- depends_on: {{ ref('fct_source_exceedance_events') }} {{ ref('fct_source_transmission_monthly') }} {{ ref('dim_area') }}
with

this_year as (
    select date_trunc('year', max(event_start)) as year_start from marts.fct_source_exceedance_events
),

events as (
    select
        e.mn,
        e.pollutant_code,
        count(*)                                                                 as events,
        sum(e.hours)                                                             as exceedance_hours,
        max(e.hours)                                                             as longest_event_hours,
        max(e.max_multiple_of_limit)                                             as max_multiple_of_limit
    from marts.fct_source_exceedance_events as e
    inner join this_year as y
        on e.event_start >= y.year_start and e.event_start < y.year_start + interval '1 year'
    group by e.mn, e.pollutant_code
),

outlets as (
    select distinct on (mn) mn, outlet_code, enterprise_name, county_code
    from marts.fct_source_transmission_monthly
    order by mn, month desc
),

final as (
    select
        o.enterprise_name,
        o.outlet_code,
        a.area_name                                                              as county_name,
        ev.pollutant_code,
        ev.events,
        ev.exceedance_hours,
        ev.longest_event_hours,
        ev.max_multiple_of_limit
    from events as ev
    left join outlets as o on o.mn = ev.mn
    left join marts.dim_area as a on a.area_code = o.county_code
)

select * from final
order by exceedance_hours desc, enterprise_name, pollutant_code
limit 20

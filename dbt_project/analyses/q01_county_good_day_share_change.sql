-- 问题 1：今年哪个县（市、区）的空气优良天数比例比去年同期下降最多？
-- 读取：marts.fct_air_quality_monthly（粒度：月份 × 区域 × AQI 标准版本）、marts.dim_area（区域维表）
-- 口径：“今年”为集市中最新月份所在年的 1 月至最新月份，“去年同期”为上一年相同月份；两年都按最新月份施行的
--   AQI 标准版本计算（同一版本才可比）；比例 = 优良天数之和 ÷ AQI 有效天数之和 × 100。
-- 结果列：
--   county_name          县（市、区）名称
--   months_compared      比较的月份（如 2026-01…2026-10）
--   aqi_standard         所用 AQI 标准版本
--   share_this_year_pct  今年截至最新月的优良天数比例（%）
--   share_last_year_pct  去年同期的优良天数比例（%）
--   change_pct_points    变化（百分点，负值为下降）
-- 解读：按 change_pct_points 从小到大排列，第一行即下降最多的县；有效天数为 0 时比例与变化为空（不是 0）。
-- depends_on: {{ ref('fct_air_quality_monthly') }} {{ ref('dim_area') }}
with

latest as (
    select max(period) as period from marts.fct_air_quality_monthly
),

params as (
    select
        latest.period                                                            as latest_period,
        left(latest.period, 4)::int                                              as this_year,
        substr(latest.period, 6, 2)::int                                         as last_month,
        (select m.aqi_standard from marts.fct_air_quality_monthly as m
          where m.period = latest.period and m.is_in_force limit 1)              as aqi_standard
    from latest
),

by_year as (
    select
        m.area_code,
        sum(m.good_days) filter (where left(m.period, 4)::int = p.this_year)          as good_this,
        sum(m.aqi_valid_days) filter (where left(m.period, 4)::int = p.this_year)     as valid_this,
        sum(m.good_days) filter (where left(m.period, 4)::int = p.this_year - 1)      as good_last,
        sum(m.aqi_valid_days) filter (where left(m.period, 4)::int = p.this_year - 1) as valid_last
    from marts.fct_air_quality_monthly as m
    cross join params as p
    where m.aqi_standard = p.aqi_standard
      and m.period >= (p.this_year - 1)::text || '-01'
      and substr(m.period, 6, 2)::int <= p.last_month
    group by m.area_code
),

final as (
    select
        a.area_name                                                              as county_name,
        p.this_year || '-01…' || p.latest_period                                 as months_compared,
        p.aqi_standard,
        round(100.0 * b.good_this / nullif(b.valid_this, 0), 1)                  as share_this_year_pct,
        round(100.0 * b.good_last / nullif(b.valid_last, 0), 1)                  as share_last_year_pct,
        round(100.0 * b.good_this / nullif(b.valid_this, 0), 1)
            - round(100.0 * b.good_last / nullif(b.valid_last, 0), 1)            as change_pct_points
    from by_year as b
    inner join marts.dim_area as a on a.area_code = b.area_code
    cross join params as p
    where a.area_level = 'county'
)

select * from final
order by change_pct_points asc nulls last, county_name

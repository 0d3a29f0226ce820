-- 问题 2：某县（示例为柯城区）近 24 个月 PM2.5 月均浓度的走势如何，与上年同月相比是升是降？
-- 读取：marts.fct_air_quality_monthly（粒度：月份 × 区域 × AQI 标准版本）、marts.dim_area
-- 口径：PM2.5 月均浓度是有效日均值的算术平均，与 AQI 标准版本无关，取 HJ 633-2012 行（十三五口径）；
--   月有效性按 GB 3095-2012 表4（每月 ≥ 27 个日均值，二月 ≥ 25 个）。换一个县只需改 area_name。
-- 浓度保留一位小数，变化为两个一位小数之差（与表中数字一致）。
-- 结果列：
--   county_name          县（市、区）名称
--   period               月份（YYYY-MM）
--   pm2_5_mean           PM2.5 月均浓度（µg/m³）
--   pm2_5_valid_days     PM2.5 有效日数
--   month_valid          本月是否满足月有效天数要求
--   same_month_last_year 上年同月的 PM2.5 月均浓度（µg/m³）
--   change_vs_last_year  较上年同月的变化（µg/m³，负值为下降）
-- 解读：按月份排列；month_valid 为 false 的月份数据不足，不宜比较；上年同月无数据时变化为空。
-- depends_on: {{ ref('fct_air_quality_monthly') }} {{ ref('dim_area') }}
with

county as (
    select area_code, area_name from marts.dim_area where area_name = '柯城区'
),

monthly as (
    select m.period, m.pm2_5_mean, m.pm2_5_valid_days, m.pm2_5_month_valid, c.area_name
    from marts.fct_air_quality_monthly as m
    inner join county as c on c.area_code = m.area_code
    where m.aqi_standard = 'HJ 633-2012'
),

final as (
    select
        cur.area_name                                                            as county_name,
        cur.period,
        round(cur.pm2_5_mean::numeric, 1)                                        as pm2_5_mean,
        cur.pm2_5_valid_days,
        cur.pm2_5_month_valid                                                    as month_valid,
        round(prev.pm2_5_mean::numeric, 1)                                       as same_month_last_year,
        round(cur.pm2_5_mean::numeric, 1) - round(prev.pm2_5_mean::numeric, 1)   as change_vs_last_year
    from monthly as cur
    left join monthly as prev
        on prev.period = (left(cur.period, 4)::int - 1)::text || substr(cur.period, 5)
    where cur.period > to_char((select max(period) || '-01' from monthly)::date - interval '24 months', 'YYYY-MM')
)

select * from final
order by period

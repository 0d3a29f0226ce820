-- 问题 6：今年哪些地表水断面没有达到水质目标类别？由哪些项目决定、超标多少？
-- 读取：marts.fct_water_section_quality（粒度：断面 × 数据来源 × 评价时段类型 × 时段）、marts.dim_area
-- 口径：手工监测月报（data_source = 'manual'）的年评价（period_kind = 'year'），年份为集市中最新一年；年类别由
--   各项目年均值按 GB 3838-2002 评价（不是取最差月份），断面类别为最差项目的类别；今年未满 12 个月时为年初至今。
-- 结果列：
--   section_name         断面名称
--   control_level        断面级别（国控/省控/市控/交接）
--   county_name          所在县（市、区）（断面未登记所在县时为空）
--   year                 年份
--   water_class_label    年水质类别
--   target_class_label   目标类别
--   determining_items    决定类别的项目
--   exceeding_items      超过 III 类标准的项目及超标倍数
--   months_missing_target 今年未达到目标的月份数
-- 解读：每行一个未达标断面，类别越差越靠前；determining_items 指出要治理的项目。
-- depends_on: {{ ref('fct_water_section_quality') }} {{ ref('dim_area') }}
with

latest as (
    select max(period_code) as year
    from marts.fct_water_section_quality
    where data_source = 'manual' and period_kind = 'year'
),

monthly_misses as (
    select q.section_code, count(*) filter (where not q.meets_target) as months_missing_target
    from marts.fct_water_section_quality as q
    inner join latest as l on left(q.period_code, 4) = l.year
    where q.data_source = 'manual' and q.period_kind = 'month'
    group by q.section_code
),

final as (
    select
        q.section_name,
        q.control_level,
        a.area_name                                                              as county_name,
        q.period_code                                                            as year,
        q.water_class_label,
        (array['I', 'II', 'III', 'IV', 'V', '劣V'])[q.target_class]              as target_class_label,
        q.determining_items,
        q.exceeding_items,
        coalesce(mm.months_missing_target, 0)                                    as months_missing_target,
        q.water_class
    from marts.fct_water_section_quality as q
    inner join latest as l on l.year = q.period_code
    left join monthly_misses as mm on mm.section_code = q.section_code
    left join marts.dim_area as a on a.area_code = q.county_code
    where q.data_source = 'manual'
      and q.period_kind = 'year'
      and not q.meets_target
)

select section_name, control_level, county_name, year, water_class_label, target_class_label, determining_items,
       exceeding_items, months_missing_target
from final
order by water_class desc, section_name

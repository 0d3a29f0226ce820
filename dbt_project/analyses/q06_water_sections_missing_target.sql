-- 问题 6：今年哪些地表水断面没有达到水质目标类别？由哪些项目决定、超标多少？
-- 读取：marts.fct_water_section_quality（粒度：断面 × 数据来源 × 评价时段类型 × 时段）
-- 口径：“今年”为集市中最新时段所在年。手工监测月报（manual）给年类别（由各项目年均值按 GB 3838-2002 评价，不是取
--   最差月份；未满 12 个月时为年初至今）和各月类别；水质自动站（auto）给逐日类别（仅自动站所测项目参评）。列出
--   年类别、任一月份或任一自动站日未达到目标的断面；决定类别的项目与超标倍数取今年类别最差的一个时段（并列取最近的）。
-- 结果列：
--   section_name         断面名称
--   control_level        断面级别（国控/省控/市控/交接）
--   year                 年份
--   annual_class_label   手工监测年类别（无手工数据时为空）
--   target_class_label   目标类别
--   meets_target_year    年类别是否达到目标（无手工数据时为空）
--   months_missing_target 手工监测未达到目标的月份数
--   auto_days_missing_target 自动站未达到目标的天数
--   worst_period         今年类别最差的时段（月 YYYY-MM 或日 YYYY-MM-DD）
--   worst_class_label    该时段的水质类别
--   determining_items    该时段决定类别的项目
--   exceeding_items      该时段超过 III 类标准的项目及超标倍数
-- 解读：年类别未达标的断面在前，其后按未达标月数、天数；determining_items 指出要治理的项目。
-- depends_on: {{ ref('fct_water_section_quality') }}
with

latest as (
    select max(left(period_code, 4)) as year from marts.fct_water_section_quality
),

this_year as (
    select q.*
    from marts.fct_water_section_quality as q
    inner join latest as l on left(q.period_code, 4) = l.year
),

per_section as (
    select
        section_code,
        max(section_name)                                                        as section_name,
        max(control_level)                                                       as control_level,
        max(target_class)                                                        as target_class,
        max(water_class_label) filter (where data_source = 'manual' and period_kind = 'year') as annual_class_label,
        bool_and(meets_target) filter (where data_source = 'manual' and period_kind = 'year') as meets_target_year,
        count(*) filter (where data_source = 'manual' and period_kind = 'month' and not meets_target)
                                                                                 as months_missing_target,
        count(*) filter (where data_source = 'auto' and period_kind = 'day' and not meets_target)
                                                                                 as auto_days_missing_target
    from this_year
    group by section_code
),

worst as (
    select distinct on (section_code)
        section_code, period_code, water_class_label, determining_items, exceeding_items
    from this_year
    where period_kind in ('month', 'day')
    order by section_code, water_class desc, period_end desc, data_source
),

final as (
    select
        p.section_name,
        p.control_level,
        l.year,
        p.annual_class_label,
        (array['I', 'II', 'III', 'IV', 'V', '劣V'])[p.target_class]              as target_class_label,
        p.meets_target_year,
        p.months_missing_target,
        p.auto_days_missing_target,
        w.period_code                                                            as worst_period,
        w.water_class_label                                                      as worst_class_label,
        w.determining_items,
        w.exceeding_items
    from per_section as p
    cross join latest as l
    left join worst as w on w.section_code = p.section_code
    where not coalesce(p.meets_target_year, true)
       or p.months_missing_target > 0
       or p.auto_days_missing_target > 0
)

select * from final
order by meets_target_year nulls last, months_missing_target desc, auto_days_missing_target desc, section_name

-- 问题 10：全市 PM2.5 年均浓度（十三五约束性指标）今年以来逐月累计值离 2020 年目标还有多远？
-- 读取：marts.mart_indicator_monthly（粒度：月份 × 区域 × 十三五指标）
-- 口径：衢州市“十三五”规划表2-1 的 air_pm25_concentration，按 HJ 633-2012 / HJ 663-2013 计算；value_ytd 为本年
--   截至当月的累计值（有效日均值的平均），目标状态由累计值对照 2020 年目标判定；无数值目标时为
--   no_numeric_target（不以 0 代替）。表2-1 中 PM2.5 与优良天数比例的 2020 年目标是“完成省下达任务”（文字），局方在
--   seeds/ref_indicators_13th.csv 填入数值目标之前，只能与 2015 年基准比较。换一个指标只需改 indicator_code。
-- 结果列：
--   period               月份
--   indicator_name       指标名称
--   unit                 单位
--   value_month          当月值
--   value_ytd            本年累计值
--   baseline_2015_value  2015 年基准值
--   change_vs_2015       累计值较 2015 年基准的变化（负值为下降）
--   target_2020_text     2020 年目标（原文）
--   target_2020_value    2020 年数值目标（未填写为空）
--   gap_to_target        累计值 − 目标（越低越好的指标为正即未达标）
--   target_status        目标状态（met / not_met / no_numeric_target）
--   data_completeness_pct 数据完整率（%）
-- 解读：最新年份每月一行；gap_to_target 为空表示尚无数值目标或没有数据，此时看 change_vs_2015。
-- depends_on: {{ ref('mart_indicator_monthly') }}
with

latest as (
    select max(period) as period from marts.mart_indicator_monthly
),

final as (
    select
        i.period,
        i.indicator_name,
        i.unit,
        i.value_month,
        i.value_ytd,
        i.baseline_2015_value,
        i.change_vs_2015,
        i.target_2020_text,
        i.target_2020_value,
        i.value_ytd - i.target_2020_value                                        as gap_to_target,
        i.target_status,
        i.data_completeness_pct
    from marts.mart_indicator_monthly as i
    cross join latest as l
    where i.indicator_code = 'air_pm25_concentration'
      and i.area_code = '330800'
      and left(i.period, 4) = left(l.period, 4)
      and i.period <= l.period
)

select * from final
order by period

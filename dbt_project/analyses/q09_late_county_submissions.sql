-- 问题 9：最近一个报告期哪些县（市、区）的报表逾期报送或未报送？
-- 读取：marts.mart_submission_timeliness（粒度：方案 × 报表 × 报送单位 × 报告期）
-- 口径：衢州的各种报表（方案代码 QZ 开头：整治台账、任务进展、指标填报、断面手工监测月报），已到期（不是 pending）
--   的最新报告期；按时 = 到期日当天 24 时（北京时间）前送达；到期日来自 ref_report_schedules（月报为次月 3 日，
--   断面月报为次月 10 日）。
-- 结果列：
--   county_name          报送单位
--   template_name        报表名称
--   period_code          报告期
--   due_date             到期日
--   timeliness           late 逾期 / missing 未报送
--   days_late            逾期天数（未报送为空）
--   first_delivered_at   首次送达时间（未报送为空）
--   rows_quarantined     最新一版被隔离的行数
-- 解读：未报送的排在前面，其次按逾期天数；隔离行的原因见 quarantine.rows。
-- depends_on: {{ ref('mart_submission_timeliness') }}
with

latest as (
    select max(period_code) as period_code
    from marts.mart_submission_timeliness
    where programme_code like 'QZ%' and timeliness <> 'pending'
),

final as (
    select
        s.county_name,
        s.template_name,
        s.period_code,
        s.due_date,
        s.timeliness,
        s.days_late,
        s.first_delivered_at,
        s.rows_quarantined
    from marts.mart_submission_timeliness as s
    inner join latest as l on l.period_code = s.period_code
    where s.programme_code like 'QZ%'
      and s.timeliness in ('late', 'missing')
)

select * from final
order by timeliness desc, days_late desc nulls first, county_name, template_name

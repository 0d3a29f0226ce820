-- 问题 5：哪些牵头（责任）单位逾期未完成的任务和重点工程最多？
-- 读取：marts.mart_task_responsibility_index（粒度：报告期 × 统计口径 × 口径代码 × 事项类别）
-- 口径：最新报告期、牵头单位口径（scope_kind = 'lead_unit'）、任务与工程合计（item_kind = 'all'）；两家牵头的事项
--   分别计入两家。117 项任务在 002 中无完成年限，不计为到期，逾期主要来自重点工程。
-- 结果列：
--   lead_unit            牵头（责任）单位
--   period_code          报告期
--   items_total          事项总数
--   items_due            已到期事项数
--   overdue              逾期未完成数
--   completed_late       逾期完成数
--   responsibility_index_pct 责任指数（%，无到期事项时为空）
-- 解读：前十个逾期最多的单位，逾期数相同时按单位名称排列。
-- depends_on: {{ ref('mart_task_responsibility_index') }}
with

latest as (
    select max(period_code) as period_code from marts.mart_task_responsibility_index
),

final as (
    select
        r.scope_name                                                             as lead_unit,
        r.period_code,
        r.items_total,
        r.items_due,
        r.overdue,
        r.completed_late,
        r.responsibility_index_pct
    from marts.mart_task_responsibility_index as r
    inner join latest as l on l.period_code = r.period_code
    where r.scope_kind = 'lead_unit'
      and r.item_kind = 'all'
)

select * from final
order by overdue desc, lead_unit
limit 10

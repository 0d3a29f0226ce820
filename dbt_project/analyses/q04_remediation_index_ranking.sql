-- 问题 4：最新报告期各县（市、区）和区块的重点行业整治指数排名如何？
-- 读取：marts.mart_remediation_index（粒度：方案 × 报告期 × 地区 × 重点行业或 ALL）
-- 口径：衢州方案 QZ2023 最新报告期、全部重点行业合计行（industry_code = 'ALL'）；整治指数 = 已到期企业中按期完成
--   的比例；无到期企业时指数为空（NULL），排在最后且不参与排名。
-- 结果列：
--   rank_in_city         排名（指数高者在前；并列同名次；指数为空时为空）
--   area_name            县（市、区）/区块名称
--   period_code          报告期
--   enterprises_listed   列入整治的企业数
--   enterprises_due      已到期企业数
--   done_by_deadline     按期完成数
--   done_late            逾期完成数
--   overdue              逾期未完成数
--   remediation_index_pct 整治指数（%）
-- 解读：rank_in_city = 1 为整治最及时的地区；逾期未完成多的地区看问题 3 的企业清单。
-- depends_on: {{ ref('mart_remediation_index') }}
with

latest as (
    select max(period_code) as period_code
    from marts.mart_remediation_index
    where programme_code = 'QZ2023'
),

final as (
    select
        case when i.remediation_index_pct is not null
             then rank() over (order by i.remediation_index_pct desc nulls last) end as rank_in_city,
        i.area_name,
        i.period_code,
        i.enterprises_listed,
        i.enterprises_due,
        i.done_by_deadline,
        i.done_late,
        i.overdue,
        i.remediation_index_pct
    from marts.mart_remediation_index as i
    inner join latest as l on l.period_code = i.period_code
    where i.programme_code = 'QZ2023'
      and i.industry_code = 'ALL'
      and i.area_level in ('county', 'block')
)

select * from final
order by rank_in_city nulls last, area_name

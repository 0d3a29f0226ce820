-- 问题 3：木质家具行业有哪些企业已过整治完成时限仍未完成（逾期）？
-- 读取：marts.dim_enterprise（粒度：企业 × 版本，类型2）、marts.mart_remediation_progress（取最新报告期末）、marts.dim_area
-- 口径：衢州方案 QZ2023，各企业的当前版本（is_current）；与 mart_remediation_progress.overdue 同一判定：
--   报告期末已晚于行业完成时限（000/001），且整治状态不是“已完成”、报告期末前也未通过县级验收。
-- 结果列：
--   county_name          县（市、区）/区块名称
--   enterprise_name      企业名称
--   uscc                 统一社会信用代码
--   remediation_class    整治分类
--   progress_status      整治状态
--   industry_deadline    行业完成时限
--   as_of                判定日（最新报告期末）
--   days_overdue         逾期天数（判定日 − 完成时限）
-- 解读：每行一家逾期企业，按县、逾期天数排列；查其他行业把 industry_name 换成 ref_key_industries 中的名称。
-- depends_on: {{ ref('dim_enterprise') }} {{ ref('mart_remediation_progress') }} {{ ref('dim_area') }}
with

as_of as (
    select max(period_end) as as_of
    from marts.mart_remediation_progress
    where programme_code = 'QZ2023'
),

current_enterprises as (
    select *
    from marts.dim_enterprise
    where programme_code = 'QZ2023'
      and is_current
      and industry_name = '木质家具'
),

final as (
    select
        a.area_name                                                              as county_name,
        e.enterprise_name,
        e.uscc,
        e.remediation_class,
        e.progress_status,
        e.industry_deadline,
        d.as_of,
        d.as_of - e.industry_deadline                                            as days_overdue
    from current_enterprises as e
    cross join as_of as d
    left join marts.dim_area as a on a.area_code = e.county_code
    where d.as_of > e.industry_deadline
      and e.progress_status is distinct from '已完成'
      and not coalesce(e.county_accepted_on <= d.as_of, false)
)

select * from final
order by county_name, days_overdue desc, enterprise_name

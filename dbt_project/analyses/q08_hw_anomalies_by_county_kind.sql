-- 问题 8：今年各县（市、区）的危险废物异常各有多少，分别是哪类？
-- 读取：marts.fct_hw_anomalies（粒度：异常类型 × 异常对象）
-- 口径：异常归属产生单位所在县（市、区）或功能区块；联单异常归属转移月份，产生单位异常归属评估月份；“今年”为
--   评估月份（as_of_period）所在年。severity：blocking 须核查处理 / warning 提示。
-- 结果列：
--   county_name          县（市、区）/区块名称
--   anomaly_kind         异常类型代码
--   title_zh             异常类型（中文）
--   severity             严重程度
--   anomalies            异常数
--   latest_month         最近一次异常的归属月份
-- 解读：按县和异常数排列；明细（联单号、说明）见 fct_hw_anomalies 的 description_zh。
-- depends_on: {{ ref('fct_hw_anomalies') }}
with

final as (
    select
        a.county_name,
        a.anomaly_kind,
        a.title_zh,
        a.severity,
        count(*)                                                                 as anomalies,
        max(a.anomaly_month)                                                     as latest_month
    from marts.fct_hw_anomalies as a
    where left(a.anomaly_month, 4) = left(a.as_of_period, 4)
    group by a.county_name, a.anomaly_kind, a.title_zh, a.severity
)

select * from final
order by county_name, anomalies desc, anomaly_kind

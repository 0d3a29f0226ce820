-- Where the paper trail of hazardous waste breaks (002 tasks 72–81): one row per manifest or generator and kind of
-- anomaly, attributed to the generator's county, for the county clerk to check. Kinds, severity and the rule each
-- comes from are in seeds/ref_hw_anomaly_kinds.csv. Rows that failed the 名录 checks at ingestion (unknown code,
-- code/category mismatch, received before shipped, …) are in quarantine.rows with their Chinese reason, not here.
-- A cancelled manifest (作废) moved nothing and raises no anomaly but a duplicate or conflicting number.
-- The two overdue kinds are bands (over 7 up to 30 days, over 30 days), so an old open manifest is one anomaly.
-- Manifest anomalies belong to the month of shipment; a generator's to the assessed month.
{%- set as_of %}{{ as_of_month() }}{% endset %}
with

manifests as (

    select * from {{ ref('int_hw__manifests') }}

),

generators as (

    select * from {{ ref('fct_hw_generators_platform') }}
    where is_assessed_year and needs_platform

),

kinds as (

    select * from {{ ref('ref_hw_anomaly_kinds') }}

),

counties as (

    select * from {{ ref('ref_counties') }}

),

manifest_kinds as (

    select manifests.*, 'unreceived_7d' as anomaly_kind
    from manifests where is_open_over_7d and not is_open_over_30d
    union all
    select manifests.*, 'unreceived_30d' from manifests where is_open_over_30d
    union all
    select manifests.*, 'short_received' from manifests where is_short_received
    union all
    select manifests.*, 'over_received' from manifests where is_over_received
    union all
    select manifests.*, 'cross_province' from manifests where is_cross_province and manifest_status <> '作废'
    union all
    select manifests.*, 'long_distance' from manifests where is_long_distance and manifest_status <> '作废'
    union all
    select manifests.*, 'receiver_unlicensed' from manifests where is_receiver_unlicensed and manifest_status <> '作废'
    union all
    select manifests.*, 'name_mismatch' from manifests where is_name_mismatch and manifest_status <> '作废'
    union all
    select manifests.*, 'duplicate_manifest' from manifests where duplicate_rows > 0
    union all
    select manifests.*, 'conflicting_manifest' from manifests where has_conflict

),

manifest_rows as (

    select
        anomaly_kind,
        'manifest'                                                               as subject_type,
        manifest_no                                                              as subject_id,
        generator_county_code                                                    as county_code,
        shipped_month                                                            as anomaly_month,
        manifest_no,
        generator_uscc,
        generator_name,
        waste_code,
        hw_category,
        waste_name,
        shipped_at,
        shipped_t,
        received_at,
        received_t,
        manifest_status,
        receiver_name,
        receiver_licence_no,
        receiver_province,
        days_open,
        null::numeric                                                            as produced_t,
        -- what a county clerk reads: the manifest, what is wrong, what to check
        format('联单%s（%s，%s %s，%s吨，%s → %s）：', manifest_no, generator_name, waste_code,
               coalesce(waste_name, ''), round(shipped_t, 3), to_char(shipped_at, 'YYYY-MM-DD'),
               coalesce(receiver_name, '接受单位未填'))
        || case anomaly_kind
            when 'unreceived_7d' then format('截至%s仍未接收，已在途%s天（超过7天），请督促产生单位、运输单位和接受单位核实。',
                                             to_char(as_of - interval '1 day', 'YYYY-MM-DD'), days_open)
            when 'unreceived_30d' then format('截至%s仍未接收，已在途%s天（超过30天），请核查废物去向，排查非法转移、倾倒。',
                                              to_char(as_of - interval '1 day', 'YYYY-MM-DD'), days_open)
            when 'short_received' then format('接收数量%s吨，比转移数量少%s%%（容差%s%%），请核实差额去向。',
                                              round(received_t, 3), -receipt_difference_pct,
                                              ({{ var('hw_receipt_tolerance', 0.05) }} * 100)::float8)
            when 'over_received' then format('接收数量%s吨，比转移数量多%s%%（容差%s%%），请核实计量或是否混入其他废物。',
                                             round(received_t, 3), receipt_difference_pct,
                                             ({{ var('hw_receipt_tolerance', 0.05) }} * 100)::float8)
            when 'cross_province' then format('跨省转移至%s，请核对跨省转移批准文件；省内有能力利用处置的应严格控制跨省转出。',
                                              coalesce(receiver_province, '省外'))
            when 'long_distance' then format('转移至衢州市以外的%s%s，请核实未就近利用处置的原因。',
                                             coalesce(receiver_province, ''), coalesce(receiver_county, ''))
            when 'receiver_unlicensed' then
                case receiver_licence_issue
                    when 'licence_unknown' then format('经营许可证编号“%s”不在本市登记的危险废物经营单位中，请核实接受单位资质。',
                                                        coalesce(receiver_licence_no, '未填'))
                    when 'licence_not_in_force' then format('经营许可证%s在转移日不在有效期内，请核实。', receiver_licence_no)
                    else format('接受单位经营许可类别不含%s，请核实。', hw_category)
                end
            when 'name_mismatch' then format('废物名称含“%s”（通常属%s），与废物代码的类别%s不符，请核对代码或名称（警告）。',
                                             name_mismatch_keywords, name_mismatch_categories, hw_category)
            when 'duplicate_manifest' then format('同一联单内容相同出现%s次，已按一次统计，请告知系统管理员核查导出。',
                                                  duplicate_rows + 1)
            when 'conflicting_manifest' then format('同一联单编号出现%s个不同版本，按最晚送达的版本统计，请核实编号是否被重复使用。',
                                                    content_versions)
        end                                                                      as description_zh
    from manifest_kinds

),

generator_rows as (

    select
        'off_platform_generator'                                                 as anomaly_kind,
        'generator'                                                              as subject_type,
        generator_key                                                            as subject_id,
        county_code,
        to_char({{ as_of }}, 'YYYY-MM')                                          as anomaly_month,
        null::text                                                               as manifest_no,
        generator_uscc,
        generator_name,
        null::text                                                               as waste_code,
        null::text                                                               as hw_category,
        null::text                                                               as waste_name,
        null::timestamp                                                          as shipped_at,
        null::numeric                                                            as shipped_t,
        null::timestamp                                                          as received_at,
        null::numeric                                                            as received_t,
        null::text                                                               as manifest_status,
        null::text                                                               as receiver_name,
        null::text                                                               as receiver_licence_no,
        null::text                                                               as receiver_province,
        null::numeric                                                            as days_open,
        produced_t,
        format('%s（%s）：%s至%s危险废物产生量%s吨（%s），达到5吨以上，但未纳入智慧环保平台，请督促接入。',
               generator_name, coalesce(generator_uscc, '无统一社会信用代码'), window_start_month, window_end_month,
               round(produced_t, 3), case produced_basis when 'declared' then '按月度申报' else '无申报，按联单转移数量' end)
                                                                                 as description_zh
    from generators

),

unioned as (

    select * from manifest_rows
    union all
    select * from generator_rows

),

final as (

    select
        unioned.anomaly_kind,
        unioned.subject_type,
        unioned.subject_id,
        kinds.severity,
        kinds.title_zh,
        unioned.description_zh,
        unioned.county_code,
        counties.county_name,
        unioned.anomaly_month,
        to_char({{ as_of }}, 'YYYY-MM')                                          as as_of_period,
        unioned.manifest_no,
        unioned.generator_uscc,
        unioned.generator_name,
        unioned.waste_code,
        unioned.hw_category,
        unioned.waste_name,
        unioned.shipped_at,
        unioned.shipped_t,
        unioned.received_at,
        unioned.received_t,
        unioned.manifest_status,
        unioned.receiver_name,
        unioned.receiver_licence_no,
        unioned.receiver_province,
        unioned.days_open,
        unioned.produced_t,
        kinds.rule_source
    from unioned
    inner join kinds on kinds.anomaly_kind = unioned.anomaly_kind
    left join counties on counties.county_code = unioned.county_code

)

select * from final

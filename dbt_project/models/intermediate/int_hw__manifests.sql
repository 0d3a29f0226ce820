-- One row per manifest number as the bureau counts it, with the checks that need more than one row or the reference
-- data (the per-row 名录 checks were done at ingestion; failing rows are in quarantine.rows, not here).
--
-- Repeats of a number: the same content (content_hash) again is a harmless duplicate, counted once. Different
-- content is a conflict, and the version in the latest delivered file counts (the provincial system's latest export
-- is its current record; ties by batch and row) — except a status update: an export that showed the manifest 在途
-- followed by one that shows it received, returned or cancelled, with every shipping field unchanged, is the same
-- manifest progressing, not a conflict.
--
-- Statuses are judged as of the end of the assessed month (var `period`): a manifest is open at that moment when it
-- had been shipped, was neither returned nor cancelled, and had not been received by then.
{%- set period_end %}({{ as_of_month() }} + interval '1 month'){% endset %}
{%- set tolerance = var('hw_receipt_tolerance', 0.05) %}
with

manifests as (

    select * from {{ ref('stg_raw__hw_manifests') }}

),

files as (

    select * from {{ source('ops', 'files') }}

),

receivers as (

    select * from {{ ref('ref_hw_receivers') }}

),

keywords as (

    select * from {{ ref('ref_hw_name_keywords') }}

),

counties as (

    select * from {{ ref('ref_counties') }}

),

delivered as (

    select
        manifests.*,
        files.delivered_at,
        -- the record without its receipt (status, received time and quantity), which later exports fill in
        md5(row(manifests.transfer_type, manifests.generator_name, manifests.generator_uscc,
                manifests.generator_county_code, manifests.generator_address, manifests.waste_code,
                manifests.hw_category, manifests.waste_name, manifests.waste_form, manifests.hazard_characteristics,
                manifests.shipped_t, manifests.packaging, manifests.carrier_name, manifests.carrier_permit_no,
                manifests.vehicle_plate, manifests.receiver_name, manifests.receiver_uscc,
                manifests.receiver_licence_no, manifests.receiver_province, manifests.receiver_county,
                manifests.disposal_method, manifests.shipped_at)::text)          as shipment_hash
    from manifests
    inner join files on files.file_sha256 = manifests.file_sha256

),

ranked as (

    select
        delivered.*,
        row_number() over (partition by manifest_no
                           order by delivered_at desc nulls last, batch_id desc, source_row desc) as recency
    from delivered

),

counted as (

    select * from ranked where recency = 1

),

repeats as (

    select
        ranked.manifest_no,
        count(*)                                                                 as rows_seen,
        count(distinct ranked.content_hash)                                      as contents,
        count(distinct ranked.shipment_hash)                                     as shipments,
        count(distinct ranked.file_sha256)                                       as files_seen,
        bool_and(ranked.content_hash = counted.content_hash or ranked.manifest_status = '在途')
                                                                                 as others_were_in_transit,
        min(ranked.delivered_at)                                                 as first_delivered_at
    from ranked
    inner join counted on counted.manifest_no = ranked.manifest_no
    group by ranked.manifest_no

),

facilities as (

    select
        receivers.*,
        regexp_split_to_array(trim(receivers.permitted_categories), '\s+')      as categories
    from receivers

),

-- every registered facility of the manifest's licence; the licence is judged on the shipping date
facility_match as (

    select
        counted.manifest_no,
        facilities.receiver_code,
        facilities.province,
        facilities.county_code,
        counted.shipped_at::date >= facilities.valid_from
            and (facilities.valid_to is null or counted.shipped_at::date <= facilities.valid_to) as in_force,
        counted.hw_category = any(facilities.categories)                        as permits_category,
        row_number() over (
            partition by counted.manifest_no
            order by (counted.shipped_at::date >= facilities.valid_from
                      and (facilities.valid_to is null or counted.shipped_at::date <= facilities.valid_to)) desc,
                     (facilities.facility_type = counted.disposal_method) desc nulls last,
                     (counted.hw_category = any(facilities.categories)) desc,
                     facilities.receiver_code)                                   as preference
    from counted
    inner join facilities on facilities.licence_no = counted.receiver_licence_no

),

licence as (

    select
        manifest_no,
        bool_or(in_force)                                                        as licence_in_force,
        bool_or(in_force and permits_category)                                  as category_permitted
    from facility_match
    group by manifest_no

),

name_check as (

    select
        counted.manifest_no,
        bool_or(keywords.hw_category = counted.hw_category)                     as has_own_keyword,
        bool_or(keywords.hw_category <> counted.hw_category)                    as has_other_keyword,
        string_agg(distinct keywords.keyword, '、')
            filter (where keywords.hw_category <> counted.hw_category)          as other_keywords,
        string_agg(distinct keywords.hw_category, '、')
            filter (where keywords.hw_category <> counted.hw_category)          as other_categories
    from counted
    inner join keywords on strpos(counted.waste_name, keywords.keyword) > 0
    group by counted.manifest_no

),

joined as (

    select
        counted.*,
        repeats.rows_seen,
        repeats.contents,
        repeats.shipments,
        repeats.files_seen,
        repeats.others_were_in_transit,
        repeats.first_delivered_at,
        facility.receiver_code,
        coalesce(counted.receiver_province, facility.province)                  as receiver_province_resolved,
        coalesce(counted.receiver_county_code, facility.county_code)            as receiver_county_code_resolved,
        licence.licence_in_force,
        licence.category_permitted,
        name_check.has_own_keyword,
        name_check.has_other_keyword,
        name_check.other_keywords,
        name_check.other_categories,
        {{ period_end }}                                                         as period_end
    from counted
    inner join repeats on repeats.manifest_no = counted.manifest_no
    left join facility_match as facility
        on facility.manifest_no = counted.manifest_no
       and facility.preference = 1
    left join licence on licence.manifest_no = counted.manifest_no
    left join name_check on name_check.manifest_no = counted.manifest_no

),

flagged as (

    select
        joined.*,
        contents > 1 and not (shipments = 1 and others_were_in_transit)        as has_conflict,
        contents > 1 and shipments = 1 and others_were_in_transit               as is_status_update,
        rows_seen - contents                                                     as duplicate_rows,
        manifest_status not in ('作废', '已退回')
            and shipped_at < period_end
            and (received_at is null or received_at >= period_end)              as is_open_at_period_end,
        manifest_status = '已接收'
            and received_t < shipped_t * (1 - {{ tolerance }})                  as is_short_received,
        manifest_status = '已接收'
            and received_t > shipped_t * (1 + {{ tolerance }})                  as is_over_received,
        transfer_type = '跨省转移'
            or coalesce(receiver_province_resolved <> '浙江省', false)          as is_cross_province,
        case when licence_in_force is null then 'licence_unknown'
             when not licence_in_force then 'licence_not_in_force'
             when not category_permitted then 'category_not_permitted'
        end                                                                      as receiver_licence_issue,
        coalesce(has_other_keyword and not has_own_keyword, false)              as is_name_mismatch
    from joined

),

final as (

    select
        manifest_no,
        transfer_type,
        generator_name,
        generator_uscc,
        generator_county_code,
        counties.county_name                                                     as generator_county_name,
        generator_address,
        waste_code,
        hw_category,
        waste_name,
        waste_form,
        hazard_characteristics,
        shipped_t,
        packaging,
        carrier_name,
        carrier_permit_no,
        vehicle_plate,
        receiver_name,
        receiver_uscc,
        receiver_licence_no,
        receiver_code,
        receiver_province_resolved                                               as receiver_province,
        receiver_county,
        receiver_county_code_resolved                                            as receiver_county_code,
        disposal_method,
        shipped_at,
        to_char(shipped_at, 'YYYY-MM')                                           as shipped_month,
        received_at,
        received_t,
        manifest_status,
        manifest_status not in ('作废', '已退回')                                as is_live,
        content_hash,
        rows_seen,
        files_seen,
        duplicate_rows,
        contents                                                                 as content_versions,
        has_conflict,
        is_status_update,
        is_short_received,
        is_over_received,
        case when is_short_received or is_over_received
             then round((received_t / nullif(shipped_t, 0) - 1) * 100, 2) end  as receipt_difference_pct,
        is_cross_province,
        -- 002 task 79 (严控长距离运输): leaving 衢州市 for elsewhere in the province; leaving the province is
        -- cross_province, not counted twice. An unknown location (no province written, licence not registered) is
        -- not judged here: the unregistered licence is flagged on its own.
        not is_cross_province
            and receiver_province_resolved = '浙江省'
            and receiver_county_code_resolved is null                           as is_long_distance,
        receiver_licence_issue is not null                                       as is_receiver_unlicensed,
        receiver_licence_issue,
        is_name_mismatch,
        other_keywords                                                           as name_mismatch_keywords,
        other_categories                                                         as name_mismatch_categories,
        period_end                                                               as as_of,
        is_open_at_period_end,
        case when is_open_at_period_end
             then round((extract(epoch from (period_end - shipped_at)) / 86400)::numeric, 2) end as days_open,
        is_open_at_period_end and period_end - shipped_at > interval '7 days'   as is_open_over_7d,
        is_open_at_period_end and period_end - shipped_at > interval '30 days'  as is_open_over_30d,
        batch_id,
        file_sha256,
        source_row,
        delivered_at,
        first_delivered_at
    from flagged
    left join counties on counties.county_code = flagged.generator_county_code

)

select * from final

-- Hazardous waste (危险废物): transfer manifests exported by the provincial solid-waste system, and generators'
-- declarations (管理计划, 月度申报). Rows passed the 2021 名录 checks of ingest/hazwaste.py; duplicate or conflicting
-- manifest numbers are loaded as received (content_hash tells a harmless repeat from a conflict). Idempotent.
create table if not exists raw.hw_manifests (
    batch_id                bigint not null,
    file_sha256             text not null,
    source_row              integer not null,
    manifest_no             text not null,
    transfer_type           text not null,
    generator_name          text,
    generator_uscc          text not null,
    generator_county_code   text not null,
    generator_address       text,
    waste_code              text not null,
    hw_category             text not null,
    waste_name              text,
    waste_form              text,
    hazard_characteristics  text,
    shipped_t               numeric not null,
    packaging               text,
    carrier_name            text,
    carrier_permit_no       text,
    vehicle_plate           text,
    receiver_name           text,
    receiver_uscc           text,
    receiver_licence_no     text,
    receiver_province       text,
    receiver_county         text,
    receiver_county_code    text,
    disposal_method         text,
    shipped_at              timestamp not null,
    received_at             timestamp,
    received_t              numeric,
    manifest_status         text not null,
    content_hash            text not null,
    source_record           jsonb not null,
    primary key (file_sha256, source_row)
);
comment on table raw.hw_manifests is '危险废物转移联单（省固体废物监管信息系统导出，每张联单一行），已按《国家危险废物名录（2021年版）》校验；同一联单编号重复出现时全部保留，仅追加';
comment on column raw.hw_manifests.batch_id is '入库批次号（ops.batches）';
comment on column raw.hw_manifests.file_sha256 is '来源文件 sha256（ops.files）';
comment on column raw.hw_manifests.source_row is '在来源文件（工作表）中的行号';
comment on column raw.hw_manifests.manifest_no is '联单编号（可能重复：重复或冲突由模型标记，不在入库时剔除）';
comment on column raw.hw_manifests.transfer_type is '转移类型：省内转移 / 跨省转移';
comment on column raw.hw_manifests.generator_name is '产生单位名称';
comment on column raw.hw_manifests.generator_uscc is '产生单位统一社会信用代码（已规范化，通过 GB 32100 校验）';
comment on column raw.hw_manifests.generator_county_code is '产生单位所在县（市、区）代码（ref_counties）';
comment on column raw.hw_manifests.generator_address is '产生单位地址';
comment on column raw.hw_manifests.waste_code is '废物代码 XXX-YYY-ZZ（已规范化；名录表内代码或经鉴别的 900-000-XX）';
comment on column raw.hw_manifests.hw_category is '危险废物类别 HWxx（与代码末两位一致）';
comment on column raw.hw_manifests.waste_name is '废物名称（按原样，与代码类别是否相符由模型检查）';
comment on column raw.hw_manifests.waste_form is '废物形态：固态 / 半固态 / 液态 / 气态（按原样）';
comment on column raw.hw_manifests.hazard_characteristics is '危险特性（按原样）';
comment on column raw.hw_manifests.shipped_t is '转移数量（吨）';
comment on column raw.hw_manifests.packaging is '包装方式';
comment on column raw.hw_manifests.carrier_name is '运输单位名称';
comment on column raw.hw_manifests.carrier_permit_no is '道路运输经营许可证号';
comment on column raw.hw_manifests.vehicle_plate is '运输车牌号';
comment on column raw.hw_manifests.receiver_name is '接受单位名称';
comment on column raw.hw_manifests.receiver_uscc is '接受单位统一社会信用代码（已规范化，未校验：是否持证由模型对照 ref_hw_receivers 检查）';
comment on column raw.hw_manifests.receiver_licence_no is '危险废物经营许可证编号';
comment on column raw.hw_manifests.receiver_province is '接受单位所在省份';
comment on column raw.hw_manifests.receiver_county is '接受单位所在区县（按原样）';
comment on column raw.hw_manifests.receiver_county_code is '接受单位所在县（市、区）代码（衢州市内可识别时，否则为空）';
comment on column raw.hw_manifests.disposal_method is '利用处置方式';
comment on column raw.hw_manifests.shipped_at is '转移时间（北京时间）';
comment on column raw.hw_manifests.received_at is '接收时间（北京时间；在途、退回、作废时可为空）';
comment on column raw.hw_manifests.received_t is '接收数量（吨；在途、退回、作废时可为空）';
comment on column raw.hw_manifests.manifest_status is '联单状态：在途 / 已接收 / 已退回 / 作废';
comment on column raw.hw_manifests.content_hash is '业务字段规范化后的 sha256（不含行号与文件）：同一联单编号内容相同为重复，内容不同为冲突';
comment on column raw.hw_manifests.source_record is '原始行（表头 → 单元格原文）';

create table if not exists raw.hw_declarations (
    batch_id                bigint not null,
    file_sha256             text not null,
    source_row              integer not null,
    declaration_type        text not null,
    report_year             integer not null,
    report_month            integer,
    generator_name          text,
    generator_uscc          text,
    county_code             text not null,
    waste_code              text not null,
    hw_category             text not null,
    waste_name              text,
    planned_t               numeric,
    generated_t             numeric,
    self_disposed_t         numeric,
    entrusted_t             numeric,
    storage_end_t           numeric,
    content_hash            text not null,
    source_record           jsonb not null,
    primary key (file_sha256, source_row)
);
comment on table raw.hw_declarations is '危险废物产生单位申报（管理计划：每年每个废物代码一行；月度申报：每月每个废物代码一行），已按《国家危险废物名录（2021年版）》校验，仅追加';
comment on column raw.hw_declarations.batch_id is '入库批次号（ops.batches）';
comment on column raw.hw_declarations.file_sha256 is '来源文件 sha256（ops.files）';
comment on column raw.hw_declarations.source_row is '在来源文件（工作表）中的行号';
comment on column raw.hw_declarations.declaration_type is '申报类型：管理计划（年度）/ 月度申报';
comment on column raw.hw_declarations.report_year is '年份';
comment on column raw.hw_declarations.report_month is '月份 1–12（管理计划为空）';
comment on column raw.hw_declarations.generator_name is '产生单位名称';
comment on column raw.hw_declarations.generator_uscc is '产生单位统一社会信用代码（已规范化，通过 GB 32100 校验；未填时为空）';
comment on column raw.hw_declarations.county_code is '所在县（市、区）代码（ref_counties）';
comment on column raw.hw_declarations.waste_code is '废物代码 XXX-YYY-ZZ（已规范化；名录表内代码或经鉴别的 900-000-XX）';
comment on column raw.hw_declarations.hw_category is '危险废物类别 HWxx（与代码末两位一致）';
comment on column raw.hw_declarations.waste_name is '废物名称（按原样）';
comment on column raw.hw_declarations.planned_t is '计划产生量（吨；管理计划必填）';
comment on column raw.hw_declarations.generated_t is '实际产生量（吨；月度申报必填）';
comment on column raw.hw_declarations.self_disposed_t is '自行利用处置量（吨）';
comment on column raw.hw_declarations.entrusted_t is '委托利用处置量（吨）';
comment on column raw.hw_declarations.storage_end_t is '期末贮存量（吨）';
comment on column raw.hw_declarations.content_hash is '业务字段规范化后的 sha256（不含行号与文件），用于识别重复申报';
comment on column raw.hw_declarations.source_record is '原始行（表头 → 单元格原文）';

-- Surface-water automatic stations from the national platform's export (stations sending HJ 212 ST=21 packets land in
-- raw.hj212_values). Idempotent.
create table if not exists raw.water_auto_platform (
    batch_id        bigint not null,
    file_sha256     text not null,
    source_row      integer not null,
    station_code    text not null,
    section_name    text,
    observed_at     timestamp not null,
    reported_class  text,
    site_status     text,
    -- item code (seeds/std_water_auto_items.csv) → value in the platform's unit
    measurements    jsonb not null,
    source_record   jsonb not null
) partition by range (observed_at);
comment on table raw.water_auto_platform is '地表水水质自动站数据（国家地表水水质自动监测实时数据发布系统导出文件，每站每次监测一行；监测时间为北京时间），按月分区，仅追加';

-- Warehouse schemas owned by the project (dbt owns ref / staging / intermediate / marts_audit / marts).
-- Idempotent: every statement can run again on an existing database.
create schema if not exists raw;
comment on schema raw is '原始层：按接收原样保存的数据，仅追加，每行带批次号与来源文件 sha256';
create schema if not exists quarantine;
comment on schema quarantine is '隔离层：被拒收的数据行及原因（中文）';
create schema if not exists ops;
comment on schema ops is '运行层：已接收文件、批次、质量检查结果、发布记录、告警';

create table if not exists ops.files (
    file_sha256      text primary key,
    original_name    text not null,
    file_kind        text,
    size_bytes       bigint not null,
    archive_path     text not null,
    status           text not null check (status in ('loaded', 'rejected')),
    reject_reason    text,
    rows_received    integer not null default 0,
    rows_loaded      integer not null default 0,
    rows_quarantined integer not null default 0,
    batch_id         bigint,
    received_at      timestamptz not null default now(),
    -- file-level reconciliation is a database rule, not only a check
    constraint files_rows_reconcile check (rows_received = rows_loaded + rows_quarantined)
);
comment on table ops.files is '已接收文件登记（按内容 sha256 去重；同一文件重复投递不会重复入库）';

create table if not exists ops.batches (
    batch_id      bigint generated always as identity primary key,
    source        text not null,
    file_sha256   text not null references ops.files (file_sha256),
    started_at    timestamptz not null default now(),
    finished_at   timestamptz
);
comment on table ops.batches is '入库批次：每个被接受的文件一个批次';

create table if not exists ops.runs (
    run_id        text primary key,
    dag_id        text not null,
    period        text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    triggered_by  text,
    started_at    timestamptz not null default now(),
    finished_at   timestamptz,
    status        text not null default 'running'
);
comment on table ops.runs is '月度评估运行记录';

create table if not exists ops.check_results (
    check_result_id bigint generated always as identity primary key,
    run_id        text not null,
    period        text not null,
    suite_name    text not null,
    check_name    text not null,
    severity      text not null check (severity in ('blocking', 'warning')),
    success       boolean not null,
    target        text,
    observed      jsonb,
    checked_at    timestamptz not null default now()
);
create index if not exists check_results_run_idx on ops.check_results (run_id);
comment on table ops.check_results is '数据质量检查结果（GX 期望套件），blocking 失败则不发布';

create table if not exists ops.publications (
    publication_id bigint generated always as identity primary key,
    run_id         text not null,
    period         text not null,
    published_at   timestamptz not null default now(),
    triggered_by   text,
    checks_passed  integer not null,
    checks_failed_warning integer not null,
    row_counts     jsonb not null
);
comment on table ops.publications is '发布记录：每次成功发布 marts 一行';

create table if not exists quarantine.rows (
    quarantine_id bigint generated always as identity primary key,
    file_sha256   text not null references ops.files (file_sha256),
    batch_id      bigint,
    source        text not null,
    source_row    integer,
    reason_code   text not null,
    reason_zh     text not null,
    county_code   text,
    record        jsonb not null,
    quarantined_at timestamptz not null default now()
);
create index if not exists quarantine_rows_file_idx on quarantine.rows (file_sha256);
comment on table quarantine.rows is '被隔离的数据行：原始内容与中文原因，绝不静默删除';

-- Hourly station data, as the national network exports it; partitioned by month of the time point.
create table if not exists raw.air_station_hourly (
    batch_id          bigint not null,
    file_sha256       text not null,
    source_row        integer not null,
    timepoint         timestamp not null,
    stationcode       text not null,
    longitude         double precision,
    latitude          double precision,
    area              text,
    positionname      text,
    primarypollutant  text,
    aqi               double precision,
    pm10              double precision,
    pm10_24h          double precision,
    pm2_5             double precision,
    pm2_5_24h         double precision,
    o3                double precision,
    o3_24h            double precision,
    o3_8h             double precision,
    o3_8h_24h         double precision,
    no2               double precision,
    no2_24h           double precision,
    so2               double precision,
    so2_24h           double precision,
    co                double precision,
    co_24h            double precision
) partition by range (timepoint);
comment on table raw.air_station_hourly is '空气自动站小时数据（全国城市空气质量实时发布格式），按月分区，仅追加';

-- Read-only role for analysts and BI tools: marts only (granted at each publication).
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'ecowarehouse_bi_reader') then
        create role ecowarehouse_bi_reader nologin;
    end if;
end
$$;

-- Monthly manual surface-water results (the 地表水断面手工监测月报 form). Idempotent.
create table if not exists raw.water_section_samples (
    submission_id        bigint not null references raw.county_submissions (submission_id),
    source_row           integer not null,
    reporting_unit_code  text not null,
    section_code         text not null,
    section_name         text,
    sampled_on           date not null,
    -- item code (GB 3838 Table 1, as in seeds/std_water_limits.csv) → {"value": mg/L} or {"nd": true, "dl": mg/L}
    measurements         jsonb not null,
    warnings             jsonb not null default '[]',
    source_record        jsonb not null,
    primary key (submission_id, source_row)
);
comment on table raw.water_section_samples is '地表水断面手工监测结果（每次采样一行；各项目值已换算为 GB 3838 表1 单位，低于检出限记为 nd 与检出限），仅追加';

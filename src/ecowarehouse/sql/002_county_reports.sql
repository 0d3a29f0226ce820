-- County submissions (Excel / CSV forms). Idempotent.
alter table ops.files add column if not exists delivered_at timestamptz;
alter table ops.files add column if not exists submitter_code text;
comment on column ops.files.delivered_at is '文件送达时间（落地目录中文件的修改时间，不晚于接收时间），用于判断是否按时报送';
comment on column ops.files.submitter_code is '报送单位代码（文件中能识别时）';

-- One row per recognised sheet: a county's form for a period. A resubmission is a new row; every version is kept.
create table if not exists raw.county_submissions (
    submission_id      bigint generated always as identity primary key,
    file_sha256        text not null references ops.files (file_sha256),
    batch_id           bigint not null,
    sheet_name         text not null,
    template_code      text not null,
    programme_code     text not null,
    county_code        text not null,
    period_code        text not null check (period_code ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'),
    period_start       date not null,
    period_end         date not null,
    filled_on          date,
    delivered_at       timestamptz not null,
    received_at        timestamptz not null default now(),
    rows_received      integer not null,
    rows_loaded        integer not null,
    rows_quarantined   integer not null,
    rows_with_warnings integer not null,
    unique (file_sha256, sheet_name),
    constraint county_submissions_rows_reconcile check (rows_received = rows_loaded + rows_quarantined)
);
create index if not exists county_submissions_key_idx
    on raw.county_submissions (template_code, programme_code, county_code, period_code);
comment on table raw.county_submissions is '县区报送记录：每个被识别的工作表一行（模板、方案、报送单位、报告期）；重报为新行，历次版本全部保留';

create table if not exists raw.enterprise_ledger (
    submission_id           bigint not null references raw.county_submissions (submission_id),
    source_row              integer not null,
    county_code             text not null,
    township_name           text,
    township_code           text,
    enterprise_name         text not null,
    address                 text,
    uscc                    text,
    org_code                text,
    business_reg_no         text,
    uscc_check_ok           boolean,
    industry_category       text,
    industry_text           text,
    industry_code           text not null,
    employees               integer,
    land_tenure             text,
    has_safety_assessment   boolean,
    has_energy_review       boolean,
    eia_approval_no         text,
    discharge_permit_no     text,
    has_online_monitoring   boolean,
    main_problems           text,
    problem_categories      text[],
    measures                text,
    remediation_class       text not null,
    completion_deadline     date,
    progress_text           text,
    progress_status         text,
    county_accepted_on      date,
    city_accepted_on        date,
    is_leader_candidate     boolean,
    remarks                 text,
    relocation_site_area_mu numeric,
    warnings                jsonb not null default '[]',
    source_record           jsonb not null,
    primary key (submission_id, source_row)
);
comment on table raw.enterprise_ledger is '重点行业整治企业台账（县区报送原样行，已校验并规范化），仅追加';

create table if not exists raw.task_progress (
    submission_id    bigint not null references raw.county_submissions (submission_id),
    source_row       integer not null,
    county_code      text not null,
    item_kind        text not null check (item_kind in ('task', 'project')),
    item_no          integer not null,
    item_name        text,
    reporting_unit   text not null,
    status           text not null,
    percent_complete numeric,
    narrative        text,
    evidence_ref     text,
    warnings         jsonb not null default '[]',
    source_record    jsonb not null,
    primary key (submission_id, source_row)
);
comment on table raw.task_progress is '117项任务与28项重点工程进展（县区报送原样行，已校验并规范化），仅追加';

create table if not exists raw.county_indicator_values (
    submission_id    bigint not null references raw.county_submissions (submission_id),
    source_row       integer not null,
    county_code      text not null,
    indicator_code   text not null,
    indicator_label  text,
    value            numeric not null,
    unit             text,
    data_source      text,
    remarks          text,
    warnings         jsonb not null default '[]',
    source_record    jsonb not null,
    primary key (submission_id, source_row)
);
comment on table raw.county_indicator_values is '县区指标填报值（县区报送原样行，已校验并规范化），仅追加';

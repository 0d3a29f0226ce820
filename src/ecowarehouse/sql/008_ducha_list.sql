-- 督察问题整改清单 (市级重大生态环保督察清单 of 000/001 三（三）3: 问题交办、调度进展、整改销号). One row per problem of a
-- unit's monthly list, as validated by ingest/county_reports.py; rows failing validation are in quarantine.rows. Idempotent.
create table if not exists raw.ducha_list (
    submission_id      bigint not null references raw.county_submissions (submission_id),
    source_row         integer not null,
    county_code        text not null,
    problem_no         text not null,
    problem_source     text not null,
    assigned_on        date not null,
    description        text not null,
    industry_text      text,
    industry_code      text,
    responsible_unit   text not null,
    rectify_deadline   date not null,
    rectify_status     text not null check (rectify_status in ('整改中', '已整改待销号', '已销号')),
    closed_on          date,
    supervision_level  text not null check (supervision_level in ('无', '通报预警', '挂牌督办')),
    remarks            text,
    warnings           jsonb not null default '[]',
    source_record      jsonb not null,
    primary key (submission_id, source_row),
    unique (submission_id, problem_no),
    constraint ducha_list_closed_has_date check (rectify_status <> '已销号' or closed_on is not null),
    constraint ducha_list_deadline_after_assignment check (rectify_deadline >= assigned_on)
);
comment on table raw.ducha_list is '督察问题整改清单（县区、区块按月报送原样行，已校验并规范化），仅追加';
comment on column raw.ducha_list.submission_id is '报送记录（raw.county_submissions）';
comment on column raw.ducha_list.source_row is '在来源工作表中的行号';
comment on column raw.ducha_list.county_code is '报送单位（县、市、区或区块）代码';
comment on column raw.ducha_list.problem_no is '问题编号（本单位内唯一，各期沿用）';
comment on column raw.ducha_list.problem_source is '问题来源（规范值，见 ref_enum_values 的 ducha_source）';
comment on column raw.ducha_list.assigned_on is '交办日期';
comment on column raw.ducha_list.description is '问题描述';
comment on column raw.ducha_list.industry_text is '涉及行业（原文）';
comment on column raw.ducha_list.industry_code is '涉及重点行业代码（ref_key_industries；无法识别时为空并记告警）';
comment on column raw.ducha_list.responsible_unit is '整改责任单位';
comment on column raw.ducha_list.rectify_deadline is '整改时限';
comment on column raw.ducha_list.rectify_status is '整改状态：整改中 / 已整改待销号 / 已销号';
comment on column raw.ducha_list.closed_on is '销号日期';
comment on column raw.ducha_list.supervision_level is '督办等级：无 / 通报预警 / 挂牌督办（表中为空时为“无”）';
comment on column raw.ducha_list.remarks is '备注';
comment on column raw.ducha_list.warnings is '入库告警（不影响入库的疑点）';
comment on column raw.ducha_list.source_record is '原始行（列名 → 表中写法）';

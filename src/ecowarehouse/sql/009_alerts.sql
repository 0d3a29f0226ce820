-- Data-quality alerts to counties (issue 7) and the outbox queue of their e-mails. Idempotent.
-- No SMTP settings or passwords are stored here: they are read from the Airflow connection or the environment at
-- send time.
create table if not exists ops.alerts (
    alert_id        bigint generated always as identity primary key,
    fingerprint     text not null unique,
    subject_key     text not null,
    county_code     text not null,
    source          text not null,
    check_code      text not null,
    severity        text not null check (severity in ('error', 'warning')),
    title_zh        text not null,
    detail          jsonb not null default '{}'::jsonb,
    offending_rows  jsonb not null default '[]'::jsonb,
    rows_link       text,
    first_seen_run  text not null,
    first_seen_at   timestamptz not null,
    last_seen_run   text not null,
    last_seen_at    timestamptz not null,
    times_seen      integer not null default 1,
    last_notified_at timestamptz,
    last_sent_at    timestamptz,
    notifications   integer not null default 0,
    status          text not null default 'open' check (status in ('open', 'acknowledged', 'resolved')),
    acknowledged_at timestamptz,
    acknowledged_by text,
    resolved_at     timestamptz,
    resolved_run    text,
    constraint alerts_resolved_has_time check ((status = 'resolved') = (resolved_at is not null))
);
create index if not exists alerts_county_status_idx on ops.alerts (county_code, status);
comment on table ops.alerts is '数据质量告警：可归属到县区的每个问题一行（按指纹去重；问题消失后自动关闭，再次出现时重新打开）';
comment on column ops.alerts.fingerprint is '问题指纹：告警类型与问题对象（县区、文件、报表期、排口等）的 sha256，同一问题各次运行相同';
comment on column ops.alerts.subject_key is '问题对象的可读键（指纹的原文）';
comment on column ops.alerts.county_code is '责任县（市、区）/区块代码';
comment on column ops.alerts.source is '数据来源（隔离行来源、报表模板、hj212、空气自动站、危险废物等）';
comment on column ops.alerts.check_code is '告警类型（seeds/ref_alert_kinds.csv 的 alert_kind）';
comment on column ops.alerts.severity is '严重程度：error 须整改 / warning 提示核实';
comment on column ops.alerts.title_zh is '问题标题（中文）';
comment on column ops.alerts.detail is '问题说明的结构化内容（文件名、报告期、到期日、比率等）';
comment on column ops.alerts.offending_rows is '问题数据行（隔离行原文与原因、异常联单等，邮件附件即由此生成）';
comment on column ops.alerts.rows_link is '问题数据所在位置（查询语句），行数过多未全部收录时据此查看';
comment on column ops.alerts.first_seen_run is '首次发现的运行号';
comment on column ops.alerts.first_seen_at is '首次发现时间（运行时间）';
comment on column ops.alerts.last_seen_run is '最近一次发现的运行号';
comment on column ops.alerts.last_seen_at is '最近一次发现时间（运行时间）';
comment on column ops.alerts.times_seen is '被发现的运行次数';
comment on column ops.alerts.last_notified_at is '最近一次列入通知邮件（入队）的运行时间；提醒间隔由此起算';
comment on column ops.alerts.last_sent_at is '最近一次含本告警的邮件被 SMTP 服务器接受（或写入 outbox）的时间';
comment on column ops.alerts.notifications is '列入通知邮件的次数（首次通知与提醒）';
comment on column ops.alerts.status is '状态：open 未处理 / acknowledged 已确认（不再提醒）/ resolved 已解决（后续运行未再发现）';
comment on column ops.alerts.acknowledged_at is '确认时间';
comment on column ops.alerts.acknowledged_by is '确认人';
comment on column ops.alerts.resolved_at is '自动关闭时间（首次未再发现该问题的运行时间）';
comment on column ops.alerts.resolved_run is '自动关闭的运行号';

-- The outbox: one message per county and run, queued before any delivery attempt and marked sent only after the SMTP
-- server accepted it, so an outage leaves it queued for the next run (none lost, none sent twice).
create table if not exists ops.alert_messages (
    message_id      bigint generated always as identity primary key,
    run_id          text not null,
    county_code     text not null,
    subject         text not null,
    recipients      text[] not null,
    alert_ids       bigint[] not null,
    eml             bytea not null,
    status          text not null default 'queued' check (status in ('queued', 'sent', 'written', 'no_recipient')),
    transport       text,
    outbox_path     text,
    attempts        integer not null default 0,
    last_error      text,
    queued_at       timestamptz not null,
    sent_at         timestamptz,
    unique (run_id, county_code)
);
create index if not exists alert_messages_queued_idx on ops.alert_messages (status) where status = 'queued';
comment on table ops.alert_messages is '告警邮件队列：每次运行每个县区一封；先入队，SMTP 接受后才标记为已发送，服务器故障时留待下次运行重发';
comment on column ops.alert_messages.run_id is '生成本邮件的运行号';
comment on column ops.alert_messages.county_code is '收件县区代码';
comment on column ops.alert_messages.subject is '邮件主题';
comment on column ops.alert_messages.recipients is '收件人地址（seeds/ref_alert_recipients.csv）';
comment on column ops.alert_messages.alert_ids is '邮件包含的告警编号（ops.alerts.alert_id）';
comment on column ops.alert_messages.eml is '完整邮件（RFC 5322，含 xlsx 附件）';
comment on column ops.alert_messages.status is '状态：queued 待发送 / sent 已被 SMTP 接受 / written 未配置 SMTP，已写入 outbox 文件 / no_recipient 无收件人';
comment on column ops.alert_messages.transport is '投递方式：smtp / outbox';
comment on column ops.alert_messages.outbox_path is '写入 outbox 的 .eml 文件路径';
comment on column ops.alert_messages.attempts is 'SMTP 投递尝试次数';
comment on column ops.alert_messages.last_error is '最近一次投递失败的原因';
comment on column ops.alert_messages.queued_at is '入队时间（运行时间）';
comment on column ops.alert_messages.sent_at is '被 SMTP 接受或写入 outbox 的时间';

-- What each run's notification step did, for the run summary.
create table if not exists ops.alert_runs (
    run_id          text primary key,
    period          text not null,
    as_of           timestamptz not null,
    opened          integer not null,
    reminded        integer not null,
    resolved        integer not null,
    open_total      integer not null,
    messages_queued integer not null,
    sent            integer not null,
    written         integer not null,
    failed          integer not null,
    still_queued    integer not null,
    transport       text not null,
    last_error      text
);
comment on table ops.alert_runs is '每次运行的县区告警统计：新增、提醒、自动关闭的告警数与邮件发送情况（运行摘要读取）';
comment on column ops.alert_runs.run_id is '运行号';
comment on column ops.alert_runs.period is '评估月份';
comment on column ops.alert_runs.as_of is '运行时间（告警判定所用时钟）';
comment on column ops.alert_runs.opened is '新增（含重新出现）的告警数';
comment on column ops.alert_runs.reminded is '到提醒间隔再次通知的告警数';
comment on column ops.alert_runs.resolved is '本次自动关闭的告警数';
comment on column ops.alert_runs.open_total is '运行后仍未解决（open 或 acknowledged）的告警数';
comment on column ops.alert_runs.messages_queued is '本次入队的邮件数（每县区至多一封）';
comment on column ops.alert_runs.sent is '本次经 SMTP 发送成功的邮件数（含以前运行积压的）';
comment on column ops.alert_runs.written is '本次写入 outbox 的 .eml 文件数';
comment on column ops.alert_runs.failed is '本次投递失败、留在队列中的邮件数';
comment on column ops.alert_runs.still_queued is '运行后队列中仍待发送的邮件数';
comment on column ops.alert_runs.transport is '投递方式：smtp / outbox';
comment on column ops.alert_runs.last_error is '最近一次投递错误';

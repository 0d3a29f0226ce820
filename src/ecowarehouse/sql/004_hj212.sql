-- HJ 212-2017 packets from pollution-source (and water-station) data loggers. Idempotent.
create table if not exists raw.hj212_packets (
    batch_id      bigint not null,
    file_sha256   text not null,
    source_row    integer not null,
    mn            text,
    st            text,
    cn            text,
    qn            text,
    flag          text,
    pnum          integer,
    pno           integer,
    data_time     timestamp,
    crc_variant   text not null,
    segment_len   integer not null,
    primary key (file_sha256, source_row)
);
comment on table raw.hj212_packets is 'HJ 212 数据包（通过包头、长度与 CRC 校验的每一包一行；crc_variant 记录匹配的校验方式），仅追加';

create table if not exists raw.hj212_values (
    batch_id      bigint not null,
    file_sha256   text not null,
    source_row    integer not null,
    mn            text,
    st            text,
    cn            text not null,
    data_time     timestamp not null,
    code          text not null,
    rtd           double precision,
    avg           double precision,
    min           double precision,
    max           double precision,
    cou           double precision,
    zs_rtd        double precision,
    zs_avg        double precision,
    zs_min        double precision,
    zs_max        double precision,
    data_flag     text
) partition by range (data_time);
comment on table raw.hj212_values is 'HJ 212 监测数据（实时2011、分钟2051、小时2061、日2031 数据包中每个污染物一行，编码按原样），按月分区，仅追加';

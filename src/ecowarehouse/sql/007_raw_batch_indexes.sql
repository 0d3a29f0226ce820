-- The incremental models read the monitoring tables by batch (batch_id > the last one a model has seen). Batch ids
-- grow with every delivered file, so each block of these append-only tables holds a narrow range of them: a BRIN index
-- finds a month's new batches without scanning five years of partitions, and costs a COPY almost nothing to keep up.
-- On the partitioned parents, so every monthly partition (also those created later) gets one. Idempotent.
create index if not exists air_station_hourly_batch_brin on raw.air_station_hourly using brin (batch_id);
create index if not exists hj212_values_batch_brin on raw.hj212_values using brin (batch_id);
create index if not exists water_auto_platform_batch_brin on raw.water_auto_platform using brin (batch_id);

{#- The incremental models' filter: rows of batches that arrived after the last run (batch ids only grow, ops.batches).
    `column` is the row's batch id, `watermark` the column of this model that holds the last batch it has seen.
    A full build reads everything. Each incremental model indexes its watermark column (so this max() is an index
    lookup) and its unique key (so deleting the rows a new batch replaces probes the index instead of scanning five
    years of history). -#}
{% macro new_batches(column='batch_id', watermark='batch_id') -%}
    {#- a table built before the model had its watermark column is read in full: the rows are replaced by key and
        on_schema_change adds the column, the same as a rebuild -#}
    {%- if is_incremental() and watermark in (adapter.get_columns_in_relation(this) | map(attribute='name') | list) -%}
        {{ column }} > (select coalesce(max({{ watermark }}), 0) from {{ this }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

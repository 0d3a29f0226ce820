{#- The anomaly kinds of fct_hw_anomalies, in the order of seeds/ref_hw_anomaly_kinds.csv: the county roll-up has a
    count column for each (severity and wording stay in the seed). -#}
{% macro hw_anomaly_kinds() -%}
    {{ return(['unreceived_7d', 'unreceived_30d', 'short_received', 'over_received', 'cross_province',
               'long_distance', 'receiver_unlicensed', 'name_mismatch', 'duplicate_manifest', 'conflicting_manifest',
               'off_platform_generator']) }}
{%- endmacro %}

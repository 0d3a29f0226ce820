{#- A standards row applies to a date when the date lies in its [effective_from, effective_to] range (open-ended when
    effective_to is null). Every versioned join of the project goes through this one rule. -#}
{% macro in_force(date_expr, relation) -%}
    ({{ date_expr }} >= {{ relation }}.effective_from
     and ({{ relation }}.effective_to is null or {{ date_expr }} <= {{ relation }}.effective_to))
{%- endmacro %}

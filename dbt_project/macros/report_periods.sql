{#- Reporting periods of county submissions: 'YYYY-MM' (month) or 'YYYY-Qn' (quarter). -#}
{% macro period_start(code) -%}
    case when {{ code }} like '%Q%'
         then make_date(substr({{ code }}, 1, 4)::integer, (right({{ code }}, 1)::integer - 1) * 3 + 1, 1)
         else ({{ code }} || '-01')::date end
{%- endmacro %}

{% macro period_end(code) -%}
    ((case when {{ code }} like '%Q%'
          then make_date(substr({{ code }}, 1, 4)::integer, right({{ code }}, 1)::integer * 3, 1)
          else ({{ code }} || '-01')::date end) + interval '1 month' - interval '1 day')::date
{%- endmacro %}

{#- The month the run assesses (var `period`, set by the monthly DAG); by default the month that has just closed. -#}
{% macro as_of_month() -%}
    {%- if var('period', none) -%} date '{{ var("period") }}-01'
    {%- else -%} (date_trunc('month', current_date) - interval '1 month')::date
    {%- endif -%}
{%- endmacro %}

{#- HJ 633-2012 §6.2 / formula (1): IAQI = (IAQI_hi − IAQI_lo)/(BP_hi − BP_lo)·(C − BP_lo) + IAQI_lo, every result
    rounded UP to an integer ("全部进位取整数"). round(…, 10) first so that float noise (100.0000000001) does not
    round up a value that is exactly on a breakpoint. -#}
{% macro iaqi_linear(conc, bp_lo, bp_hi, iaqi_lo, iaqi_hi) -%}
    ceil(round((({{ iaqi_hi }} - {{ iaqi_lo }})::numeric / ({{ bp_hi }} - {{ bp_lo }})
                * ({{ conc }} - {{ bp_lo }}) + {{ iaqi_lo }})::numeric, 10))::integer
{%- endmacro %}

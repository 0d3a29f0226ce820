-- HJ 633 Table 1 as line segments: each pair of consecutive breakpoints of one item in one standard version.
with

breakpoints as (

    select * from {{ ref('std_aqi_breakpoints') }}

),

segments as (

    select
        standard_code,
        effective_from,
        effective_to,
        item,
        iaqi                                                                   as iaqi_lo,
        bp_conc                                                                as bp_lo,
        lead(iaqi) over (partition by standard_code, item order by iaqi)       as iaqi_hi,
        lead(bp_conc) over (partition by standard_code, item order by iaqi)    as bp_hi,
        max(bp_conc) over (partition by standard_code, item)                   as bp_top
    from breakpoints

),

final as (

    select * from segments where bp_hi is not null

)

select * from final

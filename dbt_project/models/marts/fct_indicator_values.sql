-- Every 十三五 indicator of 003 表2-1 (its named rows, the empty parent row of 序号10 excluded) and every numeric
-- target stated in the text of 003 and 002 (ref_indicator_targets_extra), plus this project's hazardous-waste rates and
-- the four total-control pollutants under 表2-1 序号7, for the city and — where ref_indicator_catalog.area_scope says
-- so — each county, per month, year-to-date and year (ref_indicator_catalog.time_scopes).
-- How each value is obtained is data (ref_indicator_catalog.method_code):
--   air_pm25 / air_good — fct_air_quality_daily under the version of ref_indicator_metrics (HJ 633-2012 for 十三五):
--       PM2.5 = arithmetic mean of the valid daily means (HJ 663-2013); good-day share = days with AQI ≤ 100 ÷ days
--       with an AQI × 100;
--   water_share — fct_water_section_quality, manual monthly results (the assessment basis), month and year classes
--       (GB 3838-2002; the annual class from annual means): sections meeting the condition ÷ sections evaluated × 100;
--   county_form — the county indicator form's value (fct_county_indicator_reported); a year = the latest value the
--       county reported in that year; the city is not aggregated (the forms carry no numerators/denominators);
--   county_share — city only: counties reporting 1 (已建成) ÷ the 6 counties × 100, only when all 6 reported;
--   hazwaste — fct_hw_indicator_annual; emission — (base − monitored load) ÷ base × 100 (fct_source_emission_annual);
--   none — no source in the warehouse: value null, value_status 'no_method'.
-- A value with no data is null with value_status 'no_data' (never 0).
-- Target choice (003/002 give targets for 2020 and 2022; the warehouse runs to 2026): an area-specific target before a
-- city-wide one, then the latest target whose target_year ≤ the row's year, else the nearest future one; target_year
-- is carried so that a reader sees which target was applied.
-- Attainment: judged only for the scopes in ref_indicator_catalog.judged_scopes (annual means and shares are judged on
-- the year and, indicatively, year-to-date; a monthly air mean is never judged against an annual target; annual
-- totals and rates only on the year) and, for a year, only when the year is closed (its December is in the
-- warehouse). lower_better: met when value ≤ target; higher_better: met when value ≥ target (exactly at target = met).
-- gap_to_target = shortfall in the indicator's unit (lower_better: value − target; higher_better: target − value);
-- ≤ 0 means met; null when not evaluable.
with

catalog as (

    select * from {{ ref('ref_indicator_catalog') }}

),

plan_table as (

    select * from {{ ref('ref_indicators_13th') }}

),

extra as (

    select * from {{ ref('ref_indicator_targets_extra') }}

),

metrics as (

    select * from {{ ref('ref_indicator_metrics') }}

),

areas as (

    select * from {{ ref('dim_area') }}

),

periods as (

    select * from {{ ref('int_indicator__periods') }}

),

targets as (

    select * from {{ ref('int_indicator__targets') }}

),

batches as (

    select * from {{ ref('int_indicator__source_batches') }}

),

ops_batches as (

    select * from {{ source('ops', 'batches') }}

),

air_daily as (

    select * from {{ ref('fct_air_quality_daily') }}

),

water as (

    select * from {{ ref('fct_water_section_quality') }}
    where data_source = 'manual' and period_kind in ('month', 'year')

),

sections as (

    select * from {{ ref('ref_water_sections') }}

),

forms as (

    select * from {{ ref('fct_county_indicator_reported') }}
    where period_code ~ '^[0-9]{4}-[0-9]{2}$'

),

hazwaste as (

    select * from {{ ref('fct_hw_indicator_annual') }}

),

emissions as (

    select * from {{ ref('fct_source_emission_annual') }}

),

city as (

    select area_code from areas where area_level = 'city'

),

counties as (

    select area_code from areas where area_level = 'county'

),

indicators as (

    select
        catalog.indicator_code,
        coalesce(catalog.indicator_name, plan_table.indicator_name, first_target.indicator_name) as indicator_name,
        coalesce(catalog.category, plan_table.category,
                 case first_target.source_doc when '003' then '规划正文目标（003）'
                                              when '002' then '创建行动方案目标（002）' end) as category,
        coalesce(catalog.parent_code, plan_table.parent_code)                   as parent_code,
        plan_table.nature,
        coalesce(catalog.unit, plan_table.unit, first_target.unit)              as unit,
        coalesce(catalog.direction, plan_table.direction, first_target.direction) as direction,
        plan_table.baseline_2015_value,
        catalog.method_code,
        catalog.input_code,
        catalog.source_family,
        catalog.area_scope,
        catalog.time_scopes,
        catalog.judged_scopes,
        catalog.standard_version,
        catalog.source_models,
        catalog.note                                                             as method_note
    from catalog
    left join plan_table on plan_table.indicator_code = catalog.indicator_code
    left join extra as first_target on first_target.target_code = split_part(catalog.target_codes, '|', 1)

),

skeleton as (

    select
        indicators.*,
        areas.area_code,
        areas.area_name,
        areas.area_level,
        areas.sort_order                                                         as area_sort_order,
        periods.time_scope,
        periods.period_code,
        periods.year,
        periods.period_start,
        periods.period_end,
        periods.data_through,
        periods.is_closed
    from indicators
    cross join periods
    inner join areas
        on areas.area_level = 'city'
        or (indicators.area_scope = 'city_counties' and areas.area_level = 'county')
    where periods.time_scope = any(string_to_array(indicators.time_scopes, '|'))

),

-- air ---------------------------------------------------------------------------------------------------------------
air_values as (

    select
        metrics.indicator_code,
        air_daily.area_code,
        periods.time_scope,
        periods.period_code,
        case metrics.metric_code
            when 'pm2_5_mean' then avg(air_daily.pm2_5_24h)
            when 'good_days_share_pct'
                then 100.0 * count(*) filter (where air_daily.is_good_day) / nullif(count(air_daily.aqi), 0)
        end                                                                      as value,
        null::text                                                               as status_hint,
        100.0 * case metrics.metric_code
                    when 'pm2_5_mean' then count(air_daily.pm2_5_24h)
                    else count(air_daily.aqi) end
              / (max(periods.data_through) - min(periods.period_start) + 1)      as data_completeness_pct,
        max(metrics.aqi_standard) || '/' || coalesce(max(air_daily.validity_standard), 'HJ 663-2013')
                                                                                 as standard_version
    from air_daily
    inner join metrics on metrics.aqi_standard = air_daily.aqi_standard
    inner join periods on air_daily.obs_date between periods.period_start and periods.data_through
    group by metrics.indicator_code, metrics.metric_code, air_daily.area_code, periods.time_scope, periods.period_code

),

-- water -------------------------------------------------------------------------------------------------------------
water_members as (

    -- which registered sections each water indicator counts (003 表2-1 wording: 国家“水十条”考核断面 = 国控,
    -- 省控断面, 交接断面, 县以上集中式饮用水水源地; 劣Ⅴ类 over all registered sections)
    select
        indicators.indicator_code,
        indicators.input_code,
        sections.section_code,
        sections.county_code
    from indicators
    inner join sections
        on case split_part(indicators.input_code, '_', 1)
               when 'natl' then sections.control_level = '国控'
               when 'prov' then sections.control_level = '省控'
               when 'boundary' then sections.control_level = '交接'
               when 'drinking' then sections.is_drinking_source
               when 'all' then true
           end
    where indicators.method_code = 'water_share'

),

water_members_by_area as (

    select water_members.*, city.area_code from water_members cross join city
    union all
    select water_members.*, water_members.county_code from water_members where water_members.county_code is not null

),

water_registered as (

    select indicator_code, area_code, count(*) as sections_registered
    from water_members_by_area
    group by indicator_code, area_code

),

water_values as (

    select
        members.indicator_code,
        members.area_code,
        case water.period_kind when 'month' then 'month' else 'year' end         as time_scope,
        water.period_code,
        100.0 * count(*) filter (where case members.input_code
            when 'natl_i_iii' then water.water_class <= 3
            when 'prov_i_iii' then water.water_class <= 3
            when 'natl_i' then water.water_class = 1
            when 'prov_i' then water.water_class = 1
            when 'natl_ii' then water.water_class = 2
            when 'prov_ii' then water.water_class = 2
            when 'all_worse_v' then water.water_class = 6
            when 'boundary_met' then water.meets_target
            when 'drinking_met' then water.meets_target
        end) / count(*)                                                          as value,
        null::text                                                               as status_hint,
        100.0 * count(*) / max(water_registered.sections_registered)             as data_completeness_pct,
        max(water.standard_code)                                                 as standard_version
    from water
    inner join water_members_by_area as members on members.section_code = water.section_code
    inner join water_registered
        on water_registered.indicator_code = members.indicator_code
       and water_registered.area_code = members.area_code
    group by members.indicator_code, members.area_code, water.period_kind, water.period_code

),

-- county forms ------------------------------------------------------------------------------------------------------
form_long as (

    select
        indicators.indicator_code,
        indicators.method_code,
        forms.county_code                                                        as area_code,
        forms.period_code,
        forms.period_end,
        forms.value
    from forms
    inner join indicators
        on indicators.method_code in ('county_form', 'county_share')
       and indicators.input_code = forms.indicator_code
    inner join counties on counties.area_code = forms.county_code

),

form_by_period as (

    -- month: that month's form; year: the latest value the county reported in the year up to the assessed month
    select
        form_long.indicator_code,
        form_long.method_code,
        form_long.area_code,
        'month'                                                                  as time_scope,
        form_long.period_code,
        form_long.value,
        100.0                                                                    as data_completeness_pct
    from form_long
    union all
    select
        form_long.indicator_code,
        form_long.method_code,
        form_long.area_code,
        'year',
        periods.period_code,
        (array_agg(form_long.value order by form_long.period_code desc))[1],
        100.0 * count(distinct form_long.period_code) / extract(month from max(periods.data_through))
    from form_long
    inner join periods
        on periods.time_scope = 'year'
       and form_long.period_end between periods.period_start and periods.data_through
    group by form_long.indicator_code, form_long.method_code, form_long.area_code, periods.period_code

),

form_values as (

    select
        indicator_code,
        area_code,
        time_scope,
        period_code,
        value,
        null::text                                                               as status_hint,
        data_completeness_pct,
        null::text                                                               as standard_version
    from form_by_period
    where method_code = 'county_form'

),

share_values as (

    select
        form_by_period.indicator_code,
        city.area_code,
        form_by_period.time_scope,
        form_by_period.period_code,
        case when count(*) = (select count(*) from counties)
             then 100.0 * count(*) filter (where form_by_period.value = 1) / count(*) end as value,
        case when count(*) < (select count(*) from counties) then 'incomplete' end as status_hint,
        100.0 * count(*) / (select count(*) from counties)                       as data_completeness_pct,
        null::text                                                               as standard_version
    from form_by_period
    cross join city
    where form_by_period.method_code = 'county_share'
    group by form_by_period.indicator_code, city.area_code, form_by_period.time_scope, form_by_period.period_code

),

-- hazardous waste and emissions (annual) ----------------------------------------------------------------------------
hazwaste_values as (

    select
        hazwaste.indicator_code,
        hazwaste.area_code,
        'year'                                                                   as time_scope,
        hazwaste.year::text                                                      as period_code,
        hazwaste.rate_pct                                                        as value,
        null::text                                                               as status_hint,
        hazwaste.data_completeness_pct,
        null::text                                                               as standard_version
    from hazwaste

),

emission_values as (

    select
        indicators.indicator_code,
        emissions.area_code,
        'year'                                                                   as time_scope,
        emissions.year::text                                                     as period_code,
        (emissions.base_emission_t - emissions.monitored_load_t) / nullif(emissions.base_emission_t, 0) * 100
                                                                                 as value,
        case when emissions.base_emission_t is null then 'no_baseline' end      as status_hint,
        100.0 * (emissions.last_day - emissions.first_day + 1)
              / (make_date(emissions.year, 12, 31) - make_date(emissions.year, 1, 1) + 1) as data_completeness_pct,
        null::text                                                               as standard_version
    from emissions
    inner join indicators
        on indicators.method_code = 'emission' and indicators.input_code = emissions.pollutant_code

),

computed as (

    select * from air_values
    union all select * from water_values
    union all select * from form_values
    union all select * from share_values
    union all select * from hazwaste_values
    union all select * from emission_values

),

target_choice as (

    select
        keys.indicator_code,
        keys.area_code,
        keys.year,
        targets.target_value,
        targets.target_text,
        targets.target_year,
        targets.target_source,
        row_number() over (
            partition by keys.indicator_code, keys.area_code, keys.year
            order by targets.area_code is not null desc,
                     targets.target_year <= keys.year desc,
                     case when targets.target_year <= keys.year then -targets.target_year
                          else targets.target_year end
        )                                                                        as preference
    from (select distinct indicator_code, area_code, year from skeleton) as keys
    inner join targets
        on targets.indicator_code = keys.indicator_code
       and (targets.area_code is null or targets.area_code = keys.area_code)

),

batch_counts as (

    select
        skeleton.indicator_code,
        skeleton.area_code,
        skeleton.time_scope,
        skeleton.period_code,
        count(distinct batches.batch_id)                                         as batch_count,
        count(distinct ops_batches.file_sha256)                                  as file_count
    from skeleton
    inner join batches
        on batches.source_family = skeleton.source_family
       and batches.area_code = skeleton.area_code
       and batches.month_start between skeleton.period_start and skeleton.data_through
    left join ops_batches on ops_batches.batch_id = batches.batch_id
    group by skeleton.indicator_code, skeleton.area_code, skeleton.time_scope, skeleton.period_code

),

valued as (

    select
        skeleton.*,
        case when skeleton.method_code in ('county_form') and skeleton.area_level = 'city' then null
             else round(computed.value::numeric, 2) end                          as value,
        case
            when skeleton.method_code = 'none' then 'no_method'
            when skeleton.method_code = 'county_form' and skeleton.area_level = 'city' then 'no_method'
            when computed.value is not null
                then case skeleton.source_family when 'county_form' then 'reported' else 'computed' end
            when computed.status_hint is not null then computed.status_hint
            else 'no_data'
        end                                                                      as value_status,
        computed.indicator_code is not null                                      as has_input,
        round(computed.data_completeness_pct::numeric, 2)                        as computed_completeness_pct,
        computed.standard_version                                                as computed_standard_version,
        target_choice.target_value,
        target_choice.target_text,
        target_choice.target_year,
        target_choice.target_source,
        batch_counts.batch_count,
        batch_counts.file_count
    from skeleton
    left join computed
        on computed.indicator_code = skeleton.indicator_code
       and computed.area_code = skeleton.area_code
       and computed.time_scope = skeleton.time_scope
       and computed.period_code = skeleton.period_code
    left join target_choice
        on target_choice.indicator_code = skeleton.indicator_code
       and target_choice.area_code = skeleton.area_code
       and target_choice.year = skeleton.year
       and target_choice.preference = 1
    left join batch_counts
        on batch_counts.indicator_code = skeleton.indicator_code
       and batch_counts.area_code = skeleton.area_code
       and batch_counts.time_scope = skeleton.time_scope
       and batch_counts.period_code = skeleton.period_code

),

judged as (

    select
        valued.*,
        case
            when valued.value is null or valued.target_value is null then 'not_evaluable'
            when not valued.time_scope = any(string_to_array(valued.judged_scopes, '|')) then 'not_evaluable'
            when valued.time_scope = 'year' and not valued.is_closed then 'not_evaluable'
            when valued.direction = 'lower_better' and valued.value <= valued.target_value then 'met'
            when valued.direction = 'higher_better' and valued.value >= valued.target_value then 'met'
            else 'not_met'
        end                                                                      as attainment
    from valued

),

final as (

    select
        judged.indicator_code,
        judged.indicator_name,
        judged.category,
        judged.parent_code,
        judged.nature,
        judged.unit,
        judged.direction,
        judged.area_code,
        judged.area_name,
        judged.area_level,
        judged.area_sort_order,
        judged.time_scope,
        judged.period_code,
        judged.year,
        judged.period_start,
        judged.period_end,
        judged.data_through,
        judged.is_closed                                                         as is_period_closed,
        judged.value,
        judged.value_status,
        -- 表2-1 gives the city's 2015 value only
        case when judged.area_level = 'city' then judged.baseline_2015_value end as baseline_2015_value,
        judged.target_value,
        judged.target_text,
        judged.target_year,
        judged.target_source,
        judged.attainment,
        case judged.attainment when 'met' then '达标' when 'not_met' then '未达标' else '暂不可评价' end
                                                                                 as attainment_label,
        case when judged.attainment <> 'not_evaluable' then
            case judged.direction when 'lower_better' then judged.value - judged.target_value
                                  else judged.target_value - judged.value end
        end                                                                      as gap_to_target,
        -- no source → null; a source with nothing for this period → 0 % complete (the value itself stays null)
        case when judged.value_status = 'no_method' then null
             when judged.has_input then judged.computed_completeness_pct else 0 end as data_completeness_pct,
        case when judged.method_code = 'none' then null
             else coalesce(judged.computed_standard_version, judged.standard_version) end as standard_version,
        case judged.source_family
            when 'county_form' then 'county_report'
            when 'hazwaste' then 'hazwaste'
            when 'air' then 'monitoring'
            when 'water' then 'monitoring'
            when 'emission' then 'monitoring'
            else 'none'
        end                                                                      as source_kind,
        judged.source_family,
        judged.source_models,
        judged.method_code,
        judged.method_note,
        case when judged.has_input then coalesce(judged.batch_count, 0) else 0 end as batch_count,
        case when judged.has_input then coalesce(judged.file_count, 0) else 0 end  as file_count
    from judged

)

select * from final

-- The ingestion batches that feed each indicator source family, per area and month, so that an indicator value can be
-- traced to its files (fct_indicator_lineage) and counted (fct_indicator_values.batch_count / file_count).
-- An area's batches are those of the data it is computed from: air — the hourly files of the stations assessed for
-- the county (evaluates_county) or the city (evaluates_city, HJ 663 urban scale); water — the manual monthly result
-- forms of sections in the county (all registered sections for the city); emission — the HJ 212 packet files of the
-- outlets in the county (all for the city); hazwaste — the generators' declarations (the manifests are not counted);
-- county forms — the latest indicator-form submission of each county (all counties for the city).
with

air_hourly as (

    select * from {{ ref('stg_raw__air_station_hourly') }}

),

air_stations as (

    select * from {{ ref('ref_air_stations') }}

),

water_samples as (

    select distinct submission_id, section_code, sampled_on from {{ ref('stg_raw__water_section_samples') }}

),

submissions as (

    select * from {{ ref('stg_raw__county_submissions') }}

),

form_versions as (

    select * from {{ ref('int_county__submission_versions') }}
    where is_latest and template_code = 'indicator_form'

),

sections as (

    select * from {{ ref('ref_water_sections') }}

),

source_values as (

    select * from {{ ref('int_source__hourly_values') }}

),

outlets as (

    select * from {{ ref('ref_pollution_outlets') }}

),

declarations as (

    select * from {{ ref('int_hw__declarations') }}

),

areas as (

    select * from {{ ref('ref_counties') }}

),

city as (

    select county_code as area_code from areas where area_level = 'city'

),

air_station_months as (

    select distinct
        air_hourly.station_code,
        date_trunc('month', air_hourly.obs_date)::date                           as month_start,
        air_hourly.batch_id
    from air_hourly

),

air as (

    select 'air' as source_family, air_stations.county_code as area_code, m.month_start, m.batch_id
    from air_station_months as m
    inner join air_stations on air_stations.station_code = m.station_code
    where air_stations.evaluates_county
    union
    select 'air', city.area_code, m.month_start, m.batch_id
    from air_station_months as m
    inner join air_stations on air_stations.station_code = m.station_code
    cross join city
    where air_stations.evaluates_city

),

water_months as (

    select distinct
        sections.county_code,
        date_trunc('month', water_samples.sampled_on)::date                      as month_start,
        submissions.batch_id
    from water_samples
    inner join submissions on submissions.submission_id = water_samples.submission_id
    inner join sections on sections.section_code = water_samples.section_code

),

water as (

    select 'water' as source_family, county_code as area_code, month_start, batch_id
    from water_months
    where county_code is not null
    union
    select 'water', city.area_code, water_months.month_start, water_months.batch_id
    from water_months
    cross join city

),

emission_months as (

    select distinct
        outlets.county_code,
        date_trunc('month', source_values.data_time)::date                       as month_start,
        source_values.batch_id
    from source_values
    inner join outlets on outlets.mn = source_values.mn

),

emission as (

    select 'emission' as source_family, county_code as area_code, month_start, batch_id
    from emission_months
    union
    select 'emission', city.area_code, emission_months.month_start, emission_months.batch_id
    from emission_months
    cross join city

),

hazwaste_months as (

    select distinct
        county_code,
        coalesce(month_start, make_date(report_year, 1, 1))                      as month_start,
        batch_id
    from declarations

),

hazwaste as (

    select 'hazwaste' as source_family, county_code as area_code, month_start, batch_id
    from hazwaste_months
    where county_code is not null
    union
    select 'hazwaste', city.area_code, hazwaste_months.month_start, hazwaste_months.batch_id
    from hazwaste_months
    cross join city

),

form_months as (

    select distinct
        form_versions.county_code,
        date_trunc('month', form_versions.period_end)::date                      as month_start,
        submissions.batch_id
    from form_versions
    inner join submissions on submissions.submission_id = form_versions.submission_id

),

county_form as (

    select 'county_form' as source_family, county_code as area_code, month_start, batch_id
    from form_months
    union
    select 'county_form', city.area_code, form_months.month_start, form_months.batch_id
    from form_months
    cross join city

),

final as (

    select * from air
    union all select * from water
    union all select * from emission
    union all select * from hazwaste
    union all select * from county_form

)

select * from final

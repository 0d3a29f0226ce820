with

source as (

    select * from {{ source('raw', 'hj212_values') }}

),

renamed as (

    select
        batch_id,
        file_sha256,
        source_row,
        mn,
        st,
        cn                      as command_code,
        data_time,
        code                    as reported_code,
        rtd                     as value_rtd,
        avg                     as value_avg,
        min                     as value_min,
        max                     as value_max,
        cou                     as value_cou,
        zs_rtd                  as value_zs_rtd,
        zs_avg                  as value_zs_avg,
        zs_min                  as value_zs_min,
        zs_max                  as value_zs_max,
        data_flag
    from source

)

select * from renamed

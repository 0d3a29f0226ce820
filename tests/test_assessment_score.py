"""The 美丽衢州 county assessment score (mart_county_assessment_score, fct_county_assessment_component) on hand-made
upstream marts, with the real seed seeds/ref_assessment_components.csv (rules MLQZ-2016.1) and the real dbt models.

Fixture (only 柯城区 330802 and 江山市 330881 have data; the other four counties have none):

component (weight, method)             柯城 09   柯城 10   江山 09   江山 10
PM2.5 ytd (15, linear 25→100, 45→0)    35 → 50   33 → 60   29 → 80   41 → 20
good-day share ytd (15, 95→100, 84.9→0) 96 → 100  96 → 100  84 → 0    89.95 → 50
boundary sections month (10, ÷ 100) 100→100   100→100   80 → 80   80 → 80
县城污水处理率 month (5, ÷ 94)          94 → 100  94 → 100  70.5 → 75 none → 0 (zero)
农村污水覆盖率 month (5, ÷ 90)          99 → 100  99 → 100  45 → 50   45 → 50
remediation index (20, index)          80        80        null → excluded  100
task index (10, index)                 null → excluded in every month and county
督察清单指数 (20, index)                90        70        100       95      (the other counties: none → 0)

柯城 09: weights counted 90; 15·50 + 15·100 + 10·100 + 5·100 + 5·100 + 20·80 + 20·90 = 7650 → 7650/90 = 85.00
江山 09: weights counted 70; 15·80 + 0 + 10·80 + 5·75 + 5·50 + 20·100 = 4625 → 4625/70 = 66.07
柯城 10: 15·60 + 1500 + 1000 + 500 + 500 + 1600 + 20·70 = 7400 → 7400/90 = 82.22
江山 10: weights counted 90; 15·20 + 15·50 + 800 + 0 + 250 + 20·100 + 20·95 = 6000 → 6000/90 = 66.67
the other four: 0 (all counted components missing) → rank 3, shared.
"""
from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest
from conftest import dbt_build, query

KC, JS = "330802", "330881"
MONTHS = {"2026-09": "2026-09-01", "2026-10": "2026-10-01"}
# (indicator_code, time scope the seed reads, direction, target): the values of the table above, month by month
INDICATORS = {
    ("air_pm25_concentration", "ytd", "lower_better", None): {KC: (35, 33), JS: (29, 41)},
    ("air_good_days_pct", "ytd", "higher_better", None): {KC: (96, 96), JS: (84, 89.95)},
    ("wq_boundary_sections_compliance_pct", "month", "higher_better", 100): {KC: (100, 100), JS: (80, 80)},
    ("sewage_treatment_rate_county_pct", "month", "higher_better", 94): {KC: (94, 94), JS: (70.5, None)},
    ("rural_sewage_village_coverage_pct", "month", "higher_better", 90): {KC: (99, 99), JS: (45, 45)},
}
REMEDIATION = {KC: (80, 80), JS: (None, 100)}
DUCHA = {KC: (90, 70), JS: (100, 95)}
SCORE_MODELS = ("int_assessment__component_scores", "fct_county_assessment_component", "mart_county_assessment_score")


def _upstream(conn) -> None:
    """The four upstream marts, reduced to the columns the score reads, in the schema dbt resolves refs to."""
    conn.execute("""
        create table marts_audit.fct_indicator_values (indicator_code text, time_scope text, period_code text,
            period_start date, area_code text, value numeric, target_value numeric, direction text);
        create table marts_audit.mart_remediation_index (programme_code text, industry_code text, period_code text,
            area_code text, remediation_index_pct numeric);
        create table marts_audit.mart_task_responsibility_index (scope_kind text, item_kind text, period_code text,
            scope_code text, responsibility_index_pct numeric);
        create table marts_audit.mart_ducha_index (period_code text, area_code text, ducha_index numeric)""")
    for i, (period, start) in enumerate(MONTHS.items()):
        # the city's month row is what makes a month exist for the assessment
        conn.execute("insert into marts_audit.fct_indicator_values values ('air_pm25_concentration', 'month', %s, %s,"
                     " '330800', 30, null, 'lower_better')", (period, start))
        for (code, scope, direction, target), by_county in INDICATORS.items():
            for county, values in by_county.items():
                conn.execute("insert into marts_audit.fct_indicator_values values (%s, %s, %s, %s, %s, %s, %s, %s)",
                             (code, scope, period, start, county, values[i], target, direction))
        for county in (KC, JS):
            conn.execute("insert into marts_audit.mart_remediation_index values ('QZ2023', 'ALL', %s, %s, %s)",
                         (period, county, REMEDIATION[county][i]))
            conn.execute("insert into marts_audit.mart_task_responsibility_index values ('county', 'all', %s, %s, null)",
                         (period, county))
            conn.execute("insert into marts_audit.mart_ducha_index values (%s, %s, %s)", (period, county, DUCHA[county][i]))


@pytest.fixture(scope="module")
def scored(warehouse, tmp_path_factory):
    from conftest import reset_warehouse

    reset_warehouse(warehouse)
    tmp = tmp_path_factory.mktemp("assessment")
    dbt_build(tmp, "ref_counties", "dim_area", "ref_assessment_components")
    with psycopg.connect(warehouse.url(), autocommit=True) as conn:
        _upstream(conn)
    dbt_build(tmp, *SCORE_MODELS)
    return warehouse, tmp


def _scores(warehouse, period):
    return {r[0]: r[1:] for r in query(warehouse, """
        select area_code, total_score, county_rank, previous_rank, rank_change, top_contributors
        from marts_audit.mart_county_assessment_score where period_code = %s""", period)}


def test_scores_and_ranks_by_hand(scored):
    warehouse, _ = scored
    sep, oct_ = _scores(warehouse, "2026-09"), _scores(warehouse, "2026-10")
    assert {k: v[:2] for k, v in sep.items()} == {
        KC: (Decimal("85.00"), 1), JS: (Decimal("66.07"), 2),
        **{c: (Decimal("0.00"), 3) for c in ("330803", "330822", "330824", "330825")}}
    assert oct_[KC][:4] == (Decimal("82.22"), 1, 1, 0)
    assert oct_[JS][:4] == (Decimal("66.67"), 2, 2, 0)


def test_component_statuses_and_points(scored):
    warehouse, _ = scored
    rows = {r[0]: r[1:] for r in query(warehouse, """
        select component_code, score_status, score, points from marts_audit.fct_county_assessment_component
        where period_code = '2026-10' and area_code = %s""", JS)}
    # 县城污水处理率 not reported: 0 points; the task index has nothing due: excluded
    assert rows["sewage_county"] == ("missing_zero", Decimal("0.00"), Decimal("0.000"))
    assert rows["task_responsibility"] == ("excluded", None, Decimal("0.000"))
    # good days 89.95: (89.95 − 84.9) / (95 − 84.9) = 0.5 → 50; points 15·50/90 = 8.333
    assert rows["air_good_days"] == ("scored", Decimal("50.00"), Decimal("8.333"))
    # PM2.5 41 (lower is better): (41 − 45) / (25 − 45) = 0.2 → 20
    assert rows["air_pm25"][1] == Decimal("20.00")


def test_top_contributors_explain_the_change(scored):
    """江山 09 → 10, points = weight · score / weights counted (70 in 09, 90 in 10):
    remediation 0 → 2000/90 = +22.22; PM2.5 1200/70 → 300/90 = −13.81; good days 0 → 750/90 = +8.33;
    the changes of all components add up to the change of the total (66.07 → 66.67)."""
    warehouse, _ = scored
    text = _scores(warehouse, "2026-10")[JS][4]
    assert text == "重点行业整治指数 +22.22 分；细颗粒物(PM2.5)年累计平均浓度 −13.81 分；空气质量优良天数比例（年累计） +8.33 分"
    [(total_change, sum_changes)] = query(warehouse, """
        select s.score_change, (select sum(points_change) from marts_audit.fct_county_assessment_component c
                                where c.period_code = s.period_code and c.area_code = s.area_code)
        from marts_audit.mart_county_assessment_score s where period_code = '2026-10' and area_code = %s""", JS)
    assert float(sum_changes) == pytest.approx(float(total_change), abs=0.01)


def test_new_weights_in_the_seed_change_the_ranking(scored):
    """The rows a bureau appends to seeds/ref_assessment_components.csv: rules MLQZ-2026.1 from 2026-10-01 with the
    remediation and 督察 weights raised to 60 each (others unchanged, 170 in all).
    柯城 10: 900 + 1500 + 1000 + 500 + 500 + 60·80 + 60·70 = 13400 → /170 = 78.82
    江山 10: 300 + 750 + 800 + 0 + 250 + 60·100 + 60·95 = 13800 → /170 = 81.18 → 江山 first, up one place.
    September keeps the rules it had (85.00 and 66.07)."""
    warehouse, tmp = scored
    with psycopg.connect(warehouse.url(), autocommit=True) as conn:
        conn.execute("""
            insert into ref.ref_assessment_components
            select 'MLQZ-2026.1', date '2026-10-01', component_code, component_name, component_group, source_kind,
                   source_code, time_scope,
                   case when component_code in ('remediation', 'ducha') then 60 else weight end,
                   scoring_method, full_score_at, zero_score_at, when_missing, source_note
            from ref.ref_assessment_components where rules_version = 'MLQZ-2016.1'""")
    dbt_build(tmp, *SCORE_MODELS)
    sep, oct_ = _scores(warehouse, "2026-09"), _scores(warehouse, "2026-10")
    assert (sep[KC][:2], sep[JS][:2]) == ((Decimal("85.00"), 1), (Decimal("66.07"), 2))
    assert oct_[JS][:4] == (Decimal("81.18"), 1, 2, 1)
    assert oct_[KC][:4] == (Decimal("78.82"), 2, 1, -1)
    versions = {r[0] for r in query(warehouse, """select distinct rules_version from marts_audit.mart_county_assessment_score
                                                   where period_code = '2026-10'""")}
    assert versions == {"MLQZ-2026.1"}

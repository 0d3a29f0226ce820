"""HJ 663-2013 Appendix A percentiles: the warehouse uses PostgreSQL's percentile_cont, which must give the standard's
worked example — {3, 4, 8, 2, 5, 4}, p = 90: sorted {2,3,4,4,5,8}, k = 1 + 5·0.9 = 5.5, m = 5 + (8 − 5)·0.5 = 6.5."""
import psycopg
import pytest


@pytest.mark.parametrize("values,p,expected", [
    ([3, 4, 8, 2, 5, 4], 0.90, 6.5),
    ([20, 35 + 2 / 3, 77], 0.95, 35 + 2 / 3 + (77 - 35 - 2 / 3) * 0.9),  # k = 1 + 2·0.95 = 2.9
    ([10], 0.98, 10.0),                                                   # n = 1: k = 1
    ([1, 2, 3, 4, 5], 0.50, 3.0),                                         # k = 3 exactly: X(3)
])
def test_percentile_cont_is_the_appendix_a_method(warehouse, values, p, expected):
    with psycopg.connect(warehouse.url()) as conn:
        got = conn.execute(
            "select percentile_cont(%s) within group (order by v) from unnest(%s::float8[]) as t(v)", (p, [float(v) for v in values])
        ).fetchone()[0]
    assert got == pytest.approx(expected)

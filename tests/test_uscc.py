"""GB 32100-2015 check character against the codes published in ../shared/standards/uscc.md §3 (values from the
standard's digest, not from our code)."""
from __future__ import annotations

import pytest

from ecowarehouse.standards.uscc import USCC_WEIGHTS, classify, org_check_char, uscc_check_char

VALID = [
    "91330800147755889T", "91330800MA28F5TE22", "91330800MA28F14U3Q", "914403001922038216", "91330100799655058B",
    "91330100470102706G", "913300007463411432", "91110108551385082Q", "91350200776049653A", "91350500798359476R",
    "913502000728319549", "123502001549897397", "9135021359498494XQ", "91350213678251743X", "91330110MA27WLNG6K",
    "91330106MAEUDLLYXY", "91330483MAEL1DXF5N",
]
# (code, the check character the algorithm gives, per uscc.md) — real pilot-era codes and mock values that fail
FAILING = [
    ("91350100M0001TGQXM", "1"), ("91350211M0000XUF46", "R"), ("91350203M0001FUE2P", "J"),
    ("91350203M0001QAY9B", "9"), ("913308001477326000", "6"), ("91110108717809965C", "J"),
    ("9133010057462616XH", "9"), ("914403001922038217", "6"),
]


def test_weights_are_powers_of_three_mod_31():
    # GB 32100 §5 as listed in the digest
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", VALID)
def test_published_valid_codes_pass(code):
    assert uscc_check_char(code[:17]) == code[17]
    got = classify(code)
    assert (got.uscc, got.check_ok, got.error_zh, got.warning_zh) == (code, True, None, None)


@pytest.mark.parametrize("code,expected", FAILING)
def test_failing_check_character_is_a_warning_not_a_rejection(code, expected):
    got = classify(code)
    assert got.uscc == code and got.check_ok is False and got.error_zh is None
    assert f"校验位应为 {expected}" in got.warning_zh


@pytest.mark.parametrize("typed,normalised", [
    ("9133 0100 7996 5505 8B", "91330100799655058B"),
    ("统一社会信用代码：91330800147755889T", "91330800147755889T"),
    ("91330800ma28f5te22", "91330800MA28F5TE22"),
    ("９１３３０８００１４７７５５８８９Ｔ", "91330800147755889T"),  # full-width, as some input methods type
])
def test_typed_forms_are_normalised(typed, normalised):
    assert classify(typed).uscc == normalised and classify(typed).check_ok


def test_letters_outside_the_31_character_set_reject_the_row():
    got = classify("9133010079965505OB")  # O is not used by GB 32100
    assert got.uscc is None and "O" in got.error_zh


def test_old_identifiers_are_kept_in_their_own_columns():
    # GB 11714 organisation code 55138508-2 (embedded in 小米's USCC 91110108551385082Q): check char 2
    assert org_check_char("55138508") == "2"
    org = classify("55138508-2")
    assert (org.org_code, org.uscc, org.warning_zh) == ("551385082", None, None)
    assert classify("551385083").warning_zh  # wrong organisation-code check character: a warning
    reg = classify("330800000012345")
    assert (reg.business_reg_no, reg.uscc) == ("330800000012345", None)
    assert "为 3 位" in classify("abc").error_zh
    assert classify("").is_empty and classify(None).is_empty

"""GB 32100-2015 统一社会信用代码 (USCC) and the identifiers old ledgers still carry.

A wrong check character on an otherwise well-formed code is only a *warning*: pilot-period codes issued in 2014–2015
(e.g. Fujian's ``…M000…`` subject codes) are legal and fail the check (see ../shared/standards/uscc.md §3).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# GB 32100-2015 §4 (代码字符集): 31 characters; I, O, S, V, Z are not used. A character's value is its index.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 §5 (校验码): W_i = 3^(i-1) mod 31 for positions 1..17.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714-1997 组织机构代码: 8 body characters (0-9, A-Z) and a check character with these weights.
ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_PREFIX = re.compile(r"^(统一社会信用代码|社会信用代码|信用代码|组织机构代码|注册号|营业执照号?)[:：]?")
_SEPARATORS = re.compile(r"[\s\-—_－.·]")


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 §5: C18 = 31 − (Σ value(c_i)·W_i mod 31), with 31 written as 0."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """GB 11714-1997: C9 = 11 − (Σ value·W mod 11); 10 → X, 11 → 0."""
    c9 = 11 - sum(ORG_CHARSET.index(c) * w for c, w in zip(first8, ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


@dataclass(frozen=True)
class CreditCode:
    """What a cell of the ledger's 统一社会信用代码 column turned out to hold."""

    uscc: str | None = None
    org_code: str | None = None  # 9-character organisation code (GB 11714), old ledgers
    business_reg_no: str | None = None  # 15-digit 工商注册号, old ledgers
    check_ok: bool | None = None  # GB 32100 check character (None when there is no USCC)
    error_zh: str | None = None  # malformed: the row cannot be accepted
    warning_zh: str | None = None  # well formed but suspicious: accepted and flagged

    @property
    def is_empty(self) -> bool:
        return not (self.uscc or self.org_code or self.business_reg_no or self.error_zh)


def normalise(text: str) -> str:
    """Accept how people type codes: full-width characters, spaces and hyphens, a label prefix, lower case."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    s = _PREFIX.sub("", s).strip()
    return _SEPARATORS.sub("", s).upper()


def classify(text) -> CreditCode:
    if text is None or str(text).strip() == "":
        return CreditCode()
    raw = str(text).strip()
    s = normalise(raw)
    if len(s) == 18:
        bad = sorted({c for c in s if c not in USCC_CHARSET})
        if bad:
            return CreditCode(error_zh=f"统一社会信用代码“{raw}”含有不允许的字符 {'、'.join(bad)}"
                                       "（代码不使用字母 I、O、S、V、Z）")
        expected = uscc_check_char(s[:17])
        if s[17] != expected:
            return CreditCode(uscc=s, check_ok=False,
                              warning_zh=f"统一社会信用代码“{s}”校验位应为 {expected}，请核对（早期试点代码可能不符合校验规则）")
        return CreditCode(uscc=s, check_ok=True)
    if len(s) == 9 and all(c in ORG_CHARSET for c in s):
        expected = org_check_char(s[:8])
        warning = None if s[8] == expected else f"组织机构代码“{s}”校验位应为 {expected}，请核对"
        return CreditCode(org_code=s, warning_zh=warning)
    if len(s) == 15 and s.isdigit():
        return CreditCode(business_reg_no=s)
    return CreditCode(error_zh=f"统一社会信用代码“{raw}”为 {len(s)} 位，应为 18 位"
                               "（旧台账可填 9 位组织机构代码或 15 位工商注册号）")

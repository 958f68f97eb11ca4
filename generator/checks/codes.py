"""Agency codes: the 9-character organisation code (GB 11714) and the 18-character unified social
credit code (GB 32100), each with its check character."""

from __future__ import annotations

import re

_ORG = re.compile(r"[0-9A-Z]{8}[0-9X]")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC = re.compile(rf"[{_USCC_CHARS}]{{18}}")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def org_check_char(first8: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def check_agency_code(code: str) -> tuple[str | None, str | None]:
    """Return ``(error, warning)`` messages for an agency code; both None when it is well formed."""
    if len(code) == 9:
        if not _ORG.fullmatch(code):
            return "9 位组织机构代码只能由数字和大写字母组成，最后一位为数字或 X", None
        expected = org_check_char(code[:8])
    elif len(code) == 18:
        if not _USCC.fullmatch(code):
            return "18 位统一社会信用代码只能由数字和大写字母（不含 I O Z S V）组成", None
        expected = uscc_check_char(code[:17])
    else:
        return f"应为 18 位统一社会信用代码或 9 位组织机构代码，实为 {len(code)} 位“{code}”", None
    if code[-1] != expected:
        return None, f"机构代码“{code}”的校验位应为“{expected}”，请核对是否抄错"
    return None, None

"""Numbers and dates as Korean users type them, read one way everywhere (report form, offline upload).

Accepted: "1234", "1,234" (a comma between every three digits only), "12.5", "1,234.5"; dates
"2017-01-02", "2017.01.02", "2017. 1. 2." (the portal's own format), "2017년 1월 2일". Anything else
is refused with an ``InputRefused`` whose Korean message names the value and the reason; Django's
localized fields would read "12,34,5" as 12345, which is why the form's fields use this module.
"""

import datetime
import re
from decimal import Decimal

_NUMBER = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?")
_MISGROUPED = re.compile(r"[+-]?[\d,]+(?:\.\d+)?")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})-(\d{1,2})|\.\s*(\d{1,2})\.\s*(\d{1,2})\.?|년\s*(\d{1,2})월\s*(\d{1,2})일)")


# No figure of the plan needs more; a longer text is refused before it is read (reading a number costs time
# with the square of its digits, and a form field may be megabytes long).
MAX_NUMBER_LENGTH = 30


class InputRefused(ValueError):
    """A typed value that is not a number or a date; the message (Korean) says which and why."""


def parse_number(text: str) -> Decimal:
    """The number ``text`` stands for; commas only as thousands separators, a point for decimals."""
    value = text.strip()
    if len(value) > MAX_NUMBER_LENGTH:
        raise InputRefused(f"'{value[:MAX_NUMBER_LENGTH]}…': 값이 너무 깁니다 ({MAX_NUMBER_LENGTH}자 이내).")
    if _NUMBER.fullmatch(value):
        return Decimal(value.replace(",", ""))
    if _MISGROUPED.fullmatch(value) and "," in value:
        reason = "쉼표는 뒤에서부터 세 자리마다 넣어야 합니다 (예: 1,234,567)."
    elif not value:
        reason = "값이 비어 있습니다."
    else:
        reason = "숫자가 아닌 글자가 있습니다."
    raise InputRefused(f"'{text}': {reason}")


def parse_integer(text: str) -> int:
    """A whole number typed as ``parse_number`` reads it; "12.5" is refused, not cut to 12."""
    number = parse_number(text)
    if number != number.to_integral_value():
        raise InputRefused(f"'{text}': 소수점 아래 값은 넣을 수 없습니다.")
    return int(number)


def parse_date(text: str) -> datetime.date:
    """The date ``text`` stands for: 2017-01-02, 2017.01.02, 2017. 1. 2. or 2017년 1월 2일."""
    value = text.strip()
    match = _DATE.fullmatch(value)
    if not match:
        raise InputRefused(f"'{text}': 날짜 형식이 아닙니다.")
    year, *parts = match.groups()
    month, day = (int(p) for p in parts if p is not None)
    try:
        return datetime.date(int(year), month, day)
    except ValueError:
        raise InputRefused(f"'{text}': 없는 날짜입니다 ({month}월 {day}일).") from None

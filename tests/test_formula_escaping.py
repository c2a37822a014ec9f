"""Formula escaping is safe (nothing executable leaves the portal) and exactly reversible."""

import pytest

from gov30.spreadsheets import escape_text, unescape_text


@pytest.mark.parametrize("text", ["=1+1", "+82-2-2133", "-5", "@SUM(A1)", "\tx", "\rx", "'=x", "'-' 표시", "''+"])
def test_dangerous_text_is_prefixed_and_restored(text):
    escaped = escape_text(text)
    assert escaped.startswith("'") and not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unescape_text(escaped) == text


@pytest.mark.parametrize("text", ["'13년", "정상", "", "’16~", "1,817"])
def test_ordinary_text_is_untouched(text):
    assert escape_text(text) == text and unescape_text(text) == text

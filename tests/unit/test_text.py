"""How amounts are written: the same text however the value arrives, remembered or not."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from pmolearn import text


def _by_hand(value) -> str:
    written = f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    written = written.rstrip("0").rstrip(".") if "." in written else written
    return "0" if written in ("", "-0") else written


def test_amounts_as_people_write_them():
    cases = {60: "60", Decimal("2.50"): "2.5", Decimal("2.25"): "2.25", 0.5: "0.5",
             Decimal("0"): "0", Decimal("-0.00"): "0", Decimal("1E+1"): "10",
             Decimal("2.345"): "2.35", 35.0: "35"}  # fmt: skip
    assert {value: text.amount(value) for value in cases} == cases
    assert text.amount(None) == "unconfirmed"
    assert text.amount(None, missing="—") == "—"


amounts = st.one_of(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False),
    st.floats(min_value=-(10**6), max_value=10**6, allow_nan=False),
)


@given(amounts, amounts)
def test_equal_values_are_written_alike_whichever_came_first(first, second):
    """The writing is remembered by value; equal values of different types (``2.5`` and
    ``Decimal("2.50")``) share an entry, so they must be written alike."""
    assert text.amount(first) == _by_hand(first)
    assert text.amount(second) == _by_hand(second)
    if first == second:
        assert text.amount(first) == text.amount(second)

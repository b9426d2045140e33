"""Hypothesis strategies the apps' property tests share."""

from hypothesis import strategies as st

from commonground.core.tlp import TLP

MARKINGS = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT, TLP.RED]

# A cell of a CSV file as a user types it: any text but the separators and quotes the tests write around it.
csv_cells = st.text(alphabet=st.characters(codec="utf-8", exclude_characters=',"\r\n\x00'), max_size=12)

import datetime
import decimal
import math
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFRenderer

from commonground.core.api.renderers import JSONRenderer

PAYLOADS = [
    {"count": 2, "next": None, "results": [{"id": 1, "name": "Zoë's Café", "tags": ["a", "b"], "ok": True}]},
    {
        "at": datetime.datetime(2026, 11, 28, 12, 0, 0, 123456, tzinfo=datetime.UTC),
        "on": datetime.date(2026, 1, 2),
    },
    {"price": decimal.Decimal("12.50"), "ratio": 0.1, "big": 2**40, "id": uuid.UUID(int=7)},
    {"detail": gettext_lazy("Not found."), "nested": {"x": [1.5, None, {"y": "z"}]}, 3: "int key"},
    [1, 2, 3],
    {"huge": 2**70},
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_fast_renderer_writes_exactly_what_drfs_writes(payload):
    assert JSONRenderer().render(payload) == DRFRenderer().render(payload)


def test_a_number_json_cannot_hold_is_null_where_drf_would_fail_the_request():
    with pytest.raises(ValueError):
        DRFRenderer().render({"x": math.nan})
    assert JSONRenderer().render({"x": math.nan, "y": math.inf}) == b'{"x":null,"y":null}'

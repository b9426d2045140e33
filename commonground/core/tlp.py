"""The Traffic Light Protocol 2.0 markings, written as FIRST writes them and never translated."""

from django.db import models
from django.utils.translation import gettext_noop


class TLP(models.TextChoices):
    CLEAR = "TLP:CLEAR", "TLP:CLEAR"
    GREEN = "TLP:GREEN", "TLP:GREEN"
    AMBER = "TLP:AMBER", "TLP:AMBER"
    AMBER_STRICT = "TLP:AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "TLP:RED", "TLP:RED"


# From the widest audience to the narrowest.
ORDER = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT, TLP.RED]

# In English, as a CAP alert carries them; a page shows them translated (the `tlp_badge` tag).
AUDIENCE = {
    TLP.CLEAR: gettext_noop("everyone, visitors included"),
    TLP.GREEN: gettext_noop("every member of the community"),
    TLP.AMBER: gettext_noop(
        "the owning organization, the community's co-chairs and facilitators, and named organizations"
    ),
    TLP.AMBER_STRICT: gettext_noop("the owning organization and named organizations"),
    TLP.RED: gettext_noop("the named people only"),
}


def narrowest(markings) -> str:
    """Return the most restrictive of the given markings (TLP:CLEAR when there are none)."""
    ranks = [ORDER.index(TLP(m)) for m in markings]
    return ORDER[max(ranks)].value if ranks else TLP.CLEAR.value


def mark_response(response, marking: str):
    """Set the response's `X-TLP` header to `marking` as a plain `str` and return the response.

    Every answer marked in a header goes through here: `wsgiref` (Django's `runserver`, so `make demo`)
    refuses a header value that is a `TLP` member rather than exactly a `str`, where gunicorn and the
    test client let it pass; a value that is no marking at all fails here, not in the reader's hands."""
    response["X-TLP"] = TLP(marking).value
    return response


def is_lower(before: str, after: str) -> bool:
    """Return whether a change of marking from `before` to `after` widens the audience."""
    return ORDER.index(TLP(after)) < ORDER.index(TLP(before))


def css_class(marking: str) -> str:
    """Return a CSS class name for a marking badge."""
    return "tlp-" + marking.split(":", 1)[1].lower().replace("+", "-")


# Markings for records shared with organizations rather than with named people (no TLP:RED).
ORGANIZATION_MARKINGS = [(value, label) for value, label in TLP.choices if value != TLP.RED]

"""A text the code still shows is never left out of the catalogue as obsolete.

`makemessages` (xgettext) does not read inside an f-string: a `_("...")` written there is shown translated
only while an older catalogue still holds it, and the next `make messages` marks it obsolete (`#~`), after
which the page shows it in English. Write the call outside the f-string.
"""

import re
from pathlib import Path

import commonground

ROOT = Path(commonground.__file__).parent
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"


def sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for pattern in ("*.py", "*.html", "*.txt")
        for path in ROOT.rglob(pattern)
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def test_no_obsolete_entry_of_the_catalogue_is_still_in_the_code():
    text = sources()
    # Each obsolete entry's one-line msgid (a long one, wrapped over lines, is left out).
    catalogue = CATALOGUE.read_text(encoding="utf-8")
    obsolete = re.findall(r'^#~ msgid "(.+)"$', catalogue, flags=re.M)
    assert bool(obsolete) == ('#~ msgid "' in catalogue.replace('#~ msgid ""', ""))
    still_used = [msgid for msgid in obsolete if f'"{msgid}"' in text or f"'{msgid}'" in text]
    assert still_used == [], "written inside an f-string? makemessages cannot read it there"

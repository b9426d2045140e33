from django.utils import translation
from django.utils.translation import gettext as _

from commonground.core.tables import escaped_labels


def test_each_label_is_translated_by_its_caller_and_escaped_once():
    with translation.override("es"):
        labels = escaped_labels(("name", _("Name")), ("odd", 'A & "B" <c>'))
    assert labels == {"name": "Nombre", "odd": "A &amp; &quot;B&quot; &lt;c&gt;"}

"""What the registry's pages show of a person, written once for the templates and the people list's rows."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..tables import contact_html

register = template.Library()


@register.simple_tag
def contact(person) -> SafeString:
    """Show a person's contact details where their marking admits the reader, else that they are withheld."""
    return mark_safe(contact_html(person))  # noqa: S308 - contact_html escapes every text

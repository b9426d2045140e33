"""Regression (issue 19, review): activation mails went out as "incident alerts", so a holder could not tell
them apart (nor keep one and turn the other off). They are their own kind; holders and their organization's
admins are both still told."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from commonground.accounts.choices import MANDATORY, OPTIONAL, MailKind
from commonground.credentials import services

from .builders import build_program

pytestmark = pytest.mark.django_db


def _turn_off(user, *kinds):
    user.mail_unwanted = [str(kind) for kind in kinds]
    user.save(update_fields=["mail_unwanted"])


def _activate(table, built):
    mail.outbox.clear()
    now = timezone.now()
    services.activation_create(
        actor=table.cochair, community=table.community, name="Flood re-entry", area=built.area,
        kinds=["standard"], starts_at=now, ends_at=now + datetime.timedelta(days=1),
    )  # fmt: skip
    return {address for message in mail.outbox for address in message.to}


def _address(user):
    return user.person.email or user.email


def test_activation_mail_is_its_own_kind(table, mail_at_once):
    built = build_program(table, activate=False)
    assert MailKind.CREDENTIAL_ACTIVATIONS in OPTIONAL and MailKind.CREDENTIAL_ACTIVATIONS not in MANDATORY
    _turn_off(table.member, MailKind.INCIDENT_ALERTS)
    _turn_off(table.admin, MailKind.INCIDENT_ALERTS)
    told = _activate(table, built)
    assert {_address(table.member), _address(table.admin)} <= told
    _turn_off(table.member, MailKind.CREDENTIAL_ACTIVATIONS)
    told = _activate(table, built)
    assert _address(table.member) not in told and _address(table.admin) in told


def test_only_holders_the_activation_admits_are_told(table, mail_at_once):
    """Regression (review): every holder of an admitted kind was mailed, whatever their facility; a checkpoint
    admits a card only for a facility inside the area (unless it is for all areas), and so does the mail."""
    built = build_program(table, activate=False)
    mail.outbox.clear()
    now = timezone.now()
    services.activation_create(
        actor=table.cochair, community=table.community, name="Elsewhere", area=built.far,
        kinds=["standard"], starts_at=now, ends_at=now + datetime.timedelta(days=1),
    )  # fmt: skip
    told = {address for message in mail.outbox for address in message.to}
    assert _address(table.member) not in told and _address(table.admin) not in told
    assert {_address(table.member), _address(table.admin)} <= _activate(table, built)  # its own area: told

"""Foundations shared by every app: timestamps and the audit log."""

from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from .tlp import TLP
from .visibility import VisibilityQuerySet


class TimeStampedModel(models.Model):
    """Give a record the moments it was created and last changed."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        """`get_<field>_display()`, as Django's, from the field's labels read once: Django's makes a dict of every
        choice at each call, hashing (so translating) each label; a board of requests spent a third of its
        rendering there."""
        labels = choice_labels(field)
        if labels is None:
            return super()._get_FIELD_display(field)
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


@cache
def choice_labels(field) -> dict | None:
    """Return a model field's labels (lazy: translated when shown) by value; None for choices given by a callable,
    which may change."""
    if not isinstance(field.choices, list | tuple):
        return None
    return {make_hashable(value): label for value, label in field.flatchoices}


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")


class AuditEntryQuerySet(VisibilityQuerySet):
    def visible_to(self, viewer) -> "AuditEntryQuerySet":
        """Return the entries a viewer may read.

        Facilitators read every entry, co-chairs their communities', admins their organization's; and of
        those, only entries about a record the viewer could see as it was at that change (its marking then).
        Entries whose marking covers only some fields (a person's contact details) stay listed; their
        values are withheld by `AuditEntry.shown_changes`.
        """
        if not viewer.is_authenticated:
            return self.none()
        marked = self.tlp_q(viewer) | models.Q(whole_record=False)
        if viewer.is_facilitator:
            return self.filter(marked)
        scope = models.Q(community_id__in=viewer.cochair_community_ids) | models.Q(
            organization_id__in=viewer.cochaired_organization_ids
        )
        if viewer.is_organization_admin and viewer.organization_id:
            scope |= models.Q(organization_id=viewer.organization_id)
        return self.filter(scope & marked)


class AuditEntry(models.Model):
    """Record one change to one record: who, when, and each field before and after.

    `community_id` and `organization_id` are the scopes co-chairs read the log by; they are plain
    numbers so that core stays free of domain imports and entries outlive what they describe.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_repr = models.CharField(_("by"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    # No index of its own: the (content_type, object_id) index serves it.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    community_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    organization_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # The record's marking and audience as they were at this change (the narrowest of before and after),
    # so that the log shows a change only to those who could see the record then.
    tlp = models.CharField(_("marking"), max_length=20, choices=TLP.choices, default=TLP.CLEAR)
    whole_record = models.BooleanField(default=True)
    owner_id = models.BigIntegerField(null=True, blank=True)
    record_community_id = models.BigIntegerField(null=True, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class TLPOptions:
        copied = True  # from the record the entry is about, as it was at the change
        marking = "tlp"
        owner = "owner"
        community = "record_community"
        person = "person"
        recipient_organizations = "recipients:organization_id"
        recipient_people = "recipients:person_id"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_repr} {self.action} {self.object_repr}"

    @property
    def visible_changes(self) -> dict:
        """Return the changes the reader may see: values of marked fields are withheld from one who may not.

        The reader is the one the entries were annotated for (`annotate_marking_visible`); entries read
        without that annotation withhold them.
        """
        if getattr(self, "marking_visible", False) or self.whole_record:
            return self.changes
        model = self.content_type.model_class()
        marked = set(getattr(getattr(model, "TLPOptions", None), "marked_fields", ()) or ())
        return {
            name: ([WITHHELD, WITHHELD] if name in marked else values)
            for name, values in self.changes.items()
        }


# What the log shows in place of a value the reader may not see.
WITHHELD = "(withheld)"


class AuditRecipient(models.Model):
    """Name an organization or a person a marked record was shared with at the change an entry records."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="recipients")
    organization_id = models.BigIntegerField(null=True, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization_id", "entry"]),
            models.Index(fields=["person_id", "entry"]),
        ]

    def __str__(self) -> str:
        return f"organization {self.organization_id}" if self.organization_id else f"person {self.person_id}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """Follow one import that runs in the background: who started it, how far it got, what it found.

    `community_id` is a plain number so that core stays free of domain imports.
    """

    created = models.DateTimeField(_("started"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    community_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(_("what the file holds"), max_length=40)
    file = models.CharField(max_length=200)
    original_name = models.CharField(_("file"), max_length=255)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_read = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class UnfinishedImport(models.Model):
    """Journal an import that is writing, so that one killed halfway can be undone (`core.importing.journal`)."""

    started = models.DateTimeField(auto_now_add=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    # [first, last] audit entry ids of each committed batch, in order.
    batches = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"import by process {self.pid} on {self.host} ({len(self.batches)} batches written)"

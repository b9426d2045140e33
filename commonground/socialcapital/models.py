"""A partnership's network as it was measured: one snapshot a community a month, the latest shown."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkSnapshotQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> "NetworkSnapshotQuerySet":
        """Return the snapshots of the communities the viewer sits in (facilitators: all).

        A snapshot holds only what every member of its table may see (`ties.table_viewer`)."""
        if viewer.is_facilitator:
            return self.all()
        return self.filter(community_id__in=sorted(viewer.community_ids))

    def named_parties(self, pks) -> tuple[set[int], set[int]]:
        """Return the organizations and people `visible_to` compares with the viewer's for these records: none
        (see `VisibilityQuerySet.named_parties`)."""
        return set(), set()


class NetworkSnapshot(models.Model):
    """The measures of one community's network for one month, computed by the worker (`tasks.py`).

    `measures` is `measures.network_measures`' answer: the figures, the tie types each used, a row for each
    organization and each tie (with the kinds of record behind it). Computing a month again replaces its
    snapshot, so each month keeps its latest.
    """

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="network_snapshots",
        verbose_name=_("community"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month measured."))
    as_of = models.DateTimeField(_("record read as of"))
    computed_at = models.DateTimeField(_("computed at"))
    measures = models.JSONField(_("measures"), default=dict)

    objects = NetworkSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["community", "-month"]
        verbose_name = _("network snapshot")
        verbose_name_plural = _("network snapshots")
        constraints = [
            models.UniqueConstraint(fields=["community", "month"], name="network_snapshot_one_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.month:%Y-%m}"

    @property
    def density(self) -> float:
        return self.measures.get("density", {}).get("value", 0.0)

    @property
    def bridging_share(self) -> float | None:
        return self.measures.get("bridging", {}).get("share")

    @property
    def assortativity(self) -> float | None:
        return self.measures.get("bridging", {}).get("assortativity")


class IntroductionQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> "IntroductionQuerySet":
        """Return the introductions of the communities the viewer co-chairs (facilitators: all)."""
        if viewer.is_facilitator:
            return self.all()
        return self.filter(community_id__in=sorted(viewer.cochair_community_ids))


class Introduction(models.Model):
    """A co-chair's introduction of two organizations at the table to each other, mailed to their admins; the
    tie it leads to is counted by the network like any other, from the record."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="introductions",
        verbose_name=_("community"),
    )  # fmt: skip
    first = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    second = models.ForeignKey(
        "registry.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("sent by"),
    )  # fmt: skip
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")

    def __str__(self) -> str:
        return f"{self.first} – {self.second}"

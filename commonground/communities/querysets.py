"""The visibility rule of records a community keeps for its whole table."""

from django.db import models


class TableRecordQuerySet(models.QuerySet):
    """Records shared with everyone at a community's table (its goals, its meetings): TLP:GREEN by nature."""

    def visible_to(self, viewer) -> "TableRecordQuerySet":
        """Return the records of the communities the viewer sits in (facilitators: all)."""
        if viewer.is_facilitator:
            return self.all()
        return self.filter(community_id__in=sorted(viewer.community_ids))

    def named_parties(self, pks) -> tuple[set[int], set[int]] | None:
        """Return the organizations and people `visible_to` compares with the viewer's for these records: none
        (None for a subclass with a rule of its own; see `VisibilityQuerySet.named_parties`)."""
        return (set(), set()) if type(self).visible_to is TableRecordQuerySet.visible_to else None

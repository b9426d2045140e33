"""The needs profile's sums, kept in step with the writes (`sustainability.needs_sums`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .needs import NeedsAssessment


class NeedsSumsStamp(models.Model):
    """One block of organizations (by id) at a community: its answers change when its token does. A write
    that the log records draws a new token for the blocks of the organizations it names, once it commits."""

    community = models.ForeignKey("communities.Community", related_name="+", on_delete=models.CASCADE)
    block = models.PositiveIntegerField()
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("needs sums stamp")
        verbose_name_plural = _("needs sums stamps")
        constraints = [models.UniqueConstraint(fields=["community", "block"], name="needs_sums_stamp_block")]

    def __str__(self) -> str:
        return f"{self.community_id}:{self.block}:{self.token}"


class NeedsSums(models.Model):
    """The sums of one block of organizations' answers to an assessment, as summed under the block's token
    (`block` >= 0); or of every block (`block` = -1), with the token and name of each block's sums in it."""

    assessment = models.ForeignKey(NeedsAssessment, related_name="+", on_delete=models.CASCADE)
    block = models.IntegerField()
    token = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=32)
    blocks = models.JSONField(default=dict, blank=True)
    sums = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("needs sums")
        verbose_name_plural = _("needs sums")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "block", "name"], name="needs_sums_name"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.block}:{self.name}"

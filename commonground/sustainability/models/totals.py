"""The needs profile's stored totals: what the submitted answers to each item add up to, kept as they change.

`sustainability.totals` keeps them, in the transaction of each write of an answer (and of an organization's
sector, of a seat at the table), and reads them for the profile; `commonground needs_totals --rebuild`
computes them again from the answers.
"""

from django.db import models


class NeedsTally(models.Model):
    """An assessment whose totals are kept: its presence says `NeedsTotal` holds every counted answer.

    `answering` counts the organizations that answered, by the markings of their answers (a bit each, in
    `totals.MARKINGS` order, written as a string): the profile's count of answering organizations reads it.
    A writer of totals locks this row first, so that totals of one assessment change one transaction at a time.
    """

    assessment = models.OneToOneField(
        "sustainability.NeedsAssessment", on_delete=models.CASCADE, related_name="tally"
    )
    answering = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"totals of {self.assessment_id}"


class NeedsTotal(models.Model):
    """The counted answers to one item from organizations of one sector, under one marking, with one gap
    (POETE): how many, how many below the importance they give it, and their importance and level summed."""

    item = models.ForeignKey("sustainability.NeedsItem", on_delete=models.CASCADE, related_name="+")
    # The answers' community (the assessment's): the TLP rule reads it, as it reads an answer's.
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    sector = models.CharField(max_length=20, blank=True)
    tlp = models.CharField(max_length=20)
    poete = models.CharField(max_length=12, blank=True)
    answers = models.PositiveIntegerField(default=0)
    with_need = models.PositiveIntegerField(default=0)
    importance_sum = models.PositiveIntegerField(default=0)
    level_sum = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "sector", "tlp", "poete"], name="needs_total_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.sector} {self.tlp} {self.poete}: {self.answers}"

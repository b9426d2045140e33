"""The hazard catalogue is in every database: after migrating, and again after a flush empties it."""

import pytest
from django.core.management import call_command

from commonground.risks.choices import hazard_catalogue
from commonground.risks.models import Hazard


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_catalogue_in_place_for_the_tests_after_it():
    codes = {row["code"] for row in hazard_catalogue()}
    assert set(Hazard.objects.filter(community=None).values_list("code", flat=True)) == codes
    call_command("flush", interactive=False, verbosity=0)
    assert set(Hazard.objects.filter(community=None).values_list("code", flat=True)) == codes


@pytest.mark.django_db
def test_migrating_again_keeps_one_row_a_hazard():
    before = Hazard.objects.filter(community=None).count()
    call_command("migrate", verbosity=0)
    assert Hazard.objects.filter(community=None).count() == before

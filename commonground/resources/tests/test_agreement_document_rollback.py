"""An agreement's document outlives a delete that is rolled back: the file goes only when the row does."""

from django.db import transaction

from commonground.resources import services
from commonground.resources.models import Agreement
from commonground.resources.tests.factories import signed_agreement


def test_a_rolled_back_agreement_delete_keeps_its_document(table):
    agreement = signed_agreement(table)
    name, pk = agreement.document.name, agreement.pk
    with transaction.atomic():
        services.agreement_delete(actor=None, agreement=agreement)
        transaction.set_rollback(True)
    agreement = Agreement.objects.get(pk=pk)
    assert agreement.document.name == name
    assert agreement.document.storage.exists(name), "the row is back but its document is gone"


def test_a_committed_agreement_delete_removes_its_document(table, django_capture_on_commit_callbacks):
    agreement = signed_agreement(table)
    storage, name = agreement.document.storage, agreement.document.name
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_delete(actor=None, agreement=agreement)
    assert not storage.exists(name)

import factory

from commonground.core.tlp import TLP
from commonground.resources.models import Resource


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    name = factory.Sequence(lambda n: f"Generator {n}")
    kind = "equipment"
    category = "esf12"
    capacity = 150
    capacity_unit = "kW"
    quantity = 1
    latitude = 42.73
    longitude = -84.55
    tlp = TLP.GREEN


def signed_agreement(table, *, document: bytes = b"%PDF-1.7 test", **fields):
    """A mutual-aid agreement between the table's private and public organizations, its document attached,
    made through the service as the system (no actor)."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from commonground.resources import services

    return services.agreement_create(
        actor=None, community=table.community, organization=table.private_org,
        parties=[table.private_org, table.public_org], title="Mutual aid", starts_on=datetime.date(2026, 1, 1),
        document=SimpleUploadedFile("mou.pdf", document), **fields,
    )  # fmt: skip

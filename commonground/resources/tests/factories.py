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

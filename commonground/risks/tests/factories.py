import factory

from commonground.core.tlp import TLP
from commonground.risks.models import CriticalFunction, Hazard, HazardAssessment


class CriticalFunctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriticalFunction

    name = factory.Sequence(lambda n: f"Function {n}")
    tlp = TLP.AMBER


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment of a catalogue hazard (tornado unless told); community and organization are given."""

    class Meta:
        model = HazardAssessment

    hazard = factory.LazyFunction(lambda: Hazard.objects.get(community=None, code="tornado"))
    likelihood = 3
    impact_life_safety = 3
    impact_operations = 3
    impact_property = 3
    vulnerability = 3
    preparedness = 3
    tlp = TLP.AMBER

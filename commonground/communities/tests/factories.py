import factory

from commonground.communities.models import CoChair, Community, Membership


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    kind = "county"
    state = "MI"
    center_latitude = 42.73
    center_longitude = -84.55


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    community = factory.SubFactory(CommunityFactory)
    organization = factory.SubFactory("commonground.registry.tests.factories.OrganizationFactory")


class CoChairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoChair

    community = factory.SubFactory(CommunityFactory)
    person = factory.SubFactory("commonground.registry.tests.factories.PersonFactory")

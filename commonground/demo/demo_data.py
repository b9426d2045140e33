"""The demo community: a fictional tri-county region whose partnership has met for two years.

Everything is made through the product's own services, the way its users would make it: the
facilitator starts the community and invites the first leaders, who accept from their links,
invite others, and import the rest of the table.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from commonground.communities import services as community_services
from commonground.communities.models import Community
from commonground.registry import services as registry_services
from commonground.registry.imports import OrganizationImporter, PersonImporter
from commonground.registry.tokens import make_token
from commonground.socialcapital.services import network_history

from . import generators, history
from .credentials import seed_credentials
from .exercises import seed_meetings
from .incidents import seed_incidents
from .newsletters import load_newsletters
from .program import load_program
from .seeding import community_today, seed_issues, seed_needs, seed_risks
from .table_rows import MORE_TABLE

SLUG = "riverbend"
PASSWORD = "commonground-demo"

TABLE = [
    # name, sector, category, level, ci_sector, employees, zip
    ("Riverbend Police Department", "public", "police", "local", "emergency_services", 310, "48933"),
    ("Riverbend Fire Department", "public", "fire", "local", "emergency_services", 205, "48933"),
    ("Tri-County Emergency Medical Services", "public", "ems", "local", "emergency_services", 140, "48906"),
    (
        "Tri-County Health Department",
        "public",
        "public_health",
        "local",
        "healthcare_public_health",
        260,
        "48911",
    ),
    (
        "Michigan State Police, Sixth District",
        "public",
        "homeland_security",
        "state",
        "emergency_services",
        120,
        "48906",
    ),
    (
        "Riverbend Department of Public Works",
        "public",
        "public_works",
        "local",
        "water_wastewater",
        180,
        "48912",
    ),
    (
        "Capital Area Transit Authority",
        "public",
        "public_transportation",
        "local",
        "transportation_systems",
        420,
        "48910",
    ),
    (
        "Riverbend City Manager's Office",
        "public",
        "government_administration",
        "local",
        "government_facilities",
        60,
        "48933",
    ),
    (
        "Riverbend Parks and Recreation",
        "public",
        "parks_recreation",
        "local",
        "government_facilities",
        75,
        "48912",
    ),
    (
        "Riverbend Economic Development Corporation",
        "public",
        "economic_development",
        "local",
        "",
        12,
        "48933",
    ),
    ("Riverbend Board of Water and Light", "public", "utility", "local", "energy", 720, "48906"),
    ("Nottawa Band Tribal Police", "public", "police", "tribal", "emergency_services", 18, "48864"),
    (
        "Riverbend County Medical Center",
        "nonprofit",
        "hospital_health_care",
        "",
        "healthcare_public_health",
        8200,
        "48912",
    ),
    ("Great Lakes Auto Assembly", "private", "large_employer", "", "critical_manufacturing", 6100, "48917"),
    ("Capital Grocers Cooperative", "private", "small_employer", "", "food_agriculture", 85, "48823"),
    ("Meridian Hardware", "private", "small_employer", "", "commercial_facilities", 7, "48864"),
    (
        "Keystone Engineering",
        "private",
        "public_sector_contractor",
        "",
        "critical_manufacturing",
        140,
        "48911",
    ),
    ("Riverbend Regional Chamber of Commerce", "nonprofit", "chamber_business_group", "", "", 14, "48933"),
    (
        "Mid-Michigan Chapter of ASIS International",
        "nonprofit",
        "professional_association",
        "",
        "",
        0,
        "48823",
    ),
    (
        "Riverbend Regional Airport Authority",
        "public",
        "airport",
        "local",
        "transportation_systems",
        95,
        "48906",
    ),
    ("American Red Cross, Mid-Michigan Chapter", "nonprofit", "red_cross_voluntary", "", "", 45, "48912"),
    ("Tri-County Citizen Corps Council", "nonprofit", "citizen_corps", "", "", 0, "48933"),
    ("Red Cedar Community College", "public", "education", "local", "government_facilities", 900, "48933"),
    ("Summit Telecom", "private", "utility", "", "communications", 380, "48917"),
]

LEADERS = {
    # username: (first, last, title, organization name, invited as co-chair, invited by)
    "cochair.public": ("Dana", "Whitfield", "Emergency Management Coordinator", "Riverbend Office of Emergency Management", True, "facilitator"),
    "cochair.private": ("Marcus", "Reyes", "Director of Corporate Security", "Great Lakes Logistics", True, "facilitator"),
    "orgadmin": ("Priya", "Raman", "Business Continuity Manager", "Capital Grocers Cooperative", False, "cochair.private"),
    "member": ("Tom", "Kowalski", "Battalion Chief", "Riverbend Fire Department", False, "cochair.public"),
}  # fmt: skip

NEW_ORGANIZATIONS = {
    "Riverbend Office of Emergency Management": {"sector": "public", "category": "emergency_management", "level": "local", "zip_code": "48933", "employees": 9},
    "Great Lakes Logistics": {"sector": "private", "category": "large_employer", "ci_sector": "transportation_systems", "zip_code": "48917", "employees": 2300},
}  # fmt: skip


def _table_rows(table):
    towns = {zip_code: town for town, _state, zip_code, *_place in generators.PLACES}
    for name, sector, category, level, ci, employees, zip_code in table:
        yield {
            "name": name, "sector": sector, "category": category, "level": level, "ci_sector": ci,
            "employees": str(employees or ""), "zip_code": zip_code, "state": "MI",
            "city": towns.get(zip_code, "Riverbend"),
        }  # fmt: skip


def demo_exists() -> bool:
    return Community.objects.filter(slug=SLUG).exists()


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
@transaction.atomic
def load_demo() -> Community:
    """Build the demo community through the services, as its users would."""
    User = get_user_model()
    facilitator = User.objects.create_user(
        "facilitator",
        "facilitator@example.org",
        PASSWORD,
        first_name="Fran",
        last_name="Okoye",
        is_facilitator=True,
    )
    community = community_services.community_create(
        actor=facilitator,
        name="Riverbend Tri-County Region",
        slug=SLUG,
        time_zone="America/Detroit",
        description="A fictional region of three counties whose agencies and businesses plan for crises together.",
        coverage_threshold=60,
        **generators.REGION,
    )
    users = {"facilitator": facilitator}
    # The table itself, imported by the facilitator as the partnership's kick-off list.
    OrganizationImporter(actor=facilitator, community=community).run_rows(
        generators.numbered(_table_rows(TABLE))
    )
    organizations = {
        m.organization.name: m.organization for m in community.memberships.select_related("organization")
    }
    for username, (first, last, title, org_name, as_cochair, inviter) in LEADERS.items():
        invitation = registry_services.invitation_send(
            actor=users[inviter],
            community=community,
            email=f"{username}@example.org",
            name=f"{first} {last}",
            organization=organizations.get(org_name),
            organization_name="" if org_name in organizations else org_name,
            suggested_category=NEW_ORGANIZATIONS.get(org_name, {}).get("category", ""),
            as_cochair=as_cochair,
            message="Join us at the table.",
        )
        person = registry_services.invitation_accept(
            token=make_token(invitation),
            username=username,
            password=PASSWORD,
            first_name=first,
            last_name=last,
            title=title,
            phone="517-555-0100",
            organization_data=NEW_ORGANIZATIONS.get(org_name),
        )
        if org_name in organizations and username == "orgadmin":
            registry_services.person_update(actor=facilitator, person=person, data={"role": "admin"})
        organizations[person.organization.name] = person.organization
        users[username] = person.user
    # More of the table: those who came when the partnership was known, as the private co-chair's import,
    # and those its members invited.
    OrganizationImporter(actor=users["cochair.private"], community=community).run_rows(
        generators.numbered(_table_rows(MORE_TABLE))
    )
    history.load_invitations(community, users, PASSWORD)
    names = [name for name, *_rest in TABLE + MORE_TABLE]
    PersonImporter(actor=users["cochair.public"], community=community).run_rows(
        generators.numbered(generators.person_rows(names, 2, seed=7))
    )
    _load_resources(community, users)
    # Step 5: most of the table listed its critical functions and assessed its hazards at the partnership's
    # assessment workshop, where program staff entered the forms (the system acts, as in an import).
    seed_risks(community, share=0.7, seed=7, actor=None, through_services=True)
    # Step 3: the issues the table raised at its kick-off, endorsed, decided, and ordered by a dot vote.
    seed_issues(community, seed=7, actor=None, through_services=True)
    _load_agenda_vote(community, users)
    # Step 6: a needs assessment most of the table has answered.
    seed_needs(community, share=0.6, seed=7, actor=None, through_services=True)
    _load_goals(community, users)
    # Incidents: a winter storm the partnership managed and closed, and an exercise under way.
    seed_incidents(community, users)
    # Two years of it: the table growing, meetings every quarter, the founding tasks done one by one.
    history.play_history(community, users, LEADERS, [name for name, *_rest in TABLE])
    # Step 6: the workshop series, a past tabletop exercise and its improvement plan, a meeting to come,
    # each attended by those seated by its day (so after the history has seated them).
    seed_meetings(community, seed=7, actor=users["cochair.public"])
    # The network measured month by month over those two years (the worker's monthly work, done here at once).
    network_history(community, months=24)
    # The program around it: sister partnerships in other states at their own stages, and every community's
    # progress computed for the program's statistics.
    load_program(facilitator)
    # Newsletters: last month's, sent to the whole table and published, and this month's draft pre-filled.
    load_newsletters(community, users)
    # Issue 19: the re-entry credential program, with the grocery chain's staff credentialed.
    seed_credentials(community, users)
    return community


def _load_resources(community: Community, users: dict) -> None:
    """Step 4: what the organizations at the table can offer, imported by the system from their returns.

    Not as a co-chair: the rows mark organizations' resources TLP:AMBER+STRICT, which a co-chair who is
    no recipient could not see once written, and imports refuse that as the services do.
    """
    from commonground.registry.models import Organization
    from commonground.resources.imports import ResourceImporter

    organizations = (
        Organization.objects.in_community(community)
        .order_by("name")
        .values("name", "category", "latitude", "longitude")
    )
    report = ResourceImporter(actor=None, community=community).run_rows(
        generators.numbered(
            generators.resource_rows(organizations, 3, seed=7, today=community_today(community))
        )
    )
    if not report.ok:
        raise RuntimeError(f"demo resources failed: {report.errors[:3]}")


def _load_agenda_vote(community: Community, users: dict) -> None:
    """A closed dot vote of the organizations on the adopted issues, run by the public co-chair."""
    import random

    from commonground.agenda import services as agenda_services
    from commonground.agenda.models import Issue
    from commonground.registry.models import Organization

    adopted = list(Issue.objects.in_community(community).filter(status="adopted").order_by("title"))
    year = community_today(community).year + 1
    vote = agenda_services.vote_open(
        actor=users["cochair.public"], community=community, title=f"Order of the {year} agenda", kind="dot",
        issues=adopted, dots=5,
    )  # fmt: skip
    rng = random.Random(7)
    for organization in Organization.objects.in_community(community).order_by("name")[:20]:
        spread = [rng.choice(adopted).pk for _ in range(5)]
        choices = {str(pk): spread.count(pk) for pk in set(spread)}
        agenda_services.ballot_cast(actor=None, vote=vote, organization=organization, choices=choices)
    agenda_services.vote_close(actor=users["cochair.public"], vote=vote)


def _load_goals(community: Community, users: dict) -> None:
    """Goals against the top needs, and tasks in every status (one overdue), set by the public co-chair.

    Their dates count from today, so the plan shows the same story whenever the demo is loaded.
    """
    import datetime

    from commonground.core.viewer import viewer_for
    from commonground.registry.models import Organization
    from commonground.sustainability import services as plan_services
    from commonground.sustainability.models import NeedsAssessment
    from commonground.sustainability.priorities import needs_profile

    cochair = users["cochair.public"]
    assessment = NeedsAssessment.objects.get(community=community)
    top = [need.item for need in needs_profile(viewer=viewer_for(cochair), assessment=assessment).ranked[:4]]
    organizations = {o.name: o for o in Organization.objects.in_community(community)}
    fire, grocer = organizations["Riverbend Fire Department"], organizations["Capital Grocers Cooperative"]
    emergency = organizations["Riverbend Office of Emergency Management"]
    today = community_today(community)

    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    plans = plan_services.goal_create(
        actor=cochair, community=community, needs=top[:2], target_date=days(210),
        statement="Every member has a current, exercised emergency and continuity plan",
        measure="Thirty member plans reviewed with a public partner, and one tabletop exercise a year",
    )  # fmt: skip
    supplies = plan_services.goal_create(
        actor=cochair, community=community, needs=top[2:], target_date=days(395),
        statement="Critical supplies keep moving in a regional disruption",
        measure="Fuel and food priority lists agreed, and the resource database verified twice a year",
    )  # fmt: skip
    rows = [
        (plans, "review_business_plans", grocer, days(-60), "done"),
        (plans, "pandemic_plan", emergency, days(120), "in_progress"),
        (plans, "business_credentialing", emergency, days(-30), "blocked"),  # overdue
        (supplies, "resource_database", fire, days(60), "planned"),
    ]
    for goal, template, organization, due_on, status in rows:
        task = plan_services.task_create(
            actor=cochair, goal=goal, template=template, owner_organization=organization, due_on=due_on
        )
        if status != "planned":
            plan_services.task_progress(
                actor=cochair, task=task, status=status, note="Reported at the partnership meeting."
            )


DEMO_USERS = [
    ("facilitator", "facilitator (program staff, site-wide)"),
    ("cochair.public", "public-sector co-chair"),
    ("cochair.private", "private-sector co-chair"),
    ("orgadmin", "organization admin (Capital Grocers Cooperative)"),
    ("member", "member (Riverbend Fire Department)"),
]

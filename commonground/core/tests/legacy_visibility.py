"""The TLP condition as `VisibilityQuerySet.tlp_q` wrote it before it was made cheaper to compile (issue 17),
kept word for word as the oracle the new one is compared with (`test_visibility_condition.py`)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from commonground.core.tlp import TLP
from commonground.core.visibility import Viewer, VisibilityQuerySet


def _recipient_exists(qs: VisibilityQuerySet, relation: str, target_id: int | None) -> Q:
    if target_id is None:
        return Q(pk__in=[])
    if ":" in relation:
        accessor, column = relation.split(":")
        remote = getattr(qs.model, accessor).field
        return Q(Exists(remote.model.objects.filter(**{remote.name: OuterRef("pk"), column: target_id})))
    through, own_fk, other_fk = qs._through(relation)
    return Q(Exists(through.objects.filter(**{own_fk: OuterRef("pk"), f"{other_fk}_id": target_id})))


def legacy_tlp_q(qs: VisibilityQuerySet, viewer: Viewer) -> Q:
    """Return the condition under which the viewer may see a record's marked content (the old way)."""
    opts = qs._options()
    marking, owner = opts["marking"], opts["owner"]
    clear = Q(**{marking: TLP.CLEAR})
    if not viewer.is_authenticated:
        return clear
    owner_id = f"{owner}_id"
    own = Q(**{owner_id: viewer.organization_id}) if viewer.organization_id else Q(pk__in=[])
    relations = opts["recipient_organizations"] or ()
    named_org = Q(pk__in=[])
    for relation in (relations,) if isinstance(relations, str) else relations:
        named_org |= _recipient_exists(qs, relation, viewer.organization_id)
    named_person = (
        _recipient_exists(qs, opts["recipient_people"], viewer.person_id)
        if opts["recipient_people"]
        else Q(pk__in=[])
    )
    if opts["person"] and viewer.person_id:
        person_field = "pk" if opts["person"] == "self" else f"{opts['person']}_id"
        named_person |= Q(**{person_field: viewer.person_id})

    if viewer.is_facilitator:
        green, amber_audience = Q(), Q()
    elif opts["community"] and not qs._community_optional(opts["community"]):
        green, amber_audience = _community_audiences(viewer, opts["community"], own, named_org)
    elif opts["community"]:
        has_community = Q(**{f"{opts['community']}_id__isnull": False})
        by_community = _community_audiences(viewer, opts["community"], own, named_org)
        by_owner = _owner_audiences(viewer, owner_id, own, named_org)
        green = (has_community & by_community[0]) | (~has_community & by_owner[0])
        amber_audience = (has_community & by_community[1]) | (~has_community & by_owner[1])
    else:
        green, amber_audience = _owner_audiences(viewer, owner_id, own, named_org)
    green = Q(**{marking: TLP.GREEN}) & green
    amber = Q(**{marking: TLP.AMBER}) & amber_audience
    strict = Q(**{marking: TLP.AMBER_STRICT}) & (own | named_org)
    red = Q(**{marking: TLP.RED}) & named_person
    about_self = named_person if opts["person"] else Q(pk__in=[])
    return clear | green | amber | strict | red | about_self


def _community_audiences(viewer: Viewer, community: str, own: Q, named_org: Q) -> tuple[Q, Q]:
    community_id = f"{community}_id"
    green = Q(**{f"{community_id}__in": sorted(viewer.community_ids)}) | own
    cochaired = Q(**{f"{community_id}__in": sorted(viewer.cochair_community_ids)})
    return green, own | cochaired | named_org


def _owner_audiences(viewer: Viewer, owner_id: str, own: Q, named_org: Q) -> tuple[Q, Q]:
    green = Q(**{f"{owner_id}__in": viewer.peer_organization_ids}) | own
    return green, own | Q(**{f"{owner_id}__in": viewer.cochaired_organization_ids}) | named_org

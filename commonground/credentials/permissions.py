"""Who may set up the credential program, enrol, approve, activate, revoke and check."""

from __future__ import annotations

from commonground.core.visibility import Viewer


def is_cochair(viewer: Viewer, community) -> bool:
    return viewer.is_facilitator or viewer.is_cochair_of(community.pk)


def is_safety_admin(viewer: Viewer, community, program) -> bool:
    """An admin of the program's public-safety organization, at the table."""
    return (
        program is not None
        and viewer.is_organization_admin
        and viewer.organization_id == program.safety_organization_id
        and community.pk in viewer.community_ids
    )


def can_see_program(viewer: Viewer, community) -> bool:
    return viewer.is_facilitator or viewer.is_member_of(community.pk)


def can_manage_program(viewer: Viewer, community) -> bool:
    """Set up the program, its kinds, periods and restricted areas, and rotate its keys: the co-chairs."""
    return is_cochair(viewer, community)


def can_enrol(viewer: Viewer, community, organization=None) -> bool:
    """Enrol facilities and nominate employees: an organization's admins for it; co-chairs for any."""
    if is_cochair(viewer, community):
        return True
    return (
        viewer.is_organization_admin
        and community.pk in viewer.community_ids
        and (organization is None or viewer.organization_id == organization.pk)
    )


def can_approve(viewer: Viewer, community, program) -> bool:
    """Approve or refuse: a co-chair, or an admin of the public-safety organization (both must approve)."""
    return program is not None and (
        is_cochair(viewer, community) or is_safety_admin(viewer, community, program)
    )


def can_activate(viewer: Viewer, community, program) -> bool:
    """Officials activate the program: the co-chairs and the public-safety organization's admins."""
    return program is not None and (
        is_cochair(viewer, community) or is_safety_admin(viewer, community, program)
    )


def can_revoke(viewer: Viewer, credential, program) -> bool:
    """The approvers, and the admins of the holder's organization."""
    if can_approve(viewer, credential.community, program):
        return True
    return viewer.is_organization_admin and viewer.organization_id == credential.organization_id


def can_acknowledge(viewer: Viewer, nomination) -> bool:
    """The nominee reads and confirms the orientation; for someone without a login, their organization's
    admin records the signed paper copy."""
    if nomination.person_id and viewer.person_id == nomination.person_id:
        return True
    return viewer.is_organization_admin and viewer.organization_id == nomination.organization_id


def can_withdraw(viewer: Viewer, nomination) -> bool:
    """The nominee, and the admins of the nominating organization at the table."""
    if nomination.person_id and viewer.person_id == nomination.person_id:
        return True
    return (
        viewer.is_organization_admin
        and viewer.organization_id == nomination.organization_id
        and nomination.community_id in viewer.community_ids
    )


def can_upload_checks(viewer: Viewer, community) -> bool:
    """Any signed-in member of the community's table uploads a checkpoint's log."""
    return viewer.is_facilitator or viewer.is_member_of(community.pk)

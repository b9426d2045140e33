"""The national hazard catalogue (`data/hazards.json`) in the database: the hazards of no community.

Migration 0002 loads it, and so does every later `migrate` or `flush` (Django's post_migrate signal): a
catalogue changed in a release reaches the database with the release, and a database a test emptied
with `flush` holds it again, as every test expects.
"""

from __future__ import annotations


def hazard_catalogue_load(hazards) -> None:
    """Write the catalogue through `hazards` (a Hazard manager, historical or not, on one database)."""
    from .choices import hazard_catalogue

    for row in hazard_catalogue():
        hazards.update_or_create(
            community=None,
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "national_risk_index": row["nri"],
                "lifelines": row["lifelines"],
            },
        )


def load_after_migrate(sender, using, apps=None, **kwargs) -> None:
    """post_migrate: load the catalogue, unless the database was migrated back to before the Hazard model."""
    # `migrate` sends the state it reached; `flush` sends nothing, and the installed models are the state.
    try:
        model = (apps or sender.apps).get_model("risks", "Hazard")
    except LookupError:
        return
    hazard_catalogue_load(model.objects.using(using))

"""The race of `test_commitments` in a process of its own, on the database DATABASE_URL names (already migrated).

    DATABASE_URL=sqlite:////path/to/copy.sqlite3 python -m commonground.incidents.tests.racing

Prints one JSON line: the database, what each of the two commits got, and the units then held.
"""

import json
import os


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    django.setup()
    from django.db import connection

    from commonground.conftest import build_table
    from commonground.incidents.services import holdings
    from commonground.incidents.tests.test_commitments import race, race_scene

    scene = race_scene(build_table())
    outcomes = race(scene)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "in_memory": connection.vendor == "sqlite" and connection.is_in_memory_db(),
                "outcomes": outcomes,
                "held": holdings.units_held(resource_id=scene.resource),
            }
        )
    )


if __name__ == "__main__":
    main()

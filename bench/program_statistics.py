"""The program statistics' CPU for a visitor (every figure's suppression decided) beside a facilitator's (the
same queries, no suppression) in the same run (issue 18: the growth table's month-to-month differences).

Usage: python -m bench.program_statistics [SAMPLES]
Loads the demo (its sister partnerships' tables grew month by month, so many months add one or two
organizations) into a fresh installation on the database DATABASE_URL names (SQLite when unset) and calls
`selectors.statistics` for each viewer, interleaved. CPU is `time.process_time()` of this process. Prints one
JSON line: the median CPU milliseconds of each, the ratio, a visitor's with nothing cached (`settle_cpu_ms`:
what the first visitor after a data change pays when `refresh_progress` has not warmed the figures), and how
many growth cells a visitor gets suppressed.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from .common import setup_django


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    setup_django()
    from django.core.cache import cache

    from commonground.core.visibility import ANONYMOUS, Viewer
    from commonground.demo.demo_data import load_demo
    from commonground.program import selectors

    load_demo()
    facilitator = Viewer(user_id=1, is_facilitator=True)
    cpu: dict[str, list[float]] = {"visitor": [], "facilitator": [], "settle": []}
    for _i in range(samples):
        for name, viewer in (("visitor", ANONYMOUS), ("facilitator", facilitator)):
            start = time.process_time()
            selectors.statistics(viewer=viewer)
            cpu[name].append(time.process_time() - start)
        cache.clear()  # a visitor after a data change, before `refresh_progress` warmed the figures again
        start = time.process_time()
        selectors.statistics(viewer=ANONYMOUS)
        cpu["settle"].append(time.process_time() - start)
    rows = selectors.statistics(viewer=ANONYMOUS)["growth"]["rows"]
    cells = [cell for row in rows for series in ("organizations", "participants") for cell in row[series]]
    cells += [row[f"{series}_total"] for row in rows for series in ("organizations", "participants")]
    ms = {name: round(statistics.median(values) * 1000, 2) for name, values in cpu.items()}
    print(json.dumps({
        "visitor_cpu_ms": ms["visitor"], "facilitator_cpu_ms": ms["facilitator"],
        "ratio": round(ms["visitor"] / ms["facilitator"], 2), "settle_cpu_ms": ms["settle"],
        "growth_cells": len(cells), "growth_cells_suppressed": sum(cell.suppressed for cell in cells),
    }))  # fmt: skip


if __name__ == "__main__":
    main()

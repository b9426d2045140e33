"""Run every benchmark and print each figure beside a baseline measured in the same run.

    python -m bench            the goals of issue 2 (10k and 100k imports, 1M memory, API list), of issue 14
                               (the allocation: 5,000 requests x 100,000 resources), of issue 17 (lists, pages,
                               seeding at state scale), of issue 18 (the network measures of 10,000
                               organizations, 100,000 ties) and of issue 19 (the revocation check with 100,000
                               revoked credentials)
    BENCH_QUICK=1 python -m bench   smaller sizes, for CI
    BENCH_DATABASE=sqlite|postgres|both   the engines of the resource and organization list, page CPU and
                               seeding benchmarks (issue 17; default sqlite); PostgreSQL's scratch databases
                               are made on BENCH_POSTGRES_URL's server
    python -m bench newsletters    the newsletter sent to 5,000 recipients through the task queue (issue 18)
    python -m bench seed_scale     one benchmark by name (any of those below)
    BENCH_JOBS=2 python -m bench   two benchmarks at a time, each on one engine (bench.jobs; CI's way)
Each benchmark runs in its own process with its own fresh database (SQLite, unless said otherwise).
"""

from __future__ import annotations

import os
import sys

from .common import bench_databases, line, scratch_database
from .jobs import JOBS, PART, run_side_by_side
from .pages import needs_page, page_cpu  # noqa: F401 (run by name)
from .partnership import credentials, network, newsletters  # noqa: F401 (run by name)
from .runner import QUICK, run


def imports() -> None:
    small = 2_000 if QUICK else 10_000
    real = run("bench.import_organizations", str(small))
    raw = run("bench.import_organizations", str(small), "--baseline")
    line(
        f"import {small:,} organizations (CSV, validation, audit)",
        f"{real['seconds']:.2f} s",
        f"{raw['seconds']:.3f} s",
        real["seconds"] / raw["seconds"],
        "under 4 s",
        real["seconds"] < 4 * small / 10_000,
    )
    large = 20_000 if QUICK else 100_000
    real = run("bench.import_organizations", str(large))
    raw = run("bench.import_organizations", str(large), "--baseline")
    ratio = real["seconds"] / raw["seconds"]
    # The goal is set at 100,000 rows; at CI size the import's fixed costs weigh more than its rows.
    line(
        f"import {large:,} organizations: rows per second",
        f"{large / real['seconds']:,.0f} rows/s",
        f"{large / raw['seconds']:,.0f} rows/s",
        ratio,
        "within 4x of raw executemany" + (" (judged at 100,000)" if QUICK else ""),
        None if QUICK else ratio <= 4,
    )
    # The same baseline given the application's 64 MB page cache: what the import costs above SQLite.
    tuned = run("bench.import_organizations", str(large), "--baseline-tuned")
    line(
        "  the same, baseline with the application's PRAGMAs",
        f"{large / real['seconds']:,.0f} rows/s",
        f"{large / tuned['seconds']:,.0f} rows/s",
        real["seconds"] / tuned["seconds"],
        "(for information)",
    )
    huge = 100_000 if QUICK else 1_000_000
    peak = run("bench.import_organizations", str(huge))
    line(
        f"import {huge:,} organizations: peak memory",
        f"{peak['peak_rss_mb']:.0f} MB",
        f"{real['peak_rss_mb']:.0f} MB @{large:,}",
        peak["peak_rss_mb"] / real["peak_rss_mb"],
        "flat, under 300 MB",
        peak["peak_rss_mb"] < 300,
    )


def api() -> None:
    organizations = 2_000 if QUICK else 10_000
    result = run("bench.api_list", str(organizations), "50" if QUICK else "200")
    line(
        f"organization list API, 25 rows, {organizations:,} orgs, member",
        f"{result['api_ms']:.1f} ms",
        f"{result['trivial_ms']:.1f} ms",
        result["api_ms"] / result["trivial_ms"],
        "median under 10 ms (baseline: trivial view)",
        result["api_ms"] < 10,
    )


def resource_imports() -> None:
    organizations, per_organization = (2_000, 10) if QUICK else (100_000, 10)
    real = run("bench.import_resources", str(organizations), str(per_organization))
    raw = run("bench.import_resources", str(organizations), str(per_organization), "--baseline")
    ratio = real["seconds"] / raw["seconds"]
    line(
        f"import {real['rows']:,} resources: rows per second",
        f"{real['rows'] / real['seconds']:,.0f} rows/s",
        f"{raw['rows'] / raw['seconds']:,.0f} rows/s",
        ratio,
        "within 4x of raw executemany",
        ratio <= 4,
    )
    line(
        f"import {real['rows']:,} resources: peak memory",
        f"{real['peak_rss_mb']:.0f} MB",
        f"{raw['peak_rss_mb']:.0f} MB raw",
        real["peak_rss_mb"] / raw["peak_rss_mb"],
        "under 300 MB",
        real["peak_rss_mb"] < 300,
    )


def resources() -> None:
    organizations, per_organization = (2_000, 10) if QUICK else (100_000, 10)
    # The goals are set at 1,000,000 resources; at CI size the fixed cost of the ORM outweighs a tiny query.
    judged = not QUICK
    for engine in bench_databases():
        with scratch_database(engine) as url:
            result = run("bench.resource_search", str(organizations), str(per_organization),
                         "50" if QUICK else "200", database_url=url)  # fmt: skip
        size = f"{result['resources']:,} resources, {engine}"
        line(
            f"resource distance search (in process), {size}",
            f"{result['search_ms']:.1f} ms",
            f"{result['sql_ms']:.1f} ms",
            result["search_ms"] / result["sql_ms"],
            "within 2x of hand-written SQL" + ("" if judged else " (judged at 1,000,000)"),
            result["search_ms"] <= 2 * result["sql_ms"] if judged else None,
        )
        line(
            f"resource distance search API, {size}",
            f"{result['api_ms']:.1f} ms",
            f"{result['sql_ms']:.1f} ms",
            result["api_ms"] / result["sql_ms"],
            "within 2x of hand-written SQL" + ("" if judged else " (judged at 1,000,000)"),
            result["api_ms"] <= 2 * result["sql_ms"] if judged else None,
        )
        line(
            f"resource distance search API, {size}",
            f"{result['api_ms']:.1f} ms",
            f"{result['trivial_ms']:.1f} ms",
            result["api_ms"] / result["trivial_ms"],
            "median under 50 ms (baseline: trivial view)",
            result["api_ms"] < 50,
        )


def resource_lists() -> None:
    organizations, per_organization = (2_000, 10) if QUICK else (100_000, 10)
    # The goals are set at 1,000,000 resources; at CI size HTTP and the ORM's fixed cost outweigh a tiny query.
    judged = not QUICK
    for engine in bench_databases():
        with scratch_database(engine) as url:
            result = run("bench.resource_lists", str(organizations), str(per_organization),
                         "30" if QUICK else "100", database_url=url)  # fmt: skip
        size = f"{result['resources']:,} resources, {engine}"
        ratio = result["search_ms"] / result["sql_ms"]
        line(
            f"resource text search API ?q=generator, {size}",
            f"{result['search_ms']:.1f} ms",
            f"{result['sql_ms']:.1f} ms",
            ratio,
            "within 3x of a hand-written full-text query" + ("" if judged else " (judged at 1,000,000)"),
            ratio <= 3 if judged else None,
        )
        ratio = result["unfiltered_ms"] / result["selective_ms"]
        estimate = " (count estimated)" if result["unfiltered_count_is_estimate"] else ""
        line(
            f"  unfiltered resource list API{estimate}",
            f"{result['unfiltered_ms']:.1f} ms",
            f"{result['selective_ms']:.1f} ms",
            ratio,
            "within 3x of the same page filtered by one organization",
            ratio <= 3 if judged else None,
        )
        line(
            "  resource text search API against the trivial view",
            f"{result['search_ms']:.1f} ms",
            f"{result['trivial_ms']:.1f} ms",
            result["search_ms"] / result["trivial_ms"],
            "(for information)",
        )


def seed_scale() -> None:
    """`commonground seed` at N and 4N organizations (ten resources each): memory flat, time linear."""
    small, per_organization = (300 if QUICK else 5_000), 10
    state = 100_000  # the state-scale goal: 100,000 organizations, 1,000,000 resources
    for engine in bench_databases():
        results = []
        for organizations in (small, 4 * small):
            with scratch_database(engine) as url:
                results.append(
                    run("bench.seed_scale", str(organizations), str(per_organization), database_url=url)
                )
        n, large = results
        size = f"{large['organizations']:,} vs {n['organizations']:,} organizations, {engine}"
        ratio = large["peak_rss_mb"] / n["peak_rss_mb"]
        line(
            f"seed {size}: peak memory",
            f"{large['peak_rss_mb']:.0f} MB",
            f"{n['peak_rss_mb']:.0f} MB",
            ratio,
            "flat (about 1x)",
            ratio <= 1.25,
        )
        # Extrapolated along the line through both sizes: what memory still grows with size, at state scale.
        # SQLite's page cache (SQLITE_CACHE_KB, 64 MB) fills as the database grows until it is full, which
        # at quick sizes looks like growth: judged at full size, where it is full at both.
        growth = (large["peak_rss_mb"] - n["peak_rss_mb"]) / (large["organizations"] - n["organizations"])
        at_state = large["peak_rss_mb"] + max(0.0, growth) * (state - large["organizations"])
        line(
            f"  extrapolated to {state:,} organizations, {state * per_organization:,} resources",
            f"{at_state:.0f} MB",
            f"{large['before_seed_rss_mb']:.0f} MB unseeded",
            at_state / large["before_seed_rss_mb"],
            "under 500 MB" + (" (judged at 5,000 and 20,000)" if QUICK else ""),
            None if QUICK else at_state < 500,
        )
        for kind, label in (("seconds", "wall"), ("cpu_seconds", "CPU")):
            ratio = large[kind] / n[kind]
            line(
                f"  seed time ({label}), 4x the organizations",
                f"{large[kind]:.1f} s",
                f"{n[kind]:.1f} s",
                ratio,
                "about 4x: linear in size (over 4x: worse than linear)",
                ratio <= 5 if kind == "cpu_seconds" else None,
            )


def list_apis() -> None:
    """The organization and resource list APIs with the common filters against the API root (issue 17), at state
    size (100,000 organizations, 1,000,000 resources) in the full run."""
    organizations, per_organization = (1_000, 10) if QUICK else (100_000, 10)
    for engine in bench_databases():
        with scratch_database(engine) as url:
            result = run("bench.list_apis", str(organizations), str(per_organization), "20" if QUICK else "60",
                         database_url=url)  # fmt: skip
        for role, figures in result["roles"].items():
            root = figures.pop("root")
            for name, figure in figures.items():
                ratio = figure / root
                line(
                    f"{name} API, {role}, {result['resources']:,} resources, {engine}",
                    f"{figure:.1f} ms",
                    f"{root:.1f} ms",
                    ratio,
                    "within 2x of the API root (/api/v1/)",
                    ratio <= 2,
                )


def bulk_insert() -> None:
    """core.bulk.insert_returning_ids on PostgreSQL: UNNEST against the multi-row VALUES it replaced (issue 17)."""
    if "postgres" not in bench_databases():
        return
    rows = 5_000 if QUICK else 50_000
    with scratch_database("postgres") as url:
        result = run("bench.bulk_insert", str(rows), "3", database_url=url)
    for way, goal in (
        ("values", "faster than the multi-row VALUES it replaced"),
        ("copy", "(for information)"),
    ):
        ratio = result["unnest_seconds"] / result[f"{way}_seconds"]
        line(
            f"insert {rows:,} resources, UNNEST vs {way.upper()}, postgres",
            f"{rows / result['unnest_seconds']:,.0f} rows/s",
            f"{rows / result[f'{way}_seconds']:,.0f} rows/s",
            ratio,
            goal,
            ratio < 1 if way == "values" else None,
        )


def organization_lists() -> None:
    organizations = 2_000 if QUICK else 100_000
    # The goals are set at 100,000 organizations; at CI size HTTP and the ORM's fixed cost outweigh a tiny query.
    judged = not QUICK
    for engine in bench_databases():
        with scratch_database(engine) as url:
            result = run(
                "bench.organization_lists", str(organizations), "10" if QUICK else "100", database_url=url
            )
        size = f"{result['organizations']:,} orgs, {engine}"
        figures = [
            (f"organization text search API ?q=keystone, {size}", "search", "sql",
             "within 3x of a hand-written full-text query", True),
            ("  unfiltered organization list API", "unfiltered", "selective",
             "within 3x of the same page filtered by ?level=tribal", True),
            (f"  page {result['deep_page']:,} of the list API by its cursor", "deep_cursor", "unfiltered",
             "within 3x of the first page", True),
            (f"  page {result['deep_page']:,} of the list API by number alone", "deep_offset", "unfiltered",
             "(for information: offset)", False),
            (f"  page {result['deep_page']:,} of the organization page by cursor", "page_deep_cursor", "page_first",
             "within 3x of the first page", True),
            (f"  page {result['deep_page']:,} of the organization page by number", "page_deep_offset", "page_first",
             "(for information: offset)", False),
            ("  organization text search API against the trivial view", "search", "trivial",
             "(for information)", False),
        ]  # fmt: skip
        for name, figure, baseline, goal, judge in figures:
            ratio = result[f"{figure}_ms"] / result[f"{baseline}_ms"]
            line(
                name,
                f"{result[f'{figure}_ms']:.1f} ms",
                f"{result[f'{baseline}_ms']:.1f} ms",
                ratio,
                goal + (" (judged at 100,000)" if judge and not judged else ""),
                (ratio <= 3 if judged else None) if judge else None,
            )


def allocation() -> None:
    requests, resources = (500, 10_000) if QUICK else (5_000, 100_000)
    result = run("bench.allocate", str(requests), str(resources))
    for name, label in (("state", "state-wide"), ("incident", "one incident")):
        figures = result[name]
        optimal, greedy = figures["optimal"], figures["greedy"]
        size = f"{requests:,} x {result['resources']:,} {label}"
        # The goal is set at 5,000 x 100,000; judged on the state-wide requests, like `seed --spread 2`.
        judged = not QUICK and name == "state"
        line(
            f"allocation {size}: optimal vs greedy",
            f"{figures['optimal_seconds']:.2f} s",
            f"{figures['greedy_seconds']:.2f} s",
            figures["optimal_seconds"] / figures["greedy_seconds"],
            f"optimal under 10 s (it took {figures['optimal_cpu_seconds']:.1f} s of CPU)"
            + ("" if judged else "; judged state-wide at 5,000 x 100,000"),
            figures["optimal_seconds"] < 10 if judged else None,
        )
        line(
            "  priority-weighted units served",
            f"{optimal['weighted_units']:,}",
            f"{greedy['weighted_units']:,}",
            optimal["weighted_units"] / max(1, greedy["weighted_units"]),
            "at least the greedy's",
            optimal["weighted_units"] >= greedy["weighted_units"],
        )
        line(
            "  unit-km travelled",
            f"{optimal['distance_m'] / 1000:,.0f}",
            f"{greedy['distance_m'] / 1000:,.0f}",
            optimal["distance_m"] / max(1, greedy["distance_m"]),
            "(for information: the least for those units)",
        )


if __name__ == "__main__":
    every = [
        "imports", "api", "resource_imports", "resources", "resource_lists", "organization_lists", "page_cpu",
        "needs_page", "seed_scale", "bulk_insert", "list_apis", "allocation", "network", "newsletters", "credentials",
    ]  # fmt: skip
    names = sys.argv[1:] or every
    for name in names:
        if name not in every:
            raise SystemExit(f"no benchmark {name!r}; the benchmarks are {', '.join(every)}")
    if not os.environ.get(PART):
        print(
            f"Common Ground benchmarks{' (quick)' if QUICK else ''}; figure beside a baseline from the same run"
            + (f"; {JOBS} benchmarks at a time" if JOBS > 1 else "")
        )
    if JOBS > 1 and not os.environ.get(PART):
        run_side_by_side(names)
    else:
        for name in names:
            globals()[name]()

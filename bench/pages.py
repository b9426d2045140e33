"""The benchmarks of pages' server CPU beside the trivial view's (issue 17): every page of the demo, and the needs
profile of one community's assessment at scale."""

from __future__ import annotations

from .common import bench_databases, line, scratch_database
from .page_cpu import TRIVIAL
from .runner import QUICK, run


def page_cpu() -> None:
    """Each main page's server CPU, in process, beside the trivial view's (issue 17)."""
    for engine in bench_databases():
        with scratch_database(engine, demo=True) as url:
            result = run("bench.page_cpu", "10" if QUICK else "40", database_url=url, demo=True)
        other = " (the database server's CPU not counted)" if engine == "postgres" else ""
        for role, figures in result["roles"].items():
            trivial = figures.pop(TRIVIAL)["cpu_ms"]
            if role == "member":
                line(
                    f"sign-in with the password (Argon2), demo, {engine}",
                    f"{result['sign_in_cpu_ms']:.0f} ms",
                    f"{trivial:.1f} ms",
                    result["sign_in_cpu_ms"] / trivial,
                    "(for information: once a session, not in the pages' figures)",
                )
            for page, figure in figures.items():
                ratio = figure["cpu_ms"] / trivial
                line(
                    f"page CPU, {page}, {role}, {engine}",
                    f"{figure['cpu_ms']:.1f} ms",
                    f"{trivial:.1f} ms",
                    ratio,
                    f"within 10x of the trivial view's{other}",
                    ratio <= 10,
                )


def needs_page() -> None:
    """The needs profile of one community's assessment at scale, kept between writes and after one (issue 17)."""
    organizations = 2_000 if QUICK else 20_000
    for engine in bench_databases():
        with scratch_database(engine) as url:
            result = run("bench.needs_page", str(organizations), "5" if QUICK else "9", database_url=url)
        answers = f"{result['needs_answers']:,} answers"
        for role, figures in result["roles"].items():
            for way, beside in (("", TRIVIAL), (", after a write", f"{TRIVIAL}, beside after a write"),
                                (", by organization", f"{TRIVIAL}, beside by organization")):  # fmt: skip
                for page in ("needs profile page", "needs profile API"):
                    figure, trivial = figures[page + way]["cpu_ms"], figures[beside]["cpu_ms"]
                    goal = (
                        way != ", by organization"
                    )  # the way it was read before the kept sums: for information
                    other = " (the database server's CPU not counted)" if engine == "postgres" else ""
                    line(
                        f"{page}{way or ', kept between writes'}, {answers}, {role}, {engine}",
                        f"{figure:.1f} ms",
                        f"{trivial:.1f} ms",
                        figure / trivial,
                        f"within 10x of the trivial view's{other}"
                        if goal
                        else "(for information: as it was read)",
                        figure / trivial <= 10 if goal else None,
                    )

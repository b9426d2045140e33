"""The benchmarks of the partnership's own capabilities: its network, its newsletters, its credentials."""

from __future__ import annotations

from .common import line
from .runner import QUICK, run


def network() -> None:
    """Every network measure of a large table, betweenness sampled; the estimate checked against the exact."""
    organizations, ties, check = (6_000, 30_000, 1_000) if QUICK else (10_000, 100_000, 2_000)
    result = run("bench.network", str(organizations), str(ties), "--check", str(check))
    judged = not QUICK
    exact = result["check_exact_seconds"]
    line(
        f"network measures, {organizations:,} orgs, {ties:,} ties (all)",
        f"{result['seconds']:.2f} s",
        f"{exact:.2f} s",
        result["seconds"] / exact,
        f"under 5 s (baseline: exact betweenness, {check:,} orgs)"
        + ("" if judged else " (judged at 10,000)"),
        result["seconds"] < 5 if judged else None,
    )
    line(
        f"  the same, CPU ({result['cores']} cores, load average {result['load_average']:.1f})",
        f"{result['cpu_seconds']:.2f} s",
        f"{result['seconds']:.2f} s wall",
        result["cpu_seconds"] / result["seconds"],
        "(for information: a load above the cores stretches the wall time)",
    )
    line(
        f"  of which betweenness, {result['samples']:,} samples",
        f"{result['betweenness_seconds']:.2f} s",
        f"{exact:.2f} s",
        result["betweenness_seconds"] / exact,
        f"(within {result['error_bound']:.3f} with probability {result['probability']:.2f})",
    )
    line(
        f"  of which suggested introductions ({result['suggestions']})",
        f"{result['suggestions_seconds']:.2f} s",
        f"{exact:.2f} s",
        result["suggestions_seconds"] / exact,
        "(for information)",
    )
    line(
        f"betweenness estimated on {check:,} orgs: largest error",
        f"{result['check_max_error']:.4f}",
        f"{result['check_bound']:.4f} bound",
        result["check_max_error"] / result["check_bound"],
        f"within the stated bound (largest exact value {result['check_largest_exact']:.4f})",
        result["check_max_error"] <= result["check_bound"],
    )
    line(
        "  the same, mean error",
        f"{result['check_mean_error']:.5f}",
        f"{result['check_bound']:.4f} bound",
        result["check_mean_error"] / result["check_bound"],
        "(for information)",
    )
    line(
        "  top 100 brokers shared with the exact top 100",
        f"{result['check_top100_overlap']} / 100",
        "100",
        result["check_top100_overlap"] / 100,
        "(for information)",
    )
    line(
        "  estimated against exact betweenness, time",
        f"{result['check_sampled_seconds']:.2f} s",
        f"{exact:.2f} s",
        result["check_sampled_seconds"] / exact,
        "(for information)",
    )


def newsletters() -> None:
    """A newsletter to 5,000 recipients through the task queue (its worker in the same process), each
    recipient's own edition and Delivery record, beside send_mass_mail of as many mails to the same locmem
    backend (issue 18)."""
    recipients = 1_000 if QUICK else 5_000
    result = run("bench.newsletter_send", str(recipients))
    line(
        f"newsletter to {recipients:,} recipients through the task queue vs send_mass_mail (locmem)",
        f"{result['queue_per_second']:,.0f} msg/s",
        f"{result['mass_per_second']:,.0f} msg/s",
        result["mass_per_second"] / result["queue_per_second"],
        f"(for information: {result['batches']} batches, {result['queue_seconds']:.1f} s, "
        f"{result['queue_queries']:,} queries; each mail its reader's edition, TLP applied, and a Delivery record)",
    )


def credentials() -> None:
    revoked = 20_000 if QUICK else 100_000
    result = run("bench.credentials", str(revoked))
    judged = not QUICK
    suffix = "" if judged else " (judged at 100,000)"
    line(
        f"credential revocation check online, {revoked:,} revoked",
        f"{result['online_ms']:.3f} ms",
        f"{result['pk_ms']:.3f} ms",
        result["online_ms"] / result["pk_ms"],
        "under 1 ms (baseline: a primary-key lookup)" + suffix,
        result["online_ms"] < 1 if judged else None,
    )
    line(
        f"  offline (the checkpoint's lists), {revoked:,} revoked",
        f"{result['offline_ms'] * 1000:.3f} us",
        f"{result['small_ms'] * 1000:.3f} us",
        result["offline_ms"] / result["small_ms"],
        "under 1 ms (baseline: a set of 10 ids)" + suffix,
        result["offline_ms"] < 1 if judged else None,
    )
    line(
        "  building the checkpoint lists",
        f"{result['bundle_seconds']:.2f} s",
        f"{result['index_ms'] / 1000:.3f} s",
        result["bundle_seconds"] / max(1e-9, result["index_ms"] / 1000),
        "(for information; baseline: the page's index of them)",
    )

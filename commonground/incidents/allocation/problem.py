"""An instance as arrays: its k-d trees, its feasible pairs, why a plan is empty, and a plan from moves."""

from __future__ import annotations

import itertools
import time

import numpy as np

from ..choices import PRIORITY_WEIGHTS
from .types import (
    NO_MATCH,
    NO_REQUESTS,
    NO_RESOURCES,
    RADIUS_SLACK,
    TOO_FAR,
    TOO_LATE,
    UNTYPED,
    Allocation,
    Move,
    _by_priority,
    _chord,
    _finite,
    _metres,
    _numbers,
    _pair_key,
    _round_half_up,
    great_circle_m,
    unit_vectors,
)


class Problem:
    """An instance as arrays: supplies and demands with units, their trees, reaches and costs."""

    def __init__(self, supplies, demands, *, speed_kmh: float, max_km: float, excluded=()):
        if not (_finite(speed_kmh) and speed_kmh > 0):
            raise ValueError("speed_kmh must be a positive number")
        if not (_finite(max_km) and max_km >= 0):
            raise ValueError("max_km must be zero or more")
        self.speed = float(speed_kmh) / 3.6  # metres a second
        self.max_m = float(max_km) * 1000.0
        supplies, demands = list(supplies), list(demands)
        # What cannot take part: no units, or no place on the map.
        s_units = _numbers([s.units for s in supplies], 0).astype(np.int64)
        s_lat, s_lon = _numbers([s.lat for s in supplies]), _numbers([s.lon for s in supplies])
        keep = np.flatnonzero((s_units > 0) & np.isfinite(s_lat) & np.isfinite(s_lon))
        supplies = [supplies[i] for i in keep.tolist()]
        s_units, s_lat, s_lon = s_units[keep], s_lat[keep], s_lon[keep]
        d_units = _numbers([d.units for d in demands], 0).astype(np.int64)
        d_lat, d_lon = _numbers([d.lat for d in demands]), _numbers([d.lon for d in demands])
        keep = np.flatnonzero((d_units > 0) & np.isfinite(d_lat) & np.isfinite(d_lon))
        demands = [demands[i] for i in keep.tolist()]
        d_units, d_lat, d_lon = d_units[keep], d_lat[keep], d_lon[keep]
        self.d_priority = np.array([int(d.priority) for d in demands], dtype=np.int64)
        self.requested = _by_priority(self.d_priority, d_units)
        self.ns, self.nd = len(supplies), len(demands)
        self.reason = NO_REQUESTS if not demands else (NO_RESOURCES if not supplies else "")
        if self.reason:
            return
        # Categories and kinds as numbers, one vocabulary for both sides.
        words = np.array(
            [str(s.category) for s in supplies]
            + [str(d.category) for d in demands]
            + [str(s.kind) for s in supplies]
            + [str(d.kind) for d in demands]
        )
        _, codes = np.unique(words, return_inverse=True)
        codes = codes.astype(np.int64)
        ns, nd = self.ns, self.nd
        terms = {t: i for i, t in enumerate(sorted({s.terms for s in supplies}))}

        self.s_id = np.array([s.id for s in supplies], dtype=np.int64)
        self.s_xyz = unit_vectors(s_lat, s_lon)
        self.s_units = s_units
        self.s_mob = (
            np.maximum(0.0, np.nan_to_num(_numbers([s.mobilization_hours for s in supplies], 0))) * 3600
        )
        self.s_cat, self.s_kind = codes[:ns], codes[ns + nd : ns + nd + ns]
        # An untyped resource meets no typed request: its type sorts after every type.
        self.s_cap = _numbers([s.capability_type for s in supplies], UNTYPED).astype(np.int64)
        self.s_term = np.array([terms[s.terms] for s in supplies], dtype=np.int64)

        self.d_id = np.array([d.id for d in demands], dtype=np.int64)
        self.d_xyz = unit_vectors(d_lat, d_lon)
        self.d_units = d_units
        self.d_weight = np.array(
            [PRIORITY_WEIGHTS.get(p, 1) for p in self.d_priority.tolist()], dtype=np.int64
        )
        self.d_need = np.nan_to_num(_numbers([d.needed_by for d in demands]), nan=-1.0, posinf=1e18)
        self.d_cat, self.d_kind = codes[ns : ns + nd], codes[2 * ns + nd :]
        self.d_subs = np.array([bool(d.substitutes_ok) for d in demands], dtype=bool)
        self.d_min = _numbers([d.min_capability_type for d in demands], UNTYPED).astype(np.int64)
        self.d_terms = np.zeros((self.nd, len(terms)), dtype=bool)
        for row, demand in enumerate(demands):
            for term in demand.accepted_terms or ():
                if term in terms:
                    self.d_terms[row, terms[term]] = True
        # The pairs an owner declined, as one number each (ids are below 2**31): never proposed again.
        self.excluded = np.array(sorted(_pair_key(s, d) for s, d in excluded), dtype=np.int64)
        self._build_trees()

    # -- the k-d trees ------------------------------------------------------------------------------------

    def _build_trees(self) -> None:
        """One tree per (category, kind) of supply; each demand's trees and its reach in each."""
        from scipy.spatial import cKDTree  # where used: SciPy takes a second of a process's start

        keys = self.s_cat * 1_000_003 + self.s_kind
        order = np.argsort(keys, kind="stable")
        _, starts = np.unique(keys[order], return_index=True)
        ends = np.r_[starts[1:], len(order)]
        self.trees = []
        for start, end in zip(starts, ends, strict=True):
            members = order[start:end]
            self.trees.append(
                {
                    "members": members,
                    "tree": cKDTree(self.s_xyz[members]),
                    "cat": int(self.s_cat[members[0]]),
                    "kind": int(self.s_kind[members[0]]),
                    "min_mob": float(self.s_mob[members].min()),
                    "size": len(members),
                }
            )
        # For each tree, the demands that may use it and how far they reach in it.
        self.tree_demands: list[np.ndarray] = []
        self.tree_reach: list[np.ndarray] = []
        self.d_reach = np.zeros(self.nd)  # the longest reach of each demand in any of its trees
        for tree in self.trees:
            usable = (self.d_cat == tree["cat"]) & ((self.d_kind == tree["kind"]) | self.d_subs)
            reach = np.minimum(self.max_m, (self.d_need - tree["min_mob"]) * self.speed)
            usable &= reach >= 0
            demands = np.flatnonzero(usable)
            self.tree_demands.append(demands)
            self.tree_reach.append(reach[demands])
            np.maximum.at(self.d_reach, demands, reach[demands])

    def _feasible(self, si: np.ndarray, di: np.ndarray, dist: np.ndarray) -> np.ndarray:
        """Which candidate pairs (from trees of the right category and kind) are feasible."""
        feasible = (
            (self.s_cap[si] <= self.d_min[di])
            & self.d_terms[di, self.s_term[si]]
            & (dist <= self.max_m)
            & (self.s_mob[si] + dist / self.speed <= self.d_need[di])
        )
        if len(self.excluded):
            feasible &= ~np.isin(_pair_key(self.s_id[si], self.d_id[di]), self.excluded)
        return feasible

    def _pairs(self, si, di) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        si = np.asarray(si, dtype=np.int64)
        di = np.asarray(di, dtype=np.int64)
        dist = great_circle_m(self.s_xyz[si], self.d_xyz[di])
        keep = self._feasible(si, di, dist)
        return si[keep], di[keep], dist[keep]

    def ball_pairs(self, demands: np.ndarray, radius: np.ndarray | None = None):
        """Every feasible pair of the demands within their reach (or within `radius`, metres, if smaller)."""
        wanted = np.zeros(self.nd, dtype=bool)
        wanted[demands] = True
        limit = np.full(self.nd, np.inf)
        if radius is not None:
            limit[demands] = radius
        parts_s, parts_d = [], []
        for t, tree in enumerate(self.trees):
            rows = wanted[self.tree_demands[t]]
            if not rows.any():
                continue
            ds = self.tree_demands[t][rows]
            r = np.minimum(self.tree_reach[t][rows], limit[ds])
            found = tree["tree"].query_ball_point(
                self.d_xyz[ds], _chord(r) * (1 + RADIUS_SLACK) + RADIUS_SLACK, return_sorted=False
            )
            lengths = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
            total = int(lengths.sum())
            if not total:
                continue
            flat = np.fromiter(itertools.chain.from_iterable(found), dtype=np.int64, count=total)
            parts_s.append(tree["members"][flat])
            parts_d.append(np.repeat(ds, lengths))
        if not parts_s:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        return self._pairs(np.concatenate(parts_s), np.concatenate(parts_d))

    def nearest_pairs(self, demands: np.ndarray, k: np.ndarray, radius: np.ndarray | None = None):
        """The feasible pairs among each demand's k nearest supplies in each of its trees, within its reach (or
        `radius`, metres, if smaller), and for each demand a lower bound (metres) on the distance of every
        feasible pair left out."""
        wanted = np.zeros(self.nd, dtype=bool)
        wanted[demands] = True
        k_of = np.zeros(self.nd, dtype=np.int64)
        k_of[demands] = k
        limit = np.full(self.nd, np.inf)
        if radius is not None:
            limit[demands] = radius
        bound = np.full(self.nd, np.inf)
        parts_s, parts_d = [], []
        for t, tree in enumerate(self.trees):
            rows = wanted[self.tree_demands[t]]
            if not rows.any():
                continue
            ds, reach = self.tree_demands[t][rows], self.tree_reach[t][rows]
            # One query per distinct k (k grows by powers of GROWTH, so there are few).
            for kk in np.unique(k_of[ds]).tolist():
                group = k_of[ds] == kk
                gd, greach = ds[group], reach[group]
                kk = min(int(kk), tree["size"])
                upper = float(_chord(np.minimum(greach, limit[gd]).max())) * (1 + RADIUS_SLACK) + RADIUS_SLACK
                chord, index = tree["tree"].query(self.d_xyz[gd], k=kk, distance_upper_bound=upper)
                chord, index = chord.reshape(len(gd), kk), index.reshape(len(gd), kk)
                found = index < tree["size"]
                # A row holding the whole tree leaves out nothing; a full row none nearer than its k-th
                # neighbour (and none past the reach is feasible); a row not full every supply past `upper`.
                whole = found[:, -1] & (kk >= tree["size"])
                full = found[:, -1] & (kk < tree["size"])
                kth = _metres(np.where(full, chord[:, -1], 0.0))
                upper_m = float(_metres(upper))
                left_out = np.where(
                    full,
                    np.where(kth <= greach, kth, np.inf),
                    np.where(whole | (upper_m >= greach), np.inf, upper_m),
                )
                np.minimum.at(bound, gd, left_out)
                rows_i, cols = np.nonzero(found)
                parts_s.append(tree["members"][index[rows_i, cols]])
                parts_d.append(gd[rows_i])
        if not parts_s:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0), bound[demands]
        si, di, dist = self._pairs(np.concatenate(parts_s), np.concatenate(parts_d))
        return si, di, dist, bound[demands]

    # -- reasons ------------------------------------------------------------------------------------------

    def why_empty(self) -> str:
        """Why no feasible pair exists: nothing matches, or what matches is too far, or too late."""
        from scipy.spatial import cKDTree

        attributes_match = False
        within_reach = False
        for tree in self.trees:
            usable = (self.d_cat == tree["cat"]) & ((self.d_kind == tree["kind"]) | self.d_subs)
            if not usable.any():
                continue
            members = tree["members"]
            # Group the tree's supplies by (capability type, terms): a handful of classes.
            classes = np.unique(np.column_stack((self.s_cap[members], self.s_term[members])), axis=0)
            for cap, term in classes.tolist():
                match = usable & (self.d_min >= cap) & self.d_terms[:, term]
                if not match.any():
                    continue
                attributes_match = True
                these = members[(self.s_cap[members] == cap) & (self.s_term[members] == term)]
                chord, _ = cKDTree(self.s_xyz[these]).query(self.d_xyz[match], k=1)
                if (_metres(chord) <= self.max_m).any():
                    within_reach = True
                    break
            if within_reach:
                break
        if not attributes_match:
            return NO_MATCH
        return TOO_LATE if within_reach else TOO_FAR

    # -- results ------------------------------------------------------------------------------------------

    def empty(self, method: str, reason: str, started: float) -> Allocation:
        return Allocation(
            method=method,
            moves=[],
            served_by_priority=dict.fromkeys(PRIORITY_WEIGHTS, 0),
            requested_by_priority=self.requested,
            weighted_units=0,
            distance_m=0,
            seconds=time.perf_counter() - started,
            reason=reason,
        )

    def allocation(self, method, si, di, units, dist, started, **extra) -> Allocation:
        keep = units > 0
        si, di, units, dist = si[keep], di[keep], units[keep], dist[keep]
        metres = _round_half_up(dist)
        seconds = _round_half_up(self.s_mob[si] + dist / self.speed)
        order = np.lexsort((si, di))
        moves = [
            Move(s, d, n, m, t)
            for s, d, n, m, t in zip(
                self.s_id[si[order]].tolist(),
                self.d_id[di[order]].tolist(),
                units[order].tolist(),
                metres[order].tolist(),
                seconds[order].tolist(),
                strict=True,
            )
        ]
        served = _by_priority(self.d_priority[di], units)
        return Allocation(
            method=method,
            moves=moves,
            served_by_priority=served,
            requested_by_priority=self.requested,
            weighted_units=int(sum(PRIORITY_WEIGHTS.get(p, 1) * n for p, n in served.items())),
            distance_m=sum(move.units * move.distance_m for move in moves),
            seconds=time.perf_counter() - started,
            reason="" if moves else self.why_empty(),
            **extra,
        )

"""The linear pieces of a network of piecewise-linear units on its input domain, exactly.

One input: the points of [-1, 1] where some unit changes piece. More inputs: the cube
[-1, 1]^d cut into convex cells on which every unit is affine. Either way, which units
are dead on the whole domain and whether the network's output is constant.
"""

from __future__ import annotations

import numpy as np

from .. import engine
from ..errors import UsageError
from ..variants import Variant
from .regions import Region, regions


MAX_PIECES = 200_000


def _dead_on_segments(z: np.ndarray, zero_regions: list[Region]) -> np.ndarray:
    """Per unit: is the pre-activation, linear on each segment between consecutive
    rows of ``z``, inside one zero-gradient region on every segment?"""
    if not zero_regions:
        return np.zeros(z.shape[1], bool)
    lo = np.minimum(z[:-1], z[1:]) if len(z) > 1 else z
    hi = np.maximum(z[:-1], z[1:]) if len(z) > 1 else z
    inside = np.zeros(lo.shape, bool)
    for region in zero_regions:
        inside |= (lo >= region.lo) & (hi <= region.hi)
    return inside.all(axis=0)


def network_on_interval(variant: Variant, params: dict, weights: list[np.ndarray],
                        biases: list[np.ndarray], layer_done=None) -> tuple[list[np.ndarray], list[bool]]:
    """Push the whole interval [-1, 1] through a 1-input network, exactly.

    A network of piecewise-linear activations is piecewise linear in its input: we
    keep the points where some unit changes piece (its pre-activation crosses a kink)
    and the layer outputs there; between them everything is linear. Returns, per
    layer, which units are dead on the whole interval, and whether that layer's output
    is constant (a network of that depth is born dead; so is every deeper one).
    """
    own = regions(variant, params)
    zero_regions = [r for r in own if r.zero]
    kinks = list(variant.kinks_for(params))
    xs = np.array([-1.0, 1.0])
    h = xs[:, None]
    dead_per_layer, constant_per_layer = [], []
    for w, b in zip(weights, biases):
        if layer_done is not None:  # progress: one more layer begun
            layer_done()
        z = h @ w.T + b
        dead_per_layer.append(_dead_on_segments(z, zero_regions))
        new_x = []
        za, zb = z[:-1], z[1:]
        for k in kinks:
            crossing = (za - k) * (zb - k) < 0
            if crossing.any():
                rows, cols = np.nonzero(crossing)
                t = (k - za[rows, cols]) / (zb[rows, cols] - za[rows, cols])
                new_x.append(xs[rows] + t * (xs[rows + 1] - xs[rows]))
        if new_x:
            extra = np.setdiff1d(np.concatenate(new_x), xs)
            if len(xs) + len(extra) > MAX_PIECES:
                raise UsageError(f"the network has more than {MAX_PIECES:,} linear pieces; "
                                 "use fewer layers or units")
            seg = np.clip(np.searchsorted(xs, extra) - 1, 0, len(xs) - 2)
            frac = ((extra - xs[seg]) / (xs[seg + 1] - xs[seg]))[:, None]
            h_extra = h[seg] + frac * (h[seg + 1] - h[seg])
            order = np.argsort(np.concatenate([xs, extra]), kind="stable")
            xs = np.concatenate([xs, extra])[order]
            h = np.concatenate([h, h_extra])[order]
            z = h @ w.T + b
        h = engine.forward(variant, z, **params)
        constant_per_layer.append(bool(np.all(h == h[0])))
    return dead_per_layer, constant_per_layer


class _Cell:
    """A convex polytope by its vertices and, per vertex, the ids of the constraints
    tight there (the double description), with the affine map h(x) = A x + c that the
    network's current layer computes on it."""

    __slots__ = ("vertices", "tight", "A", "c")

    def __init__(self, vertices, tight, A, c):
        self.vertices, self.tight, self.A, self.c = vertices, tight, A, c

    def cut(self, a: np.ndarray, b: float, new_id: int):
        """The two parts where a·x + b <= 0 and >= 0 (None when empty or flat). New
        vertices are where the plane meets an edge: two vertices form an edge when
        they share d - 1 tight constraints that no third vertex also has."""
        d = self.vertices.shape[1]
        s = self.vertices @ a + b
        scale = max(1.0, float(np.abs(s).max()))
        zero = np.abs(s) <= 1e-12 * scale
        minus, plus = (s < 0) & ~zero, (s > 0) & ~zero
        if not minus.any() or not plus.any():
            return (self, None) if not plus.any() else (None, self)
        new_vertices, new_tight = [], []
        tight = self.tight
        for u in np.flatnonzero(minus):
            for v in np.flatnonzero(plus):
                common = tight[u] & tight[v]
                if len(common) < d - 1:
                    continue
                if any(w != u and w != v and common <= tight[w] for w in range(len(tight))):
                    continue
                t = s[u] / (s[u] - s[v])
                new_vertices.append(self.vertices[u] + t * (self.vertices[v] - self.vertices[u]))
                new_tight.append(common | {new_id})
        on_plane = [tight[i] | {new_id} for i in np.flatnonzero(zero)]

        def part(side):
            keep = np.flatnonzero(side)
            vertices = np.concatenate([self.vertices[keep], self.vertices[zero],
                                       np.array(new_vertices).reshape(-1, d)])
            sets = [tight[i] for i in keep] + on_plane + new_tight
            if len(vertices) < d + 1 or np.linalg.matrix_rank(vertices[1:] - vertices[0]) < d:
                return None  # flat: no volume
            return _Cell(vertices, sets, self.A, self.c)

        return part(minus), part(plus)


def network_on_cube(variant: Variant, params: dict, weights: list[np.ndarray],
                    biases: list[np.ndarray], in_dim: int,
                    layer_done=None) -> tuple[list[np.ndarray], list[bool]]:
    """:func:`network_on_interval` for ``in_dim`` >= 2 inputs on [-1, 1]^in_dim, exactly:
    the cube is cut into convex cells on which every unit is affine (cut wherever a
    unit's pre-activation crosses a kink), and each unit's range on a cell is read at
    the cell's vertices (an affine function's extremes over a polytope are there)."""
    own = regions(variant, params)
    zero_regions = [r for r in own if r.zero]
    kinks = list(variant.kinks_for(params))
    corners = np.array(np.meshgrid(*[[-1.0, 1.0]] * in_dim, indexing="ij")).reshape(in_dim, -1).T
    tight = [frozenset(2 * i + (0 if x_i > 0 else 1) for i, x_i in enumerate(corner))
             for corner in corners]
    cells = [_Cell(corners, tight, np.eye(in_dim), np.zeros(in_dim))]
    next_id = 2 * in_dim
    dead_per_layer, constant_per_layer = [], []
    for w, b in zip(weights, biases):
        if layer_done is not None:
            layer_done()
        for cell in cells:  # z = Z x + zc on the cell
            cell.A, cell.c = w @ cell.A, w @ cell.c + b
        dead = np.ones(len(b), bool)
        for cell in cells:
            values = cell.vertices @ cell.A.T + cell.c
            lo, hi = values.min(axis=0), values.max(axis=0)
            inside = np.zeros(len(b), bool)
            for region in zero_regions:
                inside |= (lo >= region.lo) & (hi <= region.hi)
            dead &= inside
        dead_per_layer.append(dead)
        pieces = []
        for cell in cells:
            todo = [cell]
            for j in range(len(b)):
                for k in kinks:
                    cut = []
                    for piece in todo:
                        below, above = piece.cut(piece.A[j], piece.c[j] - k, next_id)
                        cut += [p for p in (below, above) if p is not None]
                        next_id += 1
                    todo = cut
            pieces += todo
            if len(pieces) > MAX_PIECES // 10:
                raise UsageError(f"the network has more than {MAX_PIECES // 10:,} linear "
                                 "pieces; use fewer layers, units or inputs")
        cells = []
        for piece in pieces:  # on each piece every unit is on one linear part
            z0 = piece.A @ piece.vertices.mean(axis=0) + piece.c
            slope = engine.gradient(variant, z0, **params)
            value = engine.forward(variant, z0, **params)
            cells.append(_Cell(piece.vertices, piece.tight, slope[:, None] * piece.A,
                               slope * piece.c + (value - slope * z0)))
        constant_per_layer.append(_constant(cells))
    return dead_per_layer, constant_per_layer


def _constant(cells: list[_Cell]) -> bool:
    """Whether the layer's output is one constant over every cell (to rounding)."""
    tolerance = 1e-12 * max(1.0, max(float(np.abs(c.c).max()) for c in cells))
    return all(np.abs(c.A).max() <= tolerance for c in cells) and all(
        np.abs(c.c - cells[0].c).max() <= tolerance for c in cells)

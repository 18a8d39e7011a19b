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
    tight there (the double description). The affine map the network computes on it
    is kept apart, in the arrays of :func:`network_on_cube` (one row per cell)."""

    __slots__ = ("vertices", "tight")

    def __init__(self, vertices, tight):
        self.vertices, self.tight = vertices, tight

    def cut(self, a: np.ndarray, b: float, new_id: int):
        """The two parts where a·x + b <= 0 and >= 0 (None when empty or flat). New
        vertices are where the plane meets an edge: two vertices form an edge when
        they share d - 1 tight constraints that no third vertex also has."""
        d = self.vertices.shape[1]
        s = self.vertices @ a + b
        low, high = float(s.min()), float(s.max())
        tolerance = 1e-12 * max(1.0, -low, high)
        if high <= tolerance:  # nothing strictly above the plane
            return self, None
        if low >= -tolerance:
            return None, self
        zero = np.abs(s) <= tolerance
        minus, plus = (s < 0) & ~zero, (s > 0) & ~zero
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
            # The plane has vertices more than the tolerance away on both sides, so it
            # passes through the interior and both parts have volume (a sliver at
            # least 1e-12 thick, far above what SVD calls rank-deficient): a part is
            # flat only with too few vertices.
            if len(vertices) < d + 1:
                return None
            return _Cell(vertices, sets)

        return part(minus), part(plus)


def network_on_cube(variant: Variant, params: dict, weights: list[np.ndarray],
                    biases: list[np.ndarray], in_dim: int,
                    layer_done=None) -> tuple[list[np.ndarray], list[bool]]:
    """:func:`network_on_interval` for ``in_dim`` >= 2 inputs on [-1, 1]^in_dim, exactly:
    the cube is cut into convex cells on which every unit is affine (cut wherever a
    unit's pre-activation crosses a kink), and each unit's range on a cell is read at
    the cell's vertices (an affine function's extremes over a polytope are there).

    The affine maps of all cells are stacked (``A``: cells x units x inputs, ``c``:
    cells x units) and each layer's ranges are read for every cell at once; only the
    cells some unit's range straddles a kink on are cut, one at a time."""
    zero_regions = [r for r in regions(variant, params) if r.zero]
    kinks = list(variant.kinks_for(params))
    corners = np.array(np.meshgrid(*[[-1.0, 1.0]] * in_dim, indexing="ij")).reshape(in_dim, -1).T
    tight = [frozenset(2 * i + (0 if x_i > 0 else 1) for i, x_i in enumerate(corner))
             for corner in corners]
    cells = [_Cell(corners, tight)]
    A, c = np.eye(in_dim)[None], np.zeros((1, in_dim))  # h = A x + c on each cell
    next_id = 2 * in_dim
    vertices = corners[None]
    dead_per_layer, constant_per_layer = [], []
    for w, b in zip(weights, biases):
        if layer_done is not None:
            layer_done()
        A, c = np.matmul(w, A), c @ w.T + b  # the pre-activations z = A x + c
        values = np.matmul(vertices, A.transpose(0, 2, 1)) + c[:, None, :]
        lo, hi = values.min(axis=1), values.max(axis=1)  # per cell and unit
        inside = np.zeros(lo.shape, bool)
        for region in zero_regions:
            inside |= (lo >= region.lo) & (hi <= region.hi)
        dead_per_layer.append(inside.all(axis=0))
        crossed = np.zeros(lo.shape, bool)
        for k in kinks:
            crossed |= _straddles(lo - k, hi - k)
        pieces, parents = [], []
        for index, cell in enumerate(cells):
            if crossed[index].any():
                cut, next_id = _split(cell, A[index], c[index], kinks, next_id)
                pieces += cut
                parents += [index] * len(cut)
            else:
                pieces.append(cell)
                parents.append(index)
        if len(pieces) > MAX_PIECES // 10:
            raise UsageError(f"the network has more than {MAX_PIECES // 10:,} linear "
                             "pieces; use fewer layers, units or inputs")
        cells, A, c = pieces, A[parents], c[parents]
        # on each piece every unit is on one linear part: read it at a point inside
        # (the mean of the stacked vertices: every vertex has a positive weight)
        vertices = _stacked_vertices(cells)
        centres = vertices.mean(axis=1)
        z0 = np.matmul(A, centres[:, :, None])[:, :, 0] + c
        slopes = engine.gradient(variant, z0, **params)
        A, c = slopes[:, :, None] * A, slopes * c + (engine.forward(variant, z0, **params)
                                                     - slopes * z0)
        constant_per_layer.append(_constant(A, c))
    return dead_per_layer, constant_per_layer


def _stacked_vertices(cells: list[_Cell]) -> np.ndarray:
    """The cells' vertices as one array (cells x most vertices x inputs), a cell with
    fewer vertices repeating its first (which changes no minimum or maximum)."""
    most = max(len(cell.vertices) for cell in cells)
    stacked = np.empty((len(cells), most, cells[0].vertices.shape[1]))
    for index, cell in enumerate(cells):
        count = len(cell.vertices)
        stacked[index, :count] = cell.vertices
        stacked[index, count:] = cell.vertices[0]
    return stacked


def _split(cell: _Cell, A: np.ndarray, c: np.ndarray, kinks: list[float],
           next_id: int) -> tuple[list[_Cell], int]:
    """``cell`` cut wherever a unit's pre-activation z = A x + c crosses a kink, unit
    after unit: each piece looks (at its vertices, all units at once) for the next unit
    whose range on it straddles a kink, so that only cuts that split something are
    tried. Returns the pieces and the next unused constraint id."""
    pieces, stack = [], [(cell, 0)]
    while stack:
        piece, start = stack.pop()
        values = piece.vertices @ A[start:].T + c[start:]
        lo, hi = values.min(axis=0), values.max(axis=0)
        crossed = [_straddles(lo - k, hi - k) for k in kinks]
        any_crossed = crossed[0] if len(crossed) == 1 else np.logical_or.reduce(crossed)
        if not any_crossed.any():
            pieces.append(piece)
            continue
        first = int(any_crossed.argmax())
        j = start + first
        parts = [piece]
        for k, crossing in zip(kinks, crossed):
            if crossing[first]:
                cut = []
                for part in parts:
                    cut += [p for p in part.cut(A[j], c[j] - k, next_id) if p is not None]
                    next_id += 1
                parts = cut
        stack += [(part, j + 1) for part in parts]
    return pieces, next_id


def _straddles(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Where a plane with these least and greatest signed values at a cell's vertices
    cuts it, to the tolerance :meth:`_Cell.cut` uses (a vertex within 1e-12 of the
    plane, relative, lies on it)."""
    tolerance = 1e-12 * np.maximum(np.maximum(-low, high), 1.0)
    return (low < -tolerance) & (high > tolerance)


def _constant(A: np.ndarray, c: np.ndarray) -> bool:
    """Whether the layer's output h = A x + c is one constant over every cell (to
    rounding)."""
    tolerance = 1e-12 * max(1.0, float(np.abs(c).max()))
    return bool(np.abs(A).max() <= tolerance and np.abs(c - c[0]).max() <= tolerance)

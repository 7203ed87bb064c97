"""Declared variables: their shapes and the values a formula is tested at.

A declaration is a short string an author writes in YAML::

    real -3..3        positive        positive 0.2..3      integer 2..64
    vector[d]         vector[d] 0..1  matrix[n, d]         matrix[t, d_v] -1..1
    vector[d] 0..0    (a constant: a step that says "with μ = 0")
    integer 16..64 even  (a model width, which is even)
    onehot[V]         (a one-hot vector: a target word)
    simplex[V]        (a probability vector: positive entries summing to 1)

Points are drawn away from degenerate values (0, ±1 for scalars; 1 for sizes),
so that ``σ²`` and ``σ⁴``, or ``d`` and ``d²``, can never agree by accident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

Dim = str | int
Shape = tuple[Dim, Dim]
SCALAR: Shape = (1, 1)

_DECL = re.compile(
    r"^\s*(?P<kind>real|positive|integer|vector|matrix|onehot|simplex)"
    r"(?:\s*\[(?P<dims>[^\]]*)\])?"
    r"(?:\s+(?P<low>-?\d+(?:\.\d+)?)\s*\.\.\s*(?P<high>-?\d+(?:\.\d+)?))?"
    r"(?P<even>\s+even)?\s*$"
)
_DIM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?$")

_DEFAULT_RANGE = {
    "real": (-3.0, 3.0),
    "positive": (0.2, 3.0),
    "integer": (2.0, 12.0),
    "vector": (-2.0, 2.0),
    "matrix": (-2.0, 2.0),
    "onehot": (0.0, 1.0),
    "simplex": (0.0, 1.0),
}
_VECTORS = ("vector", "onehot", "simplex")
_DEGENERATE = (0.0, 1.0, -1.0)
_MIN_GAP = 0.08


@dataclass(frozen=True)
class Domain:
    kind: str
    dims: tuple[Dim, ...]
    low: float
    high: float
    even: bool = False  # an integer drawn among the even ones: a model width d = 2·(d/2)

    @property
    def shape(self) -> Shape:
        if self.kind in _VECTORS:
            return (self.dims[0], 1)
        if self.kind == "matrix":
            return (self.dims[0], self.dims[1])
        return SCALAR

    @property
    def is_size(self) -> bool:
        return self.kind == "integer"

    def describe(self) -> str:
        if self.kind in (*_VECTORS, "matrix"):
            return f"{self.kind}[{', '.join(map(str, self.dims))}]"
        return f"{self.kind} {self.low:g}..{self.high:g}" + (" even" if self.even else "")


def parse_domain(text: str) -> Domain:
    """Read a declaration, or raise ``ValueError`` saying what was expected."""
    match = _DECL.match(text)
    if match is None:
        raise ValueError(
            f"cannot read the declaration {text!r}; expected e.g. 'real -3..3', 'positive', "
            "'integer 2..64', 'vector[d]' or 'matrix[n, d] -1..1'"
        )
    kind = match["kind"]
    dims_text = match["dims"]
    dims: tuple[Dim, ...] = ()
    if kind in (*_VECTORS, "matrix"):
        want = 1 if kind in _VECTORS else 2
        if dims_text is None:
            raise ValueError(f"a {kind} needs its size: '{kind}[{', '.join('nd'[:want])}]'")
        dims = tuple(_dim(part.strip()) for part in dims_text.split(","))
        if len(dims) != want:
            raise ValueError(f"a {kind} has {want} size{'s' if want > 1 else ''}, not {len(dims)}")
    elif dims_text is not None:
        raise ValueError(f"a {kind} has no size in brackets")
    low, high = _DEFAULT_RANGE[kind]
    if match["low"] is not None and kind in ("onehot", "simplex"):
        raise ValueError(f"a {kind} vector has no range: its entries are what make it one")
    if match["low"] is not None:
        low, high = float(match["low"]), float(match["high"])
    if low > high or (low == high and kind == "positive"):
        raise ValueError(f"the range {low:g}..{high:g} is empty")
    if kind == "positive" and low <= 0:
        raise ValueError("a positive variable needs a range above 0")
    if kind == "integer" and (low != int(low) or high != int(high)):
        raise ValueError("an integer range needs whole numbers")
    even = match["even"] is not None
    if even and (kind != "integer" or not any(v % 2 == 0 for v in range(int(low), int(high) + 1))):
        raise ValueError("'even' needs an integer range that holds an even number")
    return Domain(kind, dims, low, high, even)


def _dim(text: str) -> Dim:
    if text.isdigit():
        return int(text)
    if not _DIM_NAME.match(text):
        raise ValueError(f"a size is a name or a number, not {text!r}")
    return text


Point = dict[str, np.ndarray]


def sample_point(domains: dict[str, Domain], rng: np.random.Generator) -> Point:
    """One value per variable, sizes first so that shapes can use them."""
    point: Point = {}
    sizes: dict[str, int] = {}
    for name, dom in domains.items():
        if dom.is_size:
            value = _draw_integer(dom, rng)
            sizes[name] = value
            point[name] = np.full((1, 1), float(value))
    for name, dom in domains.items():
        if dom.is_size:
            continue
        if dom.kind in ("real", "positive"):
            point[name] = np.full((1, 1), _draw_real(dom, rng))
        else:
            rows, cols = (resolve(d, sizes) for d in dom.shape)
            point[name] = _draw_array(dom, rows, cols, rng)
    return point


def resolve(dim: Dim, sizes: dict[str, int]) -> int:
    if isinstance(dim, int):
        return dim
    if dim not in sizes:
        raise ValueError(f"the size '{dim}' is not declared as an integer variable")
    return sizes[dim]


def _draw_integer(dom: Domain, rng: np.random.Generator) -> int:
    low, high = int(dom.low), int(dom.high)
    values = [v for v in range(low, high + 1) if v % 2 == 0 or not dom.even]
    choices = [v for v in values if v not in (0, 1)] or values
    return int(rng.choice(choices))


def _draw_real(dom: Domain, rng: np.random.Generator) -> float:
    if dom.low == dom.high:
        return dom.low  # a constant: "with μ = 0"
    for _ in range(100):
        value = float(rng.uniform(dom.low, dom.high))
        if all(abs(value - bad) >= _MIN_GAP * (dom.high - dom.low) / 6 for bad in _DEGENERATE):
            return value
    return value


def _draw_array(dom: Domain, rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    if dom.kind == "onehot":
        values = np.zeros((rows, cols))
        values[int(rng.integers(rows)), 0] = 1.0
        return values
    if dom.kind == "simplex":
        return rng.dirichlet(np.ones(rows)).reshape(rows, cols)
    if dom.low == dom.high:
        return np.full((rows, cols), dom.low)  # a constant: "with μ = 0"
    values = rng.uniform(dom.low, dom.high, size=(rows, cols))
    # Keep entries off 0 and ±1, where products and powers coincide.
    near = np.zeros_like(values, dtype=bool)
    for bad in _DEGENERATE:
        near |= np.abs(values - bad) < _MIN_GAP
    if near.any():
        values[near] = rng.uniform(dom.low, dom.high, size=int(near.sum()))
    return values

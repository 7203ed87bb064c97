"""Which names a formula may use: declared variables, functions, constants.

A part declares its variables; everything else a student types must be one of
the whitelisted functions or constants below, or it is not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# name -> (min arguments, max arguments). Semantics live in ``evaluate.py``.
FUNCTIONS: dict[str, tuple[int, int]] = {
    "exp": (1, 1),
    "log": (1, 1),
    "sqrt": (1, 1),
    "tanh": (1, 1),
    "sigmoid": (1, 1),
    "sin": (1, 1),
    "cos": (1, 1),
    "abs": (1, 1),
    "softmax": (1, 1),
    "diag": (1, 1),
    "norm": (1, 1),
    "dot": (2, 2),
    "sum": (1, 1),
    "trace": (1, 1),
}

FUNCTION_ALIASES = {"ln": "log", "sigma": "sigmoid", "sigm": "sigmoid", "tr": "trace"}

CONSTANTS = ("pi", "e")

# Names a content author may not use for a variable, because they mean something.
RESERVED = frozenset({"T", "O", *FUNCTIONS, *CONSTANTS, "ln", "sigm", "tr"})


@dataclass(frozen=True)
class Vocabulary:
    """The names one part understands.

    ``variables`` maps a canonical name to its declared shape kind; ``aliases``
    maps alternative spellings (``h_{t-1}``, ``hprev``) to canonical names.
    """

    variables: frozenset[str]
    aliases: dict[str, str] = field(default_factory=dict)
    big_o: bool = False

    def variable(self, name: str) -> str | None:
        if name in self.variables:
            return name
        return self.aliases.get(name)

    def function(self, name: str) -> str | None:
        if self.variable(name) is not None:
            return None  # a declared variable wins: in Problem 6, σ is a number
        if name in FUNCTIONS:
            return name
        return FUNCTION_ALIASES.get(name)

    def constant(self, name: str) -> str | None:
        if self.variable(name) is None and name in CONSTANTS:
            return name
        return None

    def knows(self, name: str) -> bool:
        return (
            self.variable(name) is not None
            or self.function(name) is not None
            or self.constant(name) is not None
            or (self.big_o and name == "O")
        )

    def listing(self) -> str:
        names = sorted(self.variables, key=str.lower)
        return ", ".join(names) if names else "(no variables)"

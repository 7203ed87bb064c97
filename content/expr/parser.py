"""A recursive-descent parser for the formulas students type.

Grammar, loosest first::

    expr    := term (('+' | '-') term)*
    term    := unary (('*' | '/' | '@' | '·' | '∘' | <juxtaposition>) unary)*
    unary   := ('-' | '+') unary | power
    power   := postfix ('^' exponent | superscript | transpose)*
    exponent:= 'T' | unary                 (right-associative: a^b^c = a^(b^c))
    postfix := primary
    primary := number | name | name '(' args ')' | '(' expr ')' | '‖' expr '‖'
             | '|' expr '|' | '√' power | 'O' '(' expr ')'

Juxtaposition multiplies with the same precedence as ``*``, so ``1/2 x`` is
``(1/2)·x``; the echo ("read as") shows the student exactly that.
"""

from __future__ import annotations

import math
from functools import lru_cache

from content.expr.errors import ParseError
from content.expr.lexer import OPENERS, Tok, Token, tokenize
from content.expr.nodes import (
    Abs,
    BigO,
    Bin,
    Call,
    Const,
    Neg,
    Node,
    Norm,
    Num,
    Sym,
    Transpose,
    walk,
)
from content.expr.vocabulary import FUNCTIONS, Vocabulary

MAX_DEPTH = 40
MAX_NODES = 400
MAX_CONSTANT_EXPONENT = 1000.0  # "0.99^100", "1.1^200" are worked in reasons; 9^9^9 is not

_PRIMARY_START = {Tok.NUM, Tok.NAME, Tok.LPAREN, Tok.SQRT, Tok.NORM, Tok.BAR}


def parse(text: str, vocab: Vocabulary) -> Node:
    """Read ``text`` as a formula over ``vocab``, or raise ``ParseError``."""
    return _parse(text, vocab.variables, tuple(sorted(vocab.aliases.items())), vocab.big_o)


@lru_cache(maxsize=4096)
def _parse(
    text: str, variables: frozenset[str], aliases: tuple[tuple[str, str], ...], big_o: bool
) -> Node:
    """Cached: trees are immutable, and a reference answer is read many times."""
    vocab = Vocabulary(variables, dict(aliases), big_o)
    if "\x00" in text:
        raise ParseError("the answer contains a NUL character", text.index("\x00") + 1)
    if not text.strip():
        raise ParseError("the answer is empty", 1)
    node = _Parser(tokenize(text), vocab).parse()
    count = len(walk(node))
    if count > MAX_NODES:
        raise ParseError(f"the formula has {count} parts; at most {MAX_NODES} are read", 1)
    return node


class _Parser:
    def __init__(self, tokens: list[Token], vocab: Vocabulary) -> None:
        self.tokens = tokens
        self.pos = 0
        self.vocab = vocab
        self.depth = 0
        # Innermost open delimiter: a '‖' or '|' in operator position closes it
        # only when it is the innermost one; otherwise it opens a new factor.
        self.open: list[str] = []

    # -- helpers -------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def peek(self) -> Tok:
        """The current token's kind (a call, so type narrowing never goes stale)."""
        return self.tokens[self.pos].kind

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind is Tok.OP and self.tok.text in ops

    def fail(self, reason: str, tok: Token | None = None) -> ParseError:
        return ParseError(reason, (tok or self.tok).col)

    def expected(self, what: str) -> ParseError:
        tok = self.tok
        found = "the end of the answer" if tok.kind is Tok.END else f"'{tok.text}'"
        return self.fail(f"expected {what} but found {found}")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"the formula is nested more than {MAX_DEPTH} levels deep")

    # -- grammar -------------------------------------------------------------

    def parse(self) -> Node:
        node = self.expr()
        if self.tok.kind is not Tok.END:
            if self.tok.kind is Tok.RPAREN:
                raise self.fail(f"'{self.tok.text}' has no matching opening bracket")
            raise self.expected("an operator or the end of the answer")
        return node

    def expr(self) -> Node:
        self.enter()
        node = self.term()
        while self.at_op("+", "-"):
            op = self.advance().text
            node = Bin(op, node, self.term())
        self.depth -= 1
        return node

    def starts_factor(self) -> bool:
        kind = self.tok.kind
        if kind is Tok.NORM:
            return not (self.open and self.open[-1] == "norm")
        if kind is Tok.BAR:
            return not (self.open and self.open[-1] == "abs")
        return kind in _PRIMARY_START

    def term(self) -> Node:
        node = self.unary()
        while True:
            if self.at_op("*", "/", "@", "·", "∘"):
                op = self.advance().text
                node = Bin(op, node, self.unary())
            elif self.starts_factor():
                node = Bin("*", node, self.power(), implicit=True)
            else:
                return node

    def unary(self) -> Node:
        self.enter()
        if self.at_op("-"):
            self.advance()
            node: Node = Neg(self.unary())
        elif self.at_op("+"):
            self.advance()
            node = self.unary()
        else:
            node = self.power()
        self.depth -= 1
        return node

    def power(self) -> Node:
        node = self.primary()
        while True:
            if self.tok.kind is Tok.TRANSPOSE:
                self.advance()
                node = Transpose(node)
            elif self.tok.kind is Tok.SUP:
                sup = self.advance()
                node = Bin("^", node, _number(sup.text, sup))
            elif self.at_op("^"):
                caret = self.advance()
                is_t = self.peek() is Tok.NAME and self.tok.text == "T"
                if is_t or self.peek() is Tok.TRANSPOSE:
                    self.advance()
                    node = Transpose(node)
                else:
                    exponent = self.unary()
                    _check_exponent(exponent, caret)
                    node = Bin("^", node, exponent)
            else:
                return node

    def primary(self) -> Node:
        tok = self.tok
        match tok.kind:
            case Tok.NUM:
                self.advance()
                return _number(tok.text, tok)
            case Tok.NAME:
                return self.name()
            case Tok.LPAREN:
                return self.group()
            case Tok.SQRT:
                self.advance()
                if self.tok.kind not in _PRIMARY_START:
                    raise self.expected("something to take the square root of after '√'")
                self.enter()  # "√√√…" nests without brackets: count it too
                root = Call("sqrt", (self.power(),))
                self.depth -= 1
                return root
            case Tok.NORM:
                return self.delimited("norm", Tok.NORM, Norm)
            case Tok.BAR:
                return self.delimited("abs", Tok.BAR, Abs)
            case _:
                raise self.expected("a number, a name or '('")

    def delimited(self, kind: str, closer: Tok, build: type[Norm] | type[Abs]) -> Node:
        opener = self.advance()
        self.open.append(kind)
        inner = self.expr()
        self.open.pop()
        if self.tok.kind is not closer:
            symbol = "‖" if kind == "norm" else "|"
            raise ParseError(f"'{symbol}' opened here is not closed", opener.col)
        self.advance()
        return build(inner)

    def group(self) -> Node:
        opener = self.advance()
        self.open.append("paren")
        inner = self.expr()
        self.open.pop()
        self.close(opener)
        return inner

    def close(self, opener: Token) -> None:
        if self.tok.kind is not Tok.RPAREN:
            if self.tok.kind is Tok.END:
                raise ParseError(f"'{opener.text}' opened here is not closed", opener.col)
            raise self.expected(f"'{OPENERS[opener.text]}' to close '{opener.text}'")
        if self.tok.text != OPENERS[opener.text]:
            raise self.fail(
                f"'{opener.text}' at column {opener.col} is closed by '{self.tok.text}'"
            )
        self.advance()

    def name(self) -> Node:
        tok = self.advance()
        text = tok.text
        if self.vocab.big_o and text == "O" and self.tok.kind is Tok.LPAREN:
            opener = self.advance()
            self.open.append("paren")
            inner = self.expr()
            self.open.pop()
            self.close(opener)
            return BigO(inner)
        if (var := self.vocab.variable(text)) is not None:
            return Sym(var)
        if (func := self.vocab.function(text)) is not None:
            return self.call(func, tok)
        if (const := self.vocab.constant(text)) is not None:
            return Const(const)
        if self.vocab.big_o and text == "O":
            raise ParseError("O is written with brackets: O(…)", tok.col)
        pieces = _segment(text, self.vocab)
        if pieces is None or pieces == [text]:
            raise ParseError(
                f"unknown name '{text}'; this question knows {self.vocab.listing()}", tok.col
            )
        # "QK" is Q times K; "dsigma" is d times sigma. The pieces go back into
        # the token stream, so that "QK^T" transposes only K.
        split = [Token(Tok.NAME, piece, tok.col) for piece in pieces]
        self.tokens[self.pos - 1 : self.pos] = split
        self.pos -= 1
        return self.name()

    def call(self, func: str, tok: Token) -> Node:
        if self.tok.kind is not Tok.LPAREN:
            raise ParseError(f"'{tok.text}' is a function: write {tok.text}(…)", tok.col)
        opener = self.advance()
        self.open.append("paren")
        args = [self.expr()]
        while self.peek() is Tok.COMMA:
            self.advance()
            args.append(self.expr())
        self.open.pop()
        self.close(opener)
        low, high = FUNCTIONS[func]
        if not low <= len(args) <= high:
            want = str(low) if low == high else f"{low} to {high}"
            raise ParseError(
                f"{tok.text} takes {want} argument{'s' if high > 1 else ''}, not {len(args)}",
                tok.col,
            )
        return Call(func, tuple(args))


def _number(text: str, tok: Token) -> Num:
    try:
        value = float(text)
    except ValueError:
        raise ParseError(f"cannot read the number '{text}'", tok.col) from None
    if not math.isfinite(value) or value > 1e15:
        raise ParseError(f"the number '{text}' is too large", tok.col)
    return Num(value, text)


def _check_exponent(exponent: Node, caret: Token) -> None:
    """Refuse constant exponents beyond any a lab answer needs (``9^9^9``)."""
    value = _constant_value(exponent)
    if value is not None and abs(value) > MAX_CONSTANT_EXPONENT:
        raise ParseError(
            f"the exponent is too large (at most {MAX_CONSTANT_EXPONENT:g} is read)", caret.col
        )


def _constant_value(node: Node) -> float | None:
    match node:
        case Num(value):
            return value
        case Neg(arg):
            inner = _constant_value(arg)
            return None if inner is None else -inner
        case Bin("^", left, right):
            base, power = _constant_value(left), _constant_value(right)
            if base is None or power is None:
                return None
            if abs(base) > 1 and abs(power) > MAX_CONSTANT_EXPONENT:
                return float("inf")
            try:
                return float(abs(base) ** power)
            except (OverflowError, ZeroDivisionError):
                return float("inf")
        case _:
            return None


def _segment(text: str, vocab: Vocabulary) -> list[str] | None:
    """Split an unknown run of letters into known names, fewest pieces first."""
    if "_" in text or len(text) > 24:
        return None
    n = len(text)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(end):
            prefix = best[start]
            piece = text[start:end]
            if prefix is None or not vocab.knows(piece):
                continue
            candidate = [*prefix, piece]
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    return best[n]

"""What the student meant: a command, or an answer.

Commands are a handful of words, recognised in any case and with small typos
("hnit"), but only when the whole message is the command: "t" in a true/false
question is an answer, and so is anything the judge can read. A typo counts as a
command only when the text is not a readable answer.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import Enum

from content.reasons.lexicon import strip_diacritics


class Command(Enum):
    HINT = "hint"
    WHY = "why"
    SHOW_ME = "show me"
    SKIP = "skip"
    REVEAL = "answer"
    REPEAT = "repeat"
    WHERE = "where am i"
    QUIT = "quit"
    NEXT = "next"


_PHRASES: dict[str, Command] = {
    "hint": Command.HINT,
    "a hint": Command.HINT,
    "give me a hint": Command.HINT,
    "help": Command.HINT,
    # "I don't know" at any step asks for help; it is not an answer to judge
    "idk": Command.HINT,
    "i don t know": Command.HINT,
    "i dont know": Command.HINT,
    "don t know": Command.HINT,
    "dont know": Command.HINT,
    "no idea": Command.HINT,
    "not sure": Command.HINT,
    "i m not sure": Command.HINT,
    "khong biet": Command.HINT,
    "ko biet": Command.HINT,
    "em khong biet": Command.HINT,
    "toi khong biet": Command.HINT,
    "minh khong biet": Command.HINT,
    "why": Command.WHY,
    "explain": Command.WHY,
    "show me": Command.SHOW_ME,
    "show": Command.SHOW_ME,
    "simulate": Command.SHOW_ME,
    "evidence": Command.SHOW_ME,
    "skip": Command.SKIP,
    "pass": Command.SKIP,
    "answer": Command.REVEAL,
    "reveal": Command.REVEAL,
    "show answer": Command.REVEAL,
    "show the answer": Command.REVEAL,
    "give up": Command.REVEAL,
    "i give up": Command.REVEAL,
    "repeat": Command.REPEAT,
    "again please": Command.REPEAT,
    "say again": Command.REPEAT,
    "question": Command.REPEAT,
    "where am i": Command.WHERE,
    "where": Command.WHERE,
    "progress": Command.WHERE,
    "status": Command.WHERE,
    "quit": Command.QUIT,
    "exit": Command.QUIT,
    "bye": Command.QUIT,
    "stop": Command.QUIT,
    "next": Command.NEXT,
    "next one": Command.NEXT,
    "continue": Command.NEXT,
}

_NORMALISE = re.compile(r"[^a-z ]+")


@dataclass(frozen=True)
class Intent:
    command: Command | None
    text: str

    @property
    def is_answer(self) -> bool:
        return self.command is None


def normalise(text: str) -> str:
    return " ".join(_NORMALISE.sub(" ", strip_diacritics(text.lower())).split())


def exact_command(text: str) -> Command | None:
    return _PHRASES.get(normalise(text))


def near_command(text: str) -> Command | None:
    """A command typed with a small typo: "hnit", "shwo me", "quti"."""
    cleaned = normalise(text)
    if not cleaned or len(cleaned) < 3 or len(cleaned.split()) > 3:
        return None
    close = difflib.get_close_matches(cleaned, _PHRASES, n=1, cutoff=0.75)
    return _PHRASES[close[0]] if close else None


def read_intent(text: str, readable_as_answer: bool) -> Intent:
    """``readable_as_answer``: whether the judge would read ``text`` (not ``invalid``)."""
    command = exact_command(text)
    if command is not None:
        return Intent(command, text)
    if not readable_as_answer:
        typo = near_command(text)
        if typo is not None:
            return Intent(typo, text)
    return Intent(None, text)

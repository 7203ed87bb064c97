"""Helpers to script a conversation with the engine and print it as a transcript."""

from __future__ import annotations

from pathlib import Path

from tutor.engine import Engine, Reply

GOLDEN = Path(__file__).parent / "golden"


def transcript_of(engine: Engine, part: str, lines: list[str]) -> tuple[str, list[Reply]]:
    replies = [engine.start(part)]
    out = [_render(replies[0])]
    for line in lines:
        out.append(f"student> {line}")
        reply = engine.say(line)
        replies.append(reply)
        out.append(_render(reply))
    return "\n".join(out) + "\n", replies


def _render(reply: Reply) -> str:
    lines = []
    for message in reply.messages:
        text = message.text.strip().replace("\n", "\n    ")
        lines.append(f"  tutor[{message.kind}]: {text}")
    tail = f"  (part {reply.part}" + (f", verdict {reply.verdict}" if reply.verdict else "") + ")"
    return "\n".join([*lines, tail])

"""The baseline for the tutor: a minimal Textual app, headless, until its first frame is painted.

DESIGN.md's targets assume one in about 0.2 s; timing it in the same run shows
how this machine compares.
"""

from __future__ import annotations

import asyncio


async def main() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    app = Minimal()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print("painted", flush=True)  # bench/run.py stops its clock here


if __name__ == "__main__":
    asyncio.run(main())

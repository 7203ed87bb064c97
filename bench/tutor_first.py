"""Launch the tutor headless and exit as soon as the first question is painted."""

from __future__ import annotations

import asyncio
import sys


async def main(part: str) -> None:
    from content.course import load_course
    from tutor.app import ChatMessage, TutorApp
    from tutor.engine import Engine
    from tutor.store import Store

    app = TutorApp(Engine(load_course(), Store()), part)
    async with app.run_test(size=(80, 24)) as pilot:
        while not any(m.has_class("kind-question") for m in app.query(ChatMessage)):
            await asyncio.sleep(0.002)
        await pilot.pause()  # one more refresh: the question is on screen
        print("painted", flush=True)  # bench/run.py stops its clock here


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "lab11.p6.b"))

"""The chat page at ``/``, used as a student uses it: in headless Chromium at a phone's
width, logging in with a token, answering by typing and by the buttons."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cardpages import browser
from tests.webserver import add_student, running

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    token = add_student(tmp_path, "pat")
    with running(tmp_path) as (base, _):
        yield base, token


def test_a_student_logs_in_answers_and_reads_math_at_360_px(
    server: tuple[str, str], tmp_path: Path
) -> None:
    chromium, _ = browser()
    from playwright.sync_api import sync_playwright

    base, token = server
    shots = Path(os.environ.get("NLPDRILL_CARD_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = launched.new_page(viewport={"width": 360, "height": 740})
        page.goto(f"{base}/")
        page.fill("#token", "not-a-token")
        page.click("#login-form button")
        page.wait_for_selector("#login-error:not([hidden])")
        assert "not accepted" in page.inner_text("#login-error")
        page.fill("#token", token)
        page.click("#login-form button")
        page.wait_for_selector(".msg.question")  # the first question of the lab
        page.click("#part-list >> text=Problem 3 — p3.a")
        page.wait_for_function("document.getElementById('transcript').innerText.includes('LSTM')")
        count = page.locator(".msg").count()
        page.click("#actions >> text=False")
        page.wait_for_function(f"document.querySelectorAll('.msg').length > {count + 1}")
        page.fill("#say", "the cell still changes: c_t = f_t c_t-1 + i_t c~_t is not c_t-1")
        page.press("#say", "Enter")
        page.wait_for_function(f"document.querySelectorAll('.msg').length > {count + 3}")
        page.click("#actions >> text=Show me")
        page.wait_for_timeout(1500)
        text = page.inner_text("#transcript")
        assert "Problem 3" in text and "False" in text
        assert page.locator(".msg math").count() > 3  # math drawn as MathML
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(shots / "chat-360.png"), full_page=True)
        launched.close()
    assert width <= 360, f"the page is {width} px wide at 360"

"""The key legend at the bottom of the tutor: one line, one widget.

Textual's ``Footer`` builds a widget per key and rebuilds them all whenever the
bindings change; at start-up that was a tenth of the time to the first painted
question. This draws the same legend — the screen's shown bindings, key then
description, in the theme's footer colours — as one line of text, and a click
on a key presses it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

# Shorter words for the longer descriptions, so that every key fits in 80 columns.
_SHORT = {"Show me": "Show", "Next due": "Due", "Progress": "Stats"}


class KeyLine(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"keyline--key", "keyline--description"}
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyLine > .keyline--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyLine > .keyline--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each entry

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        self.refresh()

    def render(self) -> Text:
        active = self.screen.active_bindings
        shown = [(b, enabled) for _, b, enabled, _ in active.values() if b.show]
        keys, spans = self._legend(shown)
        if len(keys) > self.size.width:  # 80 columns: every key, in shorter words
            keys, spans = self._legend(shown, short=True)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if not self.app.ENABLE_COMMAND_PALETTE or palette is None:
            self._spans = spans
            return keys
        # The palette's key stays at the right edge, as in Textual's footer, when
        # there is room for it after every other key (ctrl+p works regardless).
        right, right_spans = self._legend([(palette.binding, palette.enabled)])
        if len(keys) + len(right) + 1 > self.size.width:
            self._spans = spans
            return keys
        room = max(0, self.size.width - len(right) - 1)
        keys.truncate(room, pad=True)
        shift = room + 1  # after the keys and the separator
        self._spans = [span for span in spans if span[1] <= room] + [
            (start + shift, end + shift, key) for start, end, key in right_spans
        ]
        return Text.assemble(keys, ("▏", self.get_component_rich_style("keyline--key")), right)

    def _legend(
        self, shown: list[tuple[Binding, bool]], short: bool = False
    ) -> tuple[Text, list[tuple[int, int, str]]]:
        """Each binding as " key description ", and where each one is in that text;
        ``short``: in the fewest words that still say what the key does."""
        key_style = self.get_component_rich_style("keyline--key")
        description_style = self.get_component_rich_style("keyline--description")
        text = Text(no_wrap=True)
        spans: list[tuple[int, int, str]] = []
        seen: set[str] = set()
        for binding, enabled in shown:
            if binding.action in seen:
                continue
            seen.add(binding.action)
            start = len(text)
            text.append(f" {self.app.get_key_display(binding)} ", key_style)
            description = _SHORT.get(binding.description, binding.description) if short else None
            text.append(f"{description or binding.description} ", description_style)
            if not enabled:
                text.stylize("dim", start)
            spans.append((start, len(text), binding.key))
        return text, spans

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key.split(",")[0])
                return

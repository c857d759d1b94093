"""A progress line on standard error for long runs (the scaled demo, a bulk sync): redrawn
in place on a terminal, a line every tenth of the way otherwise (a log, CI), so a long run
shows it is moving without flooding a log. No dependency: a count, a rate and an estimate."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int, *, unit: str = "", stream: TextIO | None = None):
        self.label, self.total, self.unit = label, max(total, 0), unit
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self._tty = self.stream.isatty()
        self._next_tenth = 1
        self._last_draw = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self._tty:
            if now - self._last_draw >= 0.2 or self.done >= self.total:
                self._last_draw = now
                self.stream.write(f"\r{self._line(now)}\033[K")
                self.stream.flush()
        elif self.total and self.done * 10 >= self._next_tenth * self.total:
            while self.done * 10 >= self._next_tenth * self.total:
                self._next_tenth += 1
            self.stream.write(self._line(now) + "\n")
            self.stream.flush()

    def close(self) -> float:
        """Ends the line; returns the seconds taken."""
        elapsed = time.monotonic() - self.started
        if self._tty:
            self.stream.write(f"\r{self._line(time.monotonic())}\033[K\n")
            self.stream.flush()
        return elapsed

    def _line(self, now: float) -> str:
        elapsed = now - self.started
        unit = f" {self.unit}" if self.unit else ""
        text = f"{self.label}: {self.done:,}/{self.total:,}{unit}"
        if self.total:
            text += f" ({100 * self.done // self.total}%)"
        text += f" {elapsed:.0f} s"
        if 0 < self.done < self.total:
            remaining = elapsed * (self.total - self.done) / self.done
            text += f", about {remaining:.0f} s to go"
        return text

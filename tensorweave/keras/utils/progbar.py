"""Keras's progress bar: ``32/96 [=========>....................] - ETA: 0s - loss: 2.3012``.

Usage::

    bar = Progbar(target=96, unit_name="sample")
    bar.update(32, [("loss", 2.3)])      # running averages of the values, rate-limited
    bar.update(96, [("loss", 2.1)])      # the final line: '96/96 [====] - 0s 17us/sample - ...'

``verbose=1`` redraws one line in place on a terminal (``\\r``; new lines elsewhere) at most every
``interval`` seconds; ``verbose=2`` prints only the final line of each bar.
"""
from __future__ import annotations

import sys
import time

import numpy as np

__all__ = ["Progbar"]


def _format_duration(seconds: float, unit: str) -> str:
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit}"
    return f" {seconds * 1e6:.0f}us/{unit}"


def _format_value(value: float) -> str:
    return f" {value:.4f}" if abs(value) > 1e-3 else f" {value:.4e}"


class Progbar:
    """A progress bar for ``target`` steps (None: unknown)."""

    def __init__(self, target, width: int = 30, verbose: int = 1, interval: float = 0.05,
                 stateful_metrics=None, unit_name: str = "step", stream=None):
        self.target, self.width, self.verbose, self.interval = target, width, verbose, interval
        self.stateful_metrics = set(stateful_metrics or ())
        self.unit_name = unit_name
        self.stream = stream or sys.stdout
        self._dynamic = bool(getattr(self.stream, "isatty", lambda: False)())
        self._sums: dict = {}
        self._order: list = []
        self._seen = 0
        self._width_drawn = 0
        self._start = self._epoch_start = time.time()
        self._last_update = 0.0
        self._after_first_step = None
        self._epoch_end = None

    def _average(self, key) -> float:
        total, count = self._sums[key]
        return float(np.mean(total / max(1, count)))

    def _step_time(self, current: int, now: float) -> float:
        if not current:
            return 0.0
        if self._after_first_step is not None and current > 1:
            return (now - self._after_first_step) / (current - 1)
        if current == 1:
            self._after_first_step = now
        return (now - self._start) / current

    def update(self, current: int, values=None, finalize=None) -> None:
        """Move to step ``current``, folding ``values`` ([(name, value)]) into the averages."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for key, value in values or []:
            if key not in self._order:
                self._order.append(key)
            if key in self.stateful_metrics:
                self._sums[key] = [value, 1]
            else:
                weight = max(current - self._seen, 1)
                total = self._sums.setdefault(key, [0.0, 0])
                total[0] += value * weight
                total[1] += weight
        self._seen = current
        now = time.time()
        if current == self.target:
            self._epoch_end = now
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw(current, now, finalize)
        elif self.verbose == 2 and finalize:
            self._final_line(current, now)
        self._last_update = now

    def _draw(self, current: int, now: float, finalize: bool) -> None:
        previous = self._width_drawn
        message = ("\b" * previous + "\r") if self._dynamic else "\n"
        if self.target is not None:
            digits = int(np.log10(self.target)) + 1
            bar = f"{current:{digits}d}/{self.target} ["
            done = int(self.width * current / self.target)
            if done > 0:
                bar += "=" * (done - 1) + (">" if current < self.target else "=")
            bar += "." * (self.width - done) + "]"
        else:
            bar = f"{current:7d}/Unknown"
        self._width_drawn = len(bar)
        per_step = self._step_time(current, now)
        if self.target is None or finalize:
            info = f" - {now - self._start:.0f}s" + _format_duration(per_step, self.unit_name)
        else:
            eta = per_step * (self.target - current)
            if eta > 3600:
                text = f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
            elif eta > 60:
                text = f"{int(eta // 60)}:{int(eta % 60):02d}"
            else:
                text = f"{int(eta)}s"
            info = f" - ETA: {text}"
        for key in self._order:
            info += f" - {key}:" + _format_value(self._average(key))
        self._width_drawn += len(info)
        if previous > self._width_drawn:
            info += " " * (previous - self._width_drawn)
        if finalize:
            info += "\n"
        self.stream.write(message + bar + info)
        self.stream.flush()

    def _final_line(self, current: int, now: float) -> None:
        digits = int(np.log10(self.target)) + 1
        info = f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s"
        for key in self._order:
            info += f" - {key}:" + _format_value(self._average(key))
        if self._epoch_end:
            per_epoch = self._epoch_end - self._epoch_start
            info += " -" + _format_duration(per_epoch, "epoch")
            info += " -" + _format_duration(per_epoch / self.target, self.unit_name)
            self._epoch_start, self._epoch_end = now, None
        self.stream.write(info + "\n")
        self.stream.flush()

    def add(self, n: int, values=None) -> None:
        self.update(self._seen + n, values)

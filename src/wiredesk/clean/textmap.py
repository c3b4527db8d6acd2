"""Building a clean text piece by piece while remembering where each piece came from in the raw text.

The result is ``Article.offset_map``: breakpoints ``[clean_start, raw_start]`` wherever the distance between
the two texts changes, so ``Article.to_raw_offset`` can point evidence back into the text as it arrived.
"""

from __future__ import annotations

import bisect


class TextBuilder:
    """Append pieces of clean text with the raw span they stand for; read off text and breakpoints."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.breaks: list[list[int]] = [[0, 0]]

    def _mark(self, clean_at: int, raw_at: int) -> None:
        last_clean, last_raw = self.breaks[-1]
        if raw_at - clean_at == last_raw - last_clean:
            return  # same shift as before: no breakpoint needed
        if last_clean == clean_at:
            self.breaks[-1] = [clean_at, raw_at]
        else:
            self.breaks.append([clean_at, raw_at])

    def add(self, piece: str, raw_start: int, raw_end: int | None = None) -> None:
        """``piece`` stands for raw[raw_start:raw_end]; a piece of another length is mapped at its two ends."""
        if not piece:
            return
        self._mark(self.length, raw_start)
        self.parts.append(piece)
        self.length += len(piece)
        if raw_end is not None and raw_end - raw_start != len(piece):
            self._mark(self.length, raw_end)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def offset_map(self) -> list[list[int]]:
        return [] if self.breaks == [[0, 0]] else [list(b) for b in self.breaks]


def map_offset(breaks: list[list[int]], offset: int) -> int:
    """Apply a breakpoint map (same rule as ``Article.to_raw_offset``)."""
    if not breaks:
        return offset
    i = bisect.bisect_right([b[0] for b in breaks], offset) - 1
    if i < 0:
        return offset
    return breaks[i][1] + (offset - breaks[i][0])


def compose(outer: list[list[int]], inner: list[list[int]], length: int) -> list[list[int]]:
    """Breakpoints for ``inner`` (text2 -> text1) followed by ``outer`` (text1 -> raw): text2 -> raw.

    ``length`` is the length of text2. Every breakpoint of either map becomes a breakpoint of the result.
    """
    if not inner:
        return [list(b) for b in outer]
    if not outer:
        return [list(b) for b in inner]
    points: set[int] = {0}
    points.update(b[0] for b in inner)
    # Where the outer breakpoints fall in text2: invert the inner map piece by piece.
    inner_sorted = sorted(inner)
    for clean1, _ in outer:
        for j, (c2, c1) in enumerate(inner_sorted):
            nxt = inner_sorted[j + 1][0] if j + 1 < len(inner_sorted) else length + 1
            candidate = c2 + (clean1 - c1)
            if c2 <= candidate < nxt:
                points.add(candidate)
                break
    result: list[list[int]] = []
    for p in sorted(points):
        raw = map_offset(outer, map_offset(inner, p))
        if result and raw - p == result[-1][1] - result[-1][0]:
            continue
        result.append([p, raw])
    return [] if result == [[0, 0]] else result

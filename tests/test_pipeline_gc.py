"""The per-article phase freezes what the first batch loaded out of the cyclic collector's reach, once."""

from __future__ import annotations

import gc

from wiredesk import pipeline


def _recording(monkeypatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(pipeline, "_first_batch_done", False)
    monkeypatch.setattr(gc, "collect", lambda *a, **k: calls.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    return calls


def test_first_batch_collects_then_freezes_once(monkeypatch):
    calls = _recording(monkeypatch)
    assert pipeline.process_batch([]) == []
    assert calls == ["collect", "freeze"]
    pipeline.process_batch([])
    pipeline.process_batch([])
    assert calls == ["collect", "freeze"]  # later batches leave the collector alone


def test_freeze_can_be_switched_off(monkeypatch):
    calls = _recording(monkeypatch)
    monkeypatch.setattr(pipeline, "FREEZE_AFTER_FIRST_BATCH", False)
    pipeline.process_batch([])
    assert calls == []

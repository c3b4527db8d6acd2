"""Eval gate: event-location accuracy on the hand-checked RELABEL records (never used in training)."""

from __future__ import annotations

from wiredesk.eval import eventloc


def test_relabel_location_accuracy_gate(shared_data):
    source = shared_data / "event_location" / "labeled_text.dev.jsonl"
    result = eventloc.evaluate(source, source="RELABEL")  # the fast path: only the RELABEL records are parsed
    rel = result["relabel"]
    assert rel["records"] == 247  # every RELABEL record with a VERB span
    assert result["all"]["records"] == 247
    # the two fixed halves (errors studied on A only) partition the RELABEL records
    assert result["relabel_A"]["records"] + result["relabel_B"]["records"] == 247
    assert min(result["relabel_A"]["records"], result["relabel_B"]["records"]) >= 100
    # pinned just under the measured figures (docs/benchmarks/geo.md)
    assert rel["location_accuracy"] >= GATE_ACCURACY
    assert rel["location_f1"] >= GATE_F1
    # and clearly above "the place name nearest the verb"
    assert rel["location_accuracy"] - result["relabel_baseline"]["location_accuracy"] >= 0.15
    assert set(result) >= {"records", "location_accuracy", "location_f1", "none_accuracy"}
    assert "| relabel |" in eventloc.render(result)


GATE_ACCURACY = 0.85  # measured 0.8704 (215/247; half B 0.8712) with the none decision; the target
GATE_F1 = 0.88  # measured 0.9091


def test_training_records_exclude_relabel_and_its_copies(shared_data):
    from wiredesk.geo.train_location import load_records, training_records

    records = load_records(shared_data / "event_location" / "labeled_text.dev.jsonl")
    relabel = {r["text"].strip() for r in records if r.get("source") == "RELABEL"}
    train = training_records(records)
    assert not any(r.get("source") == "RELABEL" or r["text"].strip() in relabel for r in train)
    # the RELABEL sentences are re-annotations: most of them are in the file again under another source
    copies = [r for r in records if r.get("source") != "RELABEL" and r["text"].strip() in relabel]
    assert len(copies) >= 200
    assert len(train) == len(records) - len(copies) - sum(r.get("source") == "RELABEL" for r in records)

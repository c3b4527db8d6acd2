"""link(): near-copies, event coreference rules, consensus and conflicts, date repair, stable ids."""

from __future__ import annotations

import random

from wiredesk.link import fingerprint, jaccard, link
from wiredesk.link.copies import fingerprint_text
from wiredesk.link.events import dates_compatible
from wiredesk.model import Article, Entity, EventMention

WIRE = (
    "MOSCOW (Reuters) - Russian President Vladimir Putin spoke by telephone with French President Emmanuel Macron "
    "on Tuesday about the situation in eastern Ukraine, the Kremlin said in a statement. The two leaders discussed "
    "the ceasefire agreed in Minsk and the exchange of prisoners between Kyiv and the separatists, according to the "
    "statement. Macron urged Moscow to use its influence over the rebels to stop the shelling of civilian areas, "
    "the Elysee palace said. Both sides agreed to keep in contact at the level of foreign ministers and advisers, "
    "and officials said a meeting in the Normandy format could take place next month in Berlin if the truce held."
)

RUS = Entity(code="RUS", sector="GOV", name="Russia")
FRA = Entity(code="FRA", sector="GOV", name="France")
USA = Entity(code="USA", sector="GOV", name="United States")


def row(aid: str, text: str, published: str | None, basis: str = "metadata", **extra) -> dict:
    art = Article(id=aid, text=text, title=text[:60])
    base = {"id": aid, "path": f"{aid}.txt", "url": f"https://example.org/{aid}", "title": art.title,
            "publication": extra.pop("publication", f"outlet-{aid}"), "published": published,
            "published_basis": basis, "published_candidates": extra.pop("candidates", []),
            "fingerprint": fingerprint(art), "actor_codes": extra.pop("actor_codes", ["RUS", "FRA"])}
    base.update(extra)
    return base


def mention(aid: str, sentence: int, event: str, actor, recipient, date, precision="day", basis="explicit",
            flags=(), text="Putin spoke by telephone with Macron.", ordinal=0) -> EventMention:
    return EventMention(article_id=aid, sentence=sentence, start=0, end=len(text), text=text, event=event,
                        actor=list(actor), recipient=list(recipient), date=date, date_precision=precision,
                        date_basis=basis, flags=list(flags), confidence=0.6, id=f"{aid}:{sentence}:{ordinal}")


def edit(text: str, seed: int) -> str:
    """A syndicated copy: new boilerplate around it and a few words changed."""
    rnd = random.Random(seed)
    words = text.split()
    for _ in range(4):
        i = rnd.randrange(len(words))
        words[i] = words[i].upper() if rnd.random() < 0.5 else words[i] + "s"
    return "Share this article. Subscribe now! " + " ".join(words) + " Read more: related stories. (c) Outlet"


def test_edited_copies_group_and_unrelated_text_does_not():
    other = ("Floods in southern Brazil forced thousands of families from their homes on Sunday as rivers rose to "
             "record levels, the civil defence agency said, and rescue teams used boats to reach stranded people.")
    arts = [row("a1", WIRE, "2021-04-13"), row("a2", edit(WIRE, 1), "2021-04-13"),
            row("a3", edit(WIRE, 2), "2021-04-14"), row("b1", other, "2021-04-13")]
    assert jaccard(arts[0]["fingerprint"], arts[1]["fingerprint"]) >= 0.5
    assert jaccard(arts[0]["fingerprint"], arts[3]["fingerprint"]) < 0.1
    groups = link(arts, []).duplicate_groups
    assert groups["a1"] == groups["a2"] == groups["a3"]
    assert groups["b1"] != groups["a1"]


def test_fingerprint_is_deterministic_minhash():
    fp = fingerprint_text(WIRE)
    assert len(fp) == 128 and fp == fingerprint_text(WIRE)
    assert jaccard(fp, fingerprint_text(WIRE.replace("Tuesday", "Wednesday"))) > 0.85


def test_two_calls_three_weeks_apart_stay_apart_and_a_recall_links_to_the_first():
    arts = [row("c1", "First call report.", "2021-04-13"), row("c2", "Second call report.", "2021-05-04"),
            row("c3", "Analysis recalling the April call.", "2021-05-20")]
    ms = [mention("c1", 0, "CONSULT", [RUS], [FRA], "2021-04-13"),
          mention("c2", 0, "CONSULT", [RUS], [FRA], "2021-05-04"),
          # reverse roles: CONSULT is symmetric
          mention("c3", 2, "CONSULT", [FRA], [RUS], "2021-04-13", text="Macron had called Putin on April 13.")]
    res = link(arts, ms)
    assert len(res.events) == 2
    assert res.mention_event["c1:0:0"] == res.mention_event["c3:2:0"]
    assert res.mention_event["c2:0:0"] != res.mention_event["c1:0:0"]
    first = next(e for e in res.events if e.id == res.mention_event["c1:0:0"])
    assert {a["id"] for a in first.articles} == {"c1", "c3"} and first.date == "2021-04-13"


def test_date_precision_compatibility():
    assert dates_compatible("2021-04", "month", "2021-04-15", "day")
    assert dates_compatible("2021", "year", "2021-04-15", "day")
    assert not dates_compatible("2021-04", "month", "2021-05-02", "day")
    assert not dates_compatible("2021-04-14", "day", "2021-04-15", "day")
    assert dates_compatible("2021-04-14", "day", "2021-04-15", "day", slack_days=1)
    arts = [row("d1", "x", "2021-04-20"), row("d2", "y", "2021-04-21")]
    ms = [mention("d1", 0, "ACCUSE", [USA], [RUS], "2021-04-15"),
          mention("d2", 0, "ACCUSE", [USA], [], "2021-04", precision="month", basis="explicit")]
    res = link(arts, ms)
    assert len(res.events) == 1 and res.events[0].date == "2021-04-15"
    assert res.events[0].date_precision == "day"


def test_different_type_or_actors_stay_apart_and_negations_never_make_events():
    arts = [row("e1", "x", "2021-04-20")]
    ms = [mention("e1", 0, "ACCUSE", [USA], [RUS], "2021-04-15", ordinal=0),
          mention("e1", 0, "THREATEN", [USA], [RUS], "2021-04-15", ordinal=1),
          mention("e1", 1, "ACCUSE", [FRA], [RUS], "2021-04-15"),
          mention("e1", 2, "SANCTION", [USA], [RUS], "2021-04-15", flags=["negation"])]
    res = link(arts, ms)
    assert len(res.events) == 3
    assert "e1:2:0" not in res.mention_event
    assert all(e.event != "SANCTION" for e in res.events)


def test_consensus_prefers_explicit_date_and_records_the_conflict():
    other = "Different text entirely about the telephone call between the two presidents, by another agency."
    arts = [row("f1", WIRE, "2021-04-14"), row("f2", other, "2021-04-14")]
    ms = [mention("f1", 0, "CONSULT", [RUS], [FRA], "2021-04-13", basis="explicit"),
          mention("f2", 0, "CONSULT", [RUS], [FRA], "2021-04-14", basis="publication")]
    res = link(arts, ms)
    assert len(res.events) == 1
    ev = res.events[0]
    assert ev.date == "2021-04-13" and ev.sources == 2
    conflict = next(c for c in ev.conflicts if c.field == "date")
    assert conflict.chosen == "2021-04-13"
    assert conflict.values == {"2021-04-13": ["f1"], "2021-04-14": ["f2"]}
    assert "explicit" in conflict.why and "publication" in conflict.why


def test_copies_count_as_one_source_and_summary_cites_independent_sources():
    other = "Different text entirely about the telephone call between the two presidents, by another agency."
    arts = [row("g1", WIRE, "2021-04-13"), row("g2", edit(WIRE, 3), "2021-04-13"), row("g3", other, "2021-04-13")]
    ms = [mention(a, 0, "CONSULT", [RUS], [FRA], "2021-04-13", text=t) for a, t in
          (("g1", WIRE.split(". ")[0] + "."), ("g2", WIRE.split(". ")[0] + "."), ("g3", other))]
    ev = link(arts, ms).events[0]
    assert len(ev.articles) == 3 and ev.sources == 2
    assert len(ev.summary.split()) <= 60
    cited = {c["article_id"] for c in ev.summary_citations}
    assert len(cited) == len({"g" if a in ("g1", "g2") else a for a in cited})  # one citation per source
    assert all(c["sentence"] == 0 for c in ev.summary_citations)


def test_publication_date_corrected_from_near_copies_and_mentions_redated():
    arts = [row("h1", WIRE, "2021-04-13", "metadata"), row("h2", edit(WIRE, 4), "2021-04-13", "header"),
            row("h3", edit(WIRE, 5), "2021-06-01", "inferred",
                candidates=[{"value": "2021-06-01", "basis": "inferred", "confidence": 0.2, "text": "",
                             "rejected": None}])]
    ms = [mention("h1", 0, "CONSULT", [RUS], [FRA], "2021-04-13", basis="explicit"),
          mention("h3", 0, "CONSULT", [RUS], [FRA], "2021-06-01", basis="publication"),
          mention("h3", 1, "CONSULT", [RUS], [FRA], "2021-06-01", basis="relative")]  # "on Tuesday"
    res = link(arts, ms)
    assert [(c["article_id"], c["old"], c["new"]) for c in res.date_corrections] == [("h3", "2021-06-01",
                                                                                       "2021-04-13")]
    assert "near-copies" in res.date_corrections[0]["why"]
    assert len(res.events) == 1  # re-dated mentions joined the real event
    assert res.events[0].date == "2021-04-13"
    assert next(a for a in res.events[0].articles if a["id"] == "h3")["published"] == "2021-04-13"


def test_ids_stable_across_reruns_and_incremental_batches():
    arts1 = [row("i1", "Report one on the call.", "2021-04-13"), row("i2", "Report on sanctions.", "2021-04-15")]
    ms1 = [mention("i1", 0, "CONSULT", [RUS], [FRA], "2021-04-13"),
           mention("i2", 0, "SANCTION", [USA], [RUS], "2021-04-15")]
    first = link(arts1, ms1)
    again = link(list(reversed(arts1)), list(reversed(ms1)))
    assert sorted(e.id for e in first.events) == sorted(e.id for e in again.events)
    # a new batch: a report of the same call and a new event; earlier ids must survive
    arts2 = arts1 + [row("i3", "Second report of the call.", "2021-04-14"), row("i4", "New protest.", "2021-04-20")]
    ms2 = ms1 + [mention("i3", 0, "CONSULT", [FRA], [RUS], "2021-04-13"),
                 mention("i4", 0, "PROTEST", [], [RUS], "2021-04-20")]
    stories1 = {a: s.id for s in first.stories for a in s.article_ids}
    second = link(arts2, ms2, previous=first.mention_event, previous_stories=stories1)
    for mid, eid in first.mention_event.items():
        assert second.mention_event[mid] == eid
    assert second.mention_event["i3:0:0"] == first.mention_event["i1:0:0"]
    assert len(second.events) == 3
    stories2 = {a: s.id for s in second.stories for a in s.article_ids}
    assert all(stories2[a] == sid for a, sid in stories1.items())


def _unit(seed: int, base=None, noise: float = 0.0):
    import numpy as np

    rng = np.random.default_rng(seed)
    v = (base if base is not None else rng.normal(size=384)) + noise * rng.normal(size=384)
    return (v / np.linalg.norm(v)).tolist()


def test_stories_cluster_by_text_and_time_and_new_batches_join_them():
    import numpy as np

    topic_a = np.asarray(_unit(1))
    topic_b = np.asarray(_unit(2))
    batch1 = [row("s1", "Talks", "2021-04-13", embedding=_unit(10, topic_a, 0.02)),
              row("s2", "Talks again", "2021-04-14", embedding=_unit(11, topic_a, 0.02)),
              row("s3", "Floods", "2021-04-14", embedding=_unit(12, topic_b, 0.02), actor_codes=["BRA"])]
    first = link(batch1, [])
    story = {a: s.id for s in first.stories for a in s.article_ids}
    assert story["s1"] == story["s2"] != story["s3"]
    batch2 = batch1 + [row("s4", "Talks, day three", "2021-04-16", embedding=_unit(13, topic_a, 0.02)),
                       # same subject months later: outside the time window, a new story
                       row("s5", "Talks resume", "2021-09-01", embedding=_unit(14, topic_a, 0.02))]
    second = link(batch2, [], previous_stories=story)
    story2 = {a: s.id for s in second.stories for a in s.article_ids}
    assert story2["s4"] == story["s1"]
    assert story2["s5"] not in {story["s1"], story["s3"]}
    by_id = {s.id: s for s in second.stories}
    assert by_id[story["s1"]].start == "2021-04-13" and by_id[story["s1"]].end == "2021-04-16"


def test_undated_mention_joins_the_event_of_its_story_only():
    arts = [row("u1", WIRE, "2021-04-13"), row("u2", "Unrelated far later piece.", "2021-08-01",
                                                  embedding=_unit(3), actor_codes=["USA"])]
    arts[0]["embedding"] = _unit(4)
    ms = [mention("u1", 0, "CONSULT", [RUS], [FRA], "2021-04-13"),
          mention("u1", 3, "CONSULT", [RUS], [], None, precision=None, basis="unknown"),
          mention("u2", 0, "CONSULT", [RUS], [], None, precision=None, basis="unknown")]
    res = link(arts, ms)
    assert res.mention_event["u1:3:0"] == res.mention_event["u1:0:0"]
    # the far story's one-party mention makes no event of its own either: it waits as an unpromoted mention
    assert "u2:0:0" not in res.mention_event
    assert [u["mention_ids"] for u in res.unpromoted] == [["u2:0:0"]]


def test_parties_are_voted_by_independent_sources():
    """A stray party named by one of three sources is dropped (and recorded); a person and their country on the
    same side are one party; a hostless CONSULT has every party as actor."""
    from wiredesk.link.consensus import settle_parties
    from wiredesk.model import Entity, EventMention

    biden = Entity(code="USA", sector="GOV", name="Joe Biden", kb_id="person:joe-biden")
    usa = Entity(code="USA", sector="GOV", name="United States", kb_id="country:USA")
    putin = Entity(code="RUS", sector="GOV", name="Vladimir Putin", kb_id="person:vladimir-putin")
    ukr = Entity(code="UKR", name="Ukraine", kb_id="country:UKR")

    def mention(aid, actor, recipient):
        return EventMention(article_id=aid, sentence=0, start=0, end=1, text="x", event="CONSULT",
                            mode=["phone"], actor=actor, recipient=recipient, id=f"{aid}:0:0")

    members = [mention("a", [usa, putin], []), mention("b", [biden], [putin]), mention("c", [biden, putin], [ukr])]
    source_of = {"a": "a", "b": "b", "c": "c"}
    actor, recipient, conflicts = settle_parties("CONSULT", ["phone"], members, source_of,
                                                 [usa, biden, putin], [putin, ukr])
    assert [e.name for e in actor] == ["Joe Biden", "Vladimir Putin"]
    assert recipient == []
    assert conflicts and "UKR" in conflicts[0].why
    # A visit keeps its host as recipient, on the side most sources put it.
    visit = [mention("a", [biden], [putin]), mention("b", [biden], [putin]), mention("c", [biden, putin], [])]
    actor, recipient, _ = settle_parties("CONSULT", ["visit"], visit, source_of, [biden, putin], [putin])
    assert [e.code for e in actor] == ["USA"] and [e.code for e in recipient] == ["RUS"]


def test_the_minority_rule_drops_strays_not_the_second_party():
    """Four headlines coded with one party and two reports naming both: the second party is a minority of
    sources but the event's own counterpart, so it stays (the event would otherwise have one party and never be
    recorded); a third party named by one source of five is still dropped."""
    from wiredesk.link.consensus import settle_parties
    from wiredesk.model import Entity, EventMention

    chn = Entity(code="CHN", sector="GOV", name="Xi Jinping", kb_id="person:xi-jinping")
    idn = Entity(code="IDN", sector="GOV", name="Joko Widodo", kb_id="person:joko-widodo")
    aus = Entity(code="AUS", name="Australia", kb_id="country:AUS")

    def mention(aid, actor):
        return EventMention(article_id=aid, sentence=0, start=0, end=1, text="x", event="CONSULT",
                            mode=["phone"], actor=actor, recipient=[], id=f"{aid}:0:0")

    members = [mention(a, [chn]) for a in "abcd"] + [mention("e", [idn, chn]), mention("f", [idn, chn])]
    source_of = {m.article_id: m.article_id for m in members}
    actor, _recipient, conflicts = settle_parties("CONSULT", ["phone"], members, source_of, [chn, idn], [])
    assert sorted(e.code for e in actor) == ["CHN", "IDN"] and conflicts == []
    members[-1] = mention("f", [idn, chn, aus])
    actor, _recipient, conflicts = settle_parties("CONSULT", ["phone"], members, source_of, [chn, idn, aus], [])
    assert sorted(e.code for e in actor) == ["CHN", "IDN"]
    assert conflicts and conflicts[0].why.startswith("AUS named by fewer than half")


def test_location_is_voted_and_disagreement_recorded():
    from wiredesk.link.consensus import choose_location
    from wiredesk.model import EventMention, Place

    paris = Place(extracted_place="Paris", resolved_place="Paris", geonameid=2988507, country="FRA", precision="city")
    lyon = Place(extracted_place="Lyon", resolved_place="Lyon", geonameid=2996944, country="FRA", precision="city")

    def mention(aid, place):
        return EventMention(article_id=aid, sentence=0, start=0, end=1, text="x", event="CONSULT", location=place,
                            id=f"{aid}:0:0")

    members = [mention("a", paris), mention("b", paris), mention("c", lyon), mention("d", None)]
    # a and b independent: Paris has two sources. As near-copies (one group) they would tie with Lyon.
    place, conflict = choose_location(members, {"a": "g1", "b": "g2", "c": "c", "d": "d"})
    assert place.resolved_place == "Paris"
    assert conflict.values == {"Lyon": ["c"], "Paris": ["a", "b"]}
    place, _ = choose_location(members, {"a": "g1", "b": "g1", "c": "c", "d": "d"})
    assert place.resolved_place == "Lyon"  # 1-1 tie at equal precision: the name decides, deterministically
    assert choose_location([mention("d", None)], {"d": "d"}) == (None, None)


def test_a_one_party_cluster_waits_as_mentions_until_a_later_mention_names_the_recipient():
    arts = [row("p1", "Western governments had urged Beijing for months.", "2021-04-13"),
            row("p2", "China was asked by the United States to release the activists.", "2021-04-14")]
    chn = Entity(code="CHN", sector="GOV", name="China")
    lone = mention("p1", 0, "REQUEST", [chn], [], "2021-04-13", text="Beijing had urged for months.")
    first = link(arts[:1], [lone])
    assert first.events == [] and first.mention_event == {}
    assert first.unpromoted[0]["mention_ids"] == ["p1:0:0"] and first.unpromoted[0]["why"] == "no recipient"
    # the later article supplies the other party: the cluster (both mentions) is promoted to one event
    later = mention("p2", 0, "REQUEST", [chn], [USA], "2021-04-13", text="China was asked by the United States.")
    second = link(arts, [lone, later], first.mention_event)
    assert len(second.events) == 1 and second.unpromoted == []
    ev = second.events[0]
    assert {e.code for e in ev.actor} == {"CHN"} and {e.code for e in ev.recipient} == {"USA"}
    assert second.mention_event["p1:0:0"] == second.mention_event["p2:0:0"] == ev.id


def test_promotion_follows_plover_recipient_rules():
    arts = [row("q1", "Protesters marched; the two leaders met; officials spoke.", "2021-04-13")]
    cvl = Entity(code="FRA", sector="CVL", name="protesters")
    ms = [mention("q1", 0, "PROTEST", [cvl], [], "2021-04-13"),           # PLOVER: no recipient needed
          mention("q1", 1, "CONSULT", [RUS, FRA], [], "2021-04-13"),      # no-host talks: two actors
          mention("q1", 2, "CONSULT", [USA], [], "2021-04-13"),           # one party: not a meeting record
          mention("q1", 3, "ACCUSE", [USA], [USA], "2021-04-13")]         # actor = recipient: dropped
    res = link(arts, ms)
    assert sorted(e.event for e in res.events) == ["CONSULT", "PROTEST"]
    assert sorted(u["why"] for u in res.unpromoted) == ["no recipient", "one party"]
    assert set(res.mention_event) == {"q1:0:0", "q1:1:0"}


def test_expected_events_scorer_matches_optimally_not_first_come():
    """A coarse '2019' record must not take the expected event that a '2019-03' record reports exactly when that
    leaves another expected event unmatched; duplicates stay false positives."""
    from wiredesk.eval.expected import compare

    def rec(i, date, actor=("CHN",), recipient=("FRA",)):
        return {"id": i, "event": "CONSULT", "date": date, "actor": [{"code": c} for c in actor],
                "recipient": [{"code": c} for c in recipient], "flags": []}

    want = [{"id": "x-1", "event": "CONSULT", "date": "2019-03", "actor": ["CHN"], "recipient": ["FRA"]},
            {"id": "x-2", "event": "CONSULT", "date": "2019-11-05", "actor": ["FRA"], "recipient": ["CHN"]}]
    got = [rec("coarse", "2019", ("FRA",), ("CHN",)), rec("exact", "2019-03"), rec("dup", "2019-03")]
    r = compare(got, want)
    assert r["matched"] == 2 and {p["expected"]: p["event_id"] for p in r["pairs"]} == {"x-1": "exact", "x-2": "coarse"}
    assert [s["id"] for s in r["spurious"]] == ["dup"] and r["dates_exact"] == 1 and r["roles_correct"] == 2


def test_fallback_pair_weights_in_settings_cover_every_mention_feature():
    """settings.MENTION_COREF is used when the artefact is missing: it must weigh every feature the pair model
    computes, and agree in sign with the shipped artefact (a stale copy would silently drop new features)."""
    from wiredesk.link.mentions import FEATURES, load_model
    from wiredesk.settings import MENTION_COREF

    assert len(MENTION_COREF.weights) == len(FEATURES)
    shipped, _meta = load_model()
    for name, ours, theirs in zip(FEATURES, MENTION_COREF.weights, shipped.weights):
        assert abs(ours - theirs) < 0.05, name


DEU = Entity(code="DEU", sector="GOV", name="Germany")
JPN = Entity(code="JPN", sector="GOV", name="Japan")


def person(code: str, name: str) -> Entity:
    return Entity(code=code, sector="GOV", name=name, kb_id="person:" + name.lower().replace(" ", "-"))


def country(code: str) -> Entity:
    return Entity(code=code, name=code, kb_id="country:" + code)


def test_one_leaders_calls_with_two_counterparts_on_one_day_are_two_events():
    """Sharing one party is not enough across articles: the old rule merged {FRA, DEU} and {FRA, JPN}, and the
    growing event then absorbed every same-day call of either party."""
    arts = [row("k1", "Macron and Scholz call.", "2023-05-02"), row("k2", "Macron and Kishida call.", "2023-05-02"),
            row("k3", "Scholz call report.", "2023-05-02"), row("k4", "Kishida and Scholz call.", "2023-05-02")]
    ms = [mention("k1", 0, "CONSULT", [FRA, DEU], [], "2023-05-02"),
          mention("k2", 0, "CONSULT", [FRA, JPN], [], "2023-05-02"),
          # a report that names one party only joins the event of that party it fits
          mention("k3", 0, "CONSULT", [DEU], [], "2023-05-02"),
          mention("k4", 0, "CONSULT", [JPN, DEU], [], "2023-05-02")]
    res = link(arts, ms)
    ids = res.mention_event
    assert len({ids["k1:0:0"], ids["k2:0:0"], ids["k4:0:0"]}) == 3
    assert ids["k3:0:0"] in {ids["k1:0:0"], ids["k4:0:0"]}


def test_a_headline_naming_countries_and_a_lead_naming_leaders_are_one_event():
    arts = [row("h1", "India and Germany: invite on trade", "2023-01-03")]
    ms = [mention("h1", 0, "AGREE", [country("IND"), country("DEU")], [], "2023-01-03",
                  text="India and Germany: invite on trade"),
          mention("h1", 1, "AGREE", [person("DEU", "Olaf Scholz")], [person("IND", "Narendra Modi")], "2023-01-03",
                  text="Chancellor Olaf Scholz invited Prime Minister Narendra Modi to visit Germany on Tuesday.")]
    res = link(arts, ms)
    assert len(res.events) == 1 and res.mention_event["h1:0:0"] == res.mention_event["h1:1:0"]
    # and across articles as well
    arts2 = [row("h2", "India and Germany: invite on trade", "2023-01-03"),
             row("h3", "Scholz invites Modi", "2023-01-03")]
    ms2 = [mention("h2", 0, "AGREE", [country("IND"), country("DEU")], [], "2023-01-03"),
           mention("h3", 0, "AGREE", [person("DEU", "Olaf Scholz")], [person("IND", "Narendra Modi")], "2023-01-03")]
    assert len(link(arts2, ms2).events) == 1


def test_a_source_that_reports_the_event_as_done_does_not_hold_a_future_flag_of_one_clause():
    arts = [row("f1", "Sunak and Macron agree a deal.", "2023-03-10"), row("f2", "UK-France deal.", "2023-03-10")]
    ms = [mention("f1", 0, "AGREE", [person("GBR", "Rishi Sunak"), person("FRA", "Emmanuel Macron")], [],
                  "2023-03-10", text="Sunak and Macron agreed a new package on Friday."),
          mention("f1", 3, "AGREE", [country("GBR")], [country("FRA")], "2023-03-10", flags=["future"],
                  text="Under the deal, Britain will provide 540 million euros."),
          mention("f2", 0, "AGREE", [person("GBR", "Rishi Sunak"), person("FRA", "Emmanuel Macron")], [],
                  "2023-03-10", text="Sunak and Macron agreed a package.")]
    res = link(arts, ms)
    assert len(res.events) == 1 and "future" not in res.events[0].flags
    # a source whose every mention is a plan still holds the flag
    only_plan = link([row("f3", "Plan.", "2023-03-10")],
                     [mention("f3", 0, "AGREE", [country("GBR")], [country("FRA")], "2023-03-10", flags=["future"])])
    assert only_plan.events[0].flags == ["future"]


def test_a_party_put_on_both_sides_by_equally_many_sources_takes_the_side_more_mentions_give_it():
    arts = [row("s1", "Macron asks Xi.", "2023-04-06"), row("s2", "Macron urges Xi.", "2023-04-06")]
    xi, macron = person("CHN", "Xi Jinping"), person("FRA", "Emmanuel Macron")
    ms = [mention("s1", 0, "REQUEST", [macron], [xi], "2023-04-06", ordinal=0),
          mention("s1", 1, "REQUEST", [country("CHN")], [], "2023-04-06", ordinal=0),
          mention("s2", 0, "REQUEST", [macron], [xi], "2023-04-06", ordinal=0),
          mention("s2", 2, "REQUEST", [macron], [xi], "2023-04-06", ordinal=0),
          mention("s2", 3, "REQUEST", [country("CHN")], [], "2023-04-06", ordinal=0)]
    res = link(arts, ms)
    assert len(res.events) == 1
    assert [e.code for e in res.events[0].actor] == ["FRA"] and [e.code for e in res.events[0].recipient] == ["CHN"]


# ------------------------------------------------------------------ copies republished later, relative dates

def test_a_copy_republished_later_keeps_its_source_s_relative_date():
    # WIRE says "on Tuesday". The source appeared on Friday 2021-04-16 (Tuesday = the 13th); two copies of it
    # appeared on Thursday 2021-04-22, where "on Tuesday" read against their own date would be the 20th.
    arts = [row("s1", WIRE, "2021-04-16", "header"), row("s2", edit(WIRE, 7), "2021-04-22", "header"),
            row("s3", edit(WIRE, 8), "2021-04-22", "header")]
    sent = WIRE.split(". ")[0] + "."
    ms = [mention("s1", 0, "CONSULT", [RUS, FRA], [], "2021-04-13", basis="relative", text=sent),
          mention("s2", 0, "CONSULT", [RUS, FRA], [], "2021-04-20", basis="relative", text=sent),
          mention("s3", 0, "CONSULT", [RUS, FRA], [], "2021-04-20", basis="relative", text=sent.upper())]
    res = link(arts, ms)
    # the earlier source is not "corrected" to its later copies' date: copies come after, never before
    assert res.date_corrections == []
    assert [(e.date, len(e.articles)) for e in res.events] == [("2021-04-13", 3)]


def test_a_sentence_of_the_copy_s_own_keeps_its_own_anchor():
    other = "Putin and Macron spoke again on Tuesday, a week after their first call."
    arts = [row("t1", WIRE, "2021-04-16", "header"), row("t2", edit(WIRE, 9) + " " + other, "2021-04-22", "header")]
    ms = [mention("t1", 0, "CONSULT", [RUS, FRA], [], "2021-04-13", basis="relative", text=WIRE.split(". ")[0]),
          mention("t2", 9, "CONSULT", [RUS, FRA], [], "2021-04-20", basis="relative", text=other)]
    assert sorted(e.date for e in link(arts, ms).events) == ["2021-04-13", "2021-04-20"]


def test_an_earlier_date_yields_to_copies_only_when_a_month_ahead_or_weaker():
    arts = [row("w1", WIRE, "2020-04-13", "dateline"), row("w2", edit(WIRE, 4), "2021-04-13", "dateline"),
            row("w3", edit(WIRE, 5), "2021-04-13", "dateline")]  # a wrong year in one dateline
    fixes = link(arts, []).date_corrections
    assert [(c["article_id"], c["new"]) for c in fixes] == [("w1", "2021-04-13")]


def test_a_corrected_article_s_weekday_is_read_again_not_shifted():
    from wiredesk.link.copies import reanchored_date

    sent = "The ministers met on Wednesday in Vienna."
    # read on Tuesday 2021-04-20 "on Wednesday" is the 14th; read on Friday 2021-04-16 it is the 14th too,
    # where shifting by the four days between the two dates would give the 10th
    assert reanchored_date(sent, "2021-04-14", "day", "2021-04-20", "2021-04-16") == "2021-04-14"
    assert reanchored_date("They met yesterday.", "2021-04-19", "day", "2021-04-20", "2021-04-16") == "2021-04-15"


def test_a_joint_headline_does_not_vote_on_who_accused_whom():
    # "Australia and Italy: criticise on security" names both parties as actors of a one-way event; the body's
    # "Australia criticised Italy" says who did what to whom
    aus, ita = Entity(code="AUS", sector="GOV"), Entity(code="ITA", sector="GOV")
    arts = [row("j1", "Australia and Italy: criticise on security. Body one.", "2023-03-01"),
            row("j2", "Australia and Italy: criticise on security. Body two, other words.", "2023-03-01")]
    ms = [mention("j1", 0, "ACCUSE", [aus, ita], [], "2023-03-01", text="Australia and Italy: criticise"),
          mention("j2", 0, "ACCUSE", [aus, ita], [], "2023-03-01", text="Australia and Italy: criticise"),
          mention("j1", 1, "ACCUSE", [aus], [ita], "2023-03-01", text="Australia criticised Italy.")]
    [ev] = link(arts, ms).events
    assert ([e.code for e in ev.actor], [e.code for e in ev.recipient]) == (["AUS"], ["ITA"])


def test_a_headline_dated_by_publication_joins_its_article_s_event_days_earlier():
    # published Saturday 2023-03-18; the lead says the invitation came on Thursday the 16th. Another article
    # published the same Saturday with its own undated headline about an invitation between the same two
    # countries does not join: the relaxation holds within one article only
    lula, macron = Entity(code="BRA", sector="GOV", kb_id="p:lula"), Entity(code="FRA", sector="GOV", kb_id="p:mac")
    bra, fra = Entity(code="BRA", kb_id="country:BRA"), Entity(code="FRA", kb_id="country:FRA")
    arts = [row("v1", "Brazil invites France. Lula on Thursday invited Macron.", "2023-03-18", "header"),
            row("v2", "Brazil and France: invitation. Unrelated other words here.", "2023-03-18", "header")]
    ms = [mention("v1", 0, "AGREE", [bra, fra], [], "2023-03-18", basis="publication", text="Brazil invites France"),
          mention("v1", 1, "AGREE", [lula], [macron], "2023-03-16", basis="relative", text="Lula invited Macron."),
          mention("v2", 0, "AGREE", [bra, fra], [], "2023-03-18", basis="publication", text="Brazil and France")]
    events = link(arts, ms).events
    assert sorted((e.date, sorted(a["id"] for a in e.articles)) for e in events) == [
        ("2023-03-16", ["v1"]), ("2023-03-18", ["v2"])]


def test_an_earlier_dateline_is_not_corrected_by_a_later_copy_s_header():
    arts = [row("x1", WIRE, "2023-03-12", "dateline"), row("x2", edit(WIRE, 6), "2023-03-13", "header")]
    assert link(arts, []).date_corrections == []


def test_a_dateline_year_typo_is_corrected_when_the_lead_s_weekday_and_a_copy_agree():
    from wiredesk.ingest.pubdate import WEEKDAY_YEAR, lead_weekday_year

    # 6 April 2022 was a Wednesday, 6 April 2023 a Thursday: "held talks on Thursday" fits 2023
    other = lead_weekday_year("2022-04-06", " Macron held talks with Xi in Beijing on Thursday")
    assert other == "2023-04-06"
    weekday = {"value": other, "basis": "dateline", "confidence": 0.0, "text": "", "rejected": WEEKDAY_YEAR}
    typo = row("y1", WIRE, "2022-04-06", "dateline", candidates=[weekday])
    sent = "Macron held talks with Xi in Beijing on Thursday."
    ms = [mention("y1", 0, "CONSULT", [RUS, FRA], [], "2022-03-31", basis="relative", text=sent),
          mention("y2", 0, "CONSULT", [RUS, FRA], [], "2023-04-06", basis="relative", text=sent)]
    res = link([typo, row("y2", edit(WIRE, 3), "2023-04-06", "dateline")], ms)
    assert [(c["article_id"], c["new"]) for c in res.date_corrections] == [("y1", "2023-04-06")]
    assert "weekday" in res.date_corrections[0]["why"]
    assert [(e.date, len(e.articles)) for e in res.events] == [("2023-04-06", 2)]
    # without a copy dated the other year the weekday alone changes nothing
    alone = link([row("y1", WIRE, "2022-04-06", "dateline", candidates=[weekday]),
                  row("y3", edit(WIRE, 4), "2022-04-06", "dateline")], [])
    assert alone.date_corrections == []


def test_near_copy_pairs_in_duckdb_give_the_in_memory_groups():
    """The out-of-core near-copy pass (DuckDB banding and confirmation) finds the groups of the numpy pass, on
    texts edited to every degree around the threshold, with chains (A~B, B~C, A!~C) and bucket-mates unlike
    their head."""
    import json

    import duckdb

    from wiredesk.link.copies import duplicate_groups, groups_from_pairs, near_copy_pairs

    rng = random.Random(7)
    words = [f"w{i}" for i in range(3000)]
    articles = []
    for base in range(40):
        text = [rng.choice(words) for _ in range(120)]
        for copy in range(rng.randint(1, 5)):
            edited = list(text)
            for _ in range(rng.choice([0, 3, 10, 25, 40, 60])):  # from exact copies to unrelated rewrites
                edited[rng.randrange(len(edited))] = rng.choice(words)
            articles.append({"id": f"a{base:02d}-{copy}", "fingerprint": fingerprint_text(" ".join(edited))})
            text = edited  # the next copy edits this one: chains
    articles.append({"id": "empty", "fingerprint": fingerprint_text("")})
    articles.append({"id": "none", "fingerprint": None})
    expected = duplicate_groups(articles)
    assert 5 < sum(1 for a, g in expected.items() if g != "dup-" + a) < len(articles) - 40
    con = duckdb.connect()
    con.execute("CREATE TABLE articles (id VARCHAR, fingerprint VARCHAR)")
    con.executemany("INSERT INTO articles VALUES (?, ?)",
                    [[a["id"], json.dumps(a["fingerprint"]) if a["fingerprint"] is not None else None]
                     for a in articles])
    pairs = near_copy_pairs(con, "SELECT id, fingerprint FROM articles")
    assert groups_from_pairs(sorted(a["id"] for a in articles), pairs) == expected

"""The knowledge-base coverage audit (issue 5): declared periods with no single holder are not gaps, real holes are."""

import pytest

from wiredesk.actors import get_resolver
from wiredesk.actors.coverage import NO_SINGLE_HOLDER, declared_periods, office_gaps
from wiredesk.actors.kb import KnowledgeBase


def test_declared_periods_are_not_reported_as_gaps():
    gaps = office_gaps(KnowledgeBase())
    # Turkey's prime ministership was abolished in July 2018; Canada's head of state is the British monarch
    assert not [g for g in gaps if g[:2] in (("TUR", "hog"), ("CAN", "hos"))]
    declared = declared_periods()
    assert ("TUR", "hog", "2018-07-09", "2025-06-30") in [d[:4] for d in declared]
    assert all(why for *_, why in NO_SINGLE_HOLDER)


def test_a_declared_period_does_not_hide_a_missing_holder_outside_it():
    kb = KnowledgeBase()
    # remove Turkey's last prime minister: his years become a gap, the years after the abolition do not
    kb.offices[("TUR", "hog")] = [s for s in kb.offices[("TUR", "hog")] if "yildirim" not in s.kb_id]
    tur = [g for g in office_gaps(kb) if g[:2] == ("TUR", "hog")]
    assert tur == [("TUR", "hog", "2016-05-24", "2018-07-09")]


def test_declared_periods_are_well_formed_and_do_not_overlap_a_listed_holder():
    kb = KnowledgeBase()
    for country, office, start, end, _ in NO_SINGLE_HOLDER:
        assert office in ("hos", "hog", "fm") and (not end or start < end)
        for spell in kb.offices.get((country, office), []):
            s_end = spell.end[:10] if spell.end else "9999"
            # a holder inside a "no single holder" period means one of the two is wrong
            assert not (spell.start[:10] > start and s_end < (end or "9999")), (country, office, spell.kb_id)


@pytest.mark.parametrize("text,date,person", [
    # holders added by the second coverage pass: a head of an elected Council member, a prime minister who kept
    # the foreign portfolio, a king who was also prime minister, an acting president
    ("The Maltese president said on Monday.", "2011-05-01", "person:george-abela"),
    ("Panama's president arrived in Bogota.", "2006-03-01", "person:martin-torrijos"),
    ("Pakistan's foreign minister said.", "2015-06-01", "person:nawaz-sharif"),
    ("The Saudi prime minister said.", "2010-06-01", "person:king-abdullah-of-saudi-arabia"),
    ("The Lithuanian president said.", "2004-05-15", "person:arturas-paulauskas"),
])
def test_second_pass_offices_resolve_to_the_holder_at_the_date(text, date, person):
    assert person in [m.entity.kb_id for m in get_resolver().resolve_text(text, date)]


def test_an_abolished_office_names_nobody():
    # Turkey has no prime minister after July 2018: the phrase must not pick a former one
    found = [m.entity.kb_id for m in get_resolver().resolve_text("The Turkish prime minister said.", "2021-01-01")]
    assert not [k for k in found if k and k.startswith("person:")]

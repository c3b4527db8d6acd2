"""PLOVER coding rules (issue 6) on sentences the team wrote: each test names the convention it checks."""

from __future__ import annotations

import pytest

from wiredesk.coding import candidate_sentences, code_article, code_sentence
from wiredesk.model import ActorMention, Article, Entity, Sentence, Timex
from wiredesk.nlp import spacy_pipeline

DATE = "2023-05-02"


def codes(entities) -> set[str]:
    return {e.code for e in entities}


def only(text: str, date: str = DATE):
    """The single event coded from a sentence (fails when there is not exactly one)."""
    events = code_sentence(text, date)
    assert len(events) == 1, [(e.event, e.trigger) for e in events]
    return events[0]


def test_phone_call_is_consult_phone_with_all_parties_as_actors():
    ev = only("Chancellor Olaf Scholz spoke by telephone with President Emmanuel Macron on Monday.")
    assert ev.event == "CONSULT" and ev.mode == ["phone"]
    assert codes(ev.actor) == {"DEU", "FRA"} and ev.recipient == []


def test_telephoned_verb_is_a_phone_call_too():
    ev = only("British Prime Minister Rishi Sunak telephoned Irish Taoiseach Leo Varadkar on Friday.")
    assert (ev.event, ev.mode, codes(ev.actor), ev.recipient) == ("CONSULT", ["phone"], {"GBR", "IRL"}, [])


def test_visit_puts_visitor_in_actor_and_host_in_recipient():
    ev = only("Indian Prime Minister Narendra Modi visited Tokyo on Saturday.")
    assert ev.event == "CONSULT" and ev.mode == ["visit"]
    assert codes(ev.actor) == {"IND"} and codes(ev.recipient) == {"JPN"}


def test_hosting_makes_the_guest_the_actor():
    ev = only("French President Emmanuel Macron hosted German Chancellor Olaf Scholz at the Elysee on Tuesday.")
    assert ev.event == "CONSULT" and "visit" in ev.mode
    assert codes(ev.actor) == {"DEU"} and codes(ev.recipient) == {"FRA"}


def test_invitation_is_agree_not_consult():
    ev = only("China invited the Brazilian president to visit Beijing.")
    assert ev.event == "AGREE"
    assert codes(ev.actor) == {"CHN"} and codes(ev.recipient) == {"BRA"}


def test_planned_meeting_is_agree_with_future_flag():
    ev = only("Germany will host the Ukrainian president next month.")
    assert ev.event == "AGREE" and "future" in ev.flags


def test_signing_an_agreement_is_support_with_compound_actor():
    ev = only("Australia and Britain signed a free trade agreement in London.")
    assert ev.event == "SUPPORT"
    assert codes(ev.actor) == {"AUS", "GBR"}  # one event with a list, not one event per signatory
    assert ev.recipient == []  # London is where, not whom


def test_summoning_an_ambassador_is_accuse():
    ev = only("Poland summoned the Belarusian ambassador over the border incident.")
    assert ev.event == "ACCUSE" and ev.mode == ["disapprove"]
    assert codes(ev.actor) == {"POL"} and codes(ev.recipient) == {"BLR"}


@pytest.mark.parametrize("text", [
    "The talks between Serbia and Kosovo did not take place.",
    "Kenya did not send troops to Haiti.",
    "Israel never attacked the convoy, the army said.",
])
def test_negated_events_are_not_emitted(text):
    assert code_sentence(text, DATE) == []


def test_negated_future_cooperation_is_a_rejection():
    ev = only("Japan will not attend the summit in Beijing.")
    assert ev.event == "REJECT" and ev.mode == ["meet"]


def test_reporting_frame_codes_the_reported_event():
    ev = only("The Elysee said that France and Italy agreed to cooperate on migration.")
    assert ev.event == "AGREE" and codes(ev.actor) == {"FRA", "ITA"}


def test_according_to_frame_codes_the_reported_event():
    ev = only("According to the foreign ministry, Egypt condemned the Israeli strike.")
    assert ev.event == "ACCUSE" and codes(ev.actor) == {"EGY"} and codes(ev.recipient) == {"ISR"}


def test_pure_statement_without_event_is_not_coded():
    assert code_sentence("The minister said the weather in Paris was pleasant.", DATE) == []


def test_two_events_in_one_sentence():
    events = code_sentence("Israeli soldiers arrested 20 Palestinians and the army demolished three homes in Hebron.",
                           DATE)
    kinds = {(e.event, tuple(e.mode)) for e in events}
    assert kinds == {("COERCE", ("arrest",)), ("ASSAULT", ("destroy",))}
    assert [e.id.rsplit(":", 1)[1] for e in events] == ["0", "1"]


def test_the_two_leaders_expand_to_the_parties():
    events = code_sentence("Macron and Scholz met in Berlin. The two leaders agreed to meet again in June.", DATE)
    agree = [e for e in events if e.event == "AGREE"]
    assert agree and codes(agree[0].actor) == {"FRA", "DEU"}
    assert all(e.code != "PLURAL" for e in agree[0].actor)


def test_demand_names_the_addressee_of_the_demanded_clause():
    ev = only("Washington demanded that Moscow release the detained journalist immediately.")
    assert ev.event == "REQUEST" and ev.mode == ["yield"]
    assert codes(ev.actor) == {"USA"} and codes(ev.recipient) == {"RUS"}


def test_threat_mode_is_the_content_of_the_threat():
    ev = only("North Korea threatened to strike US bases in Guam.")
    assert ev.event == "THREATEN" and ev.mode == ["violence"]


def test_conditional_consequence_is_hypothetical_and_condition_is_no_event():
    events = code_sentence("If Russia attacks Moldova, Romania would send troops.", DATE)
    assert len(events) == 1 and "hypothetical" in events[0].flags
    assert codes(events[0].actor) == {"ROU"}  # the attack in the if-clause is a condition, not an event


def test_passive_attack_has_the_victims_as_recipient():
    ev = only("Three US servicemen were killed by a roadside bomb near Basra.")
    assert ev.event == "ASSAULT" and ev.mode == ["explosives"]
    assert ev.actor == [] and codes(ev.recipient) == {"USA"}


# ------------------------------------------------------------------ article-level: dates, flags, filter

def _article(text: str, published: str = DATE, timexes=(), dateline=None) -> tuple[Article, dict]:
    nlp = spacy_pipeline()
    sentences, start = [], 0
    for k, part in enumerate(text.split("\n")):
        sentences.append(Sentence(k, start, start + len(part), part, paragraph=k))
        start += len(part) + 1
    article = Article(id="a1", text=text, published=published, sentences=sentences, timexes=list(timexes),
                      dateline=dateline)
    from wiredesk.actors import get_resolver

    docs = {s.index: nlp(s.text) for s in sentences}
    article.actors = get_resolver().resolve_article(article, docs)
    return article, docs


def test_event_date_comes_from_the_timex_that_governs_the_event():
    text = "Russia threatened on Monday to cut gas supplies to Moldova, the newspaper reported on Wednesday."
    mon, wed = text.index("Monday"), text.index("Wednesday")
    timexes = [Timex(mon, mon + 6, "Monday", "DATE", "2023-05-01", "day", anchored=True),
               Timex(wed, wed + 9, "Wednesday", "DATE", "2023-05-03", "day", anchored=True)]
    article, docs = _article(text, "2023-05-03", timexes)
    [ev] = code_article(article, docs)
    assert ev.event == "THREATEN"
    assert (ev.date, ev.date_precision, ev.date_basis) == ("2023-05-01", "day", "relative")


def test_event_date_falls_back_to_dateline_then_publication():
    text = "Germany expelled four Russian diplomats."
    article, docs = _article(text, "2023-05-03", dateline={"place": "Berlin", "date": "2023-05-02"})
    [ev] = code_article(article, docs)
    assert (ev.date, ev.date_basis) == ("2023-05-02", "dateline")
    article, docs = _article(text, "2023-05-03")
    [ev] = code_article(article, docs)
    assert (ev.date, ev.date_basis) == ("2023-05-03", "publication")


def test_background_years_get_their_own_date_and_historical_flag():
    text = "In 2008, Russian troops invaded Georgia."
    timexes = [Timex(3, 7, "2008", "DATE", "2008", "year")]
    article, docs = _article(text, "2023-05-03", timexes)
    [ev] = code_article(article, docs)
    assert (ev.date, ev.date_precision, ev.date_basis) == ("2008", "year", "explicit")
    assert "historical" in ev.flags


def test_evidence_span_points_into_article_text():
    text = "The weather was mild.\nPoland expelled 45 Russian diplomats on suspicion of spying."
    article, docs = _article(text)
    [ev] = code_article(article, {1: docs[1]})
    assert article.text[ev.start:ev.end] == ev.text == article.sentences[1].text
    assert ev.id == "a1:1:0" and ev.trigger == "expelled" and ev.event == "SANCTION"


def test_candidate_sentences_need_a_trigger_and_an_actor():
    text = ("Italy and Spain held talks in Rome.\n"
            "The weather in Rome was mild and sunny.\n"
            "Officials met again later.")
    article, _ = _article(text)
    assert candidate_sentences(article) == [0]  # 1 has an actor but no trigger, 2 a trigger but no actor


def test_sentence_without_a_doc_is_not_coded():
    article, docs = _article("Poland expelled 45 Russian diplomats.\nGermany condemned the attack.")
    events = code_article(article, {0: docs[0]})
    assert {e.sentence for e in events} == {0}


def test_context_comes_from_sentence_and_paragraph():
    ev = only("The United States imposed new sanctions on Iranian drone makers on Tuesday.")
    assert ev.event == "SANCTION" and "economic" in ev.context


def test_confidence_is_a_probability_and_actors_are_entities():
    ev = only("Turkey warned that it would freeze talks with Sweden.")
    assert 0.0 < ev.confidence <= 1.0
    assert all(isinstance(e, Entity) for e in ev.actor + ev.recipient)


def test_plural_mentions_from_the_resolver_expand_in_code_article():
    text = "Both sides agreed to a ceasefire."
    article, docs = _article(text)
    both = Entity("PLURAL", candidates=[Entity("ARM").to_dict(), Entity("AZE").to_dict()], entity_text="Both sides")
    article.actors = [ActorMention(0, 10, "Both sides", both, 0)]
    [ev] = code_article(article, docs)
    assert ev.event == "AGREE" and codes(ev.actor) == {"ARM", "AZE"}


# ------------------------------------------------------------------ role assignment (who is actor, who recipient)

def test_request_goes_to_the_one_asked_not_to_parties_in_its_content():
    ev = only("Chancellor Olaf Scholz urged Turkish President Recep Tayyip Erdogan to let Sweden join NATO.")
    assert ev.event == "REQUEST" and codes(ev.actor) == {"DEU"} and codes(ev.recipient) == {"TUR"}


def test_demanded_clause_subject_receives_not_the_object_of_the_clause():
    ev = only("Poland demanded that Germany stop buying gas from Russia.")
    assert ev.event == "REQUEST" and codes(ev.actor) == {"POL"} and codes(ev.recipient) == {"DEU"}


def test_called_on_names_the_addressee():
    ev = only("Lithuania called on the European Union to expand sanctions against Belarus.")
    assert codes(ev.actor) == {"LTU"} and codes(ev.recipient) == {"EUR"}


def test_pronoun_addressee_is_the_party_named_before_it():
    events = code_sentence("Spanish Prime Minister Pedro Sanchez met Chinese President Xi Jinping in Beijing on "
                           "Friday and urged him to talk to Ukraine's leader.", DATE)
    req = [e for e in events if e.event == "REQUEST"]
    assert req and codes(req[0].actor) == {"ESP"} and codes(req[0].recipient) == {"CHN"}


def test_rejected_proposal_goes_to_its_author_not_to_places_inside_it():
    ev = only("Serbia rejected a European Union proposal for a border crossing with Kosovo.")
    assert ev.event == "REJECT" and codes(ev.actor) == {"SRB"} and codes(ev.recipient) == {"EUR"}


def test_head_of_an_object_wins_over_parties_in_its_description():
    ev = only("Japanese officials shared intelligence with South Korea about North Korean missile launches.")
    assert codes(ev.actor) == {"JPN"} and codes(ev.recipient) == {"KOR"}


def test_passive_summons_of_an_ambassador_is_accuse_with_the_summoner_as_actor():
    ev = only("The Chinese ambassador was summoned by the Lithuanian foreign ministry on Tuesday.")
    assert ev.event == "ACCUSE" and codes(ev.actor) == {"LTU"} and codes(ev.recipient) == {"CHN"}


def test_denied_plan_is_no_event():
    assert code_sentence("Belarus denies any plan to invade Lithuania.", DATE) == []


def test_opinion_on_a_possible_sanction_is_no_event():
    assert [e.event for e in code_sentence("Beijing says new tariffs would be a grave error.", DATE)
            if e.event == "SANCTION"] == []


def test_topic_of_a_quarrel_is_no_event():
    events = code_sentence("The two ministers parted with sharp differences over cyber attacks.", DATE)
    assert all(e.event != "COERCE" for e in events)


def test_venue_of_a_news_conference_is_no_party():
    events = code_sentence("Ramaphosa spoke on Monday at a news conference in Nairobi, where he was attending a "
                           "summit of the East African Community.", DATE)
    assert all("KEN" not in codes(e.actor) for e in events)


def test_trip_to_a_city_that_names_no_party_is_no_event():
    assert code_sentence("Scholz is due to travel to Shenzhen on Friday.", DATE) == []


def test_planned_trip_to_a_capital_is_agree_with_the_host_as_recipient():
    ev = only("Scholz will travel to Beijing next week.")
    assert ev.event == "AGREE" and codes(ev.actor) == {"DEU"} and codes(ev.recipient) == {"CHN"}


def test_describing_verb_takes_the_described_person_as_actor():
    ev = only("Spanish Prime Minister Pedro Sanchez flew to Beijing on Thursday, the first EU leader to visit "
              "China this year.")
    assert ev.event == "CONSULT" and codes(ev.actor) == {"ESP"} and codes(ev.recipient) == {"CHN"}


def test_material_act_lands_on_the_place_where_it_happens():
    ev = only("Israel eased restrictions in Gaza on Sunday.")
    assert ev.event == "CONCEDE" and codes(ev.actor) == {"ISR"} and codes(ev.recipient) == {"PSE"}
    ev = only("Hezbollah threatened to resume attacks in Israel.")
    assert ev.event == "THREATEN" and codes(ev.actor) == {"LBN"} and codes(ev.recipient) == {"ISR"}


def test_threat_names_the_party_of_its_condition():
    ev = only("Iran threatened to leave the talks if the United States imposes new sanctions.")
    assert ev.event == "THREATEN" and codes(ev.actor) == {"IRN"} and codes(ev.recipient) == {"USA"}


def test_domestic_crackdown_on_unnamed_protesters_is_coded_with_the_own_country():
    ev = only("Iranian police arrested dozens of protesters in Tehran on Saturday.")
    assert ev.event == "COERCE" and codes(ev.actor) == {"IRN"} and codes(ev.recipient) == {"IRN"}
    assert ev.recipient[0].sector != ev.actor[0].sector


def test_warnings_on_a_country_do_not_make_it_a_recipient():
    events = code_sentence("Washington and Moscow traded warnings on Ukraine on Tuesday.", DATE)
    assert events and all("UKR" not in codes(e.recipient) for e in events)


def test_stance_participle_keeps_its_subject_as_actor():
    ev = only("Turkey is opposed to Swedish membership of NATO, a senior Turkish official said.")
    assert ev.event == "REJECT" and codes(ev.actor) == {"TUR"}


def test_phone_partner_hanging_off_the_medium_is_a_party():
    ev = only("Prime Minister Fumio Kishida spoke by telephone with President Yoon Suk Yeol on Friday, the third "
              "conversation between the two leaders this year.")
    assert ev.event == "CONSULT" and ev.mode == ["phone"] and codes(ev.actor) == {"JPN", "KOR"}


def test_troop_build_up_lands_on_the_neighbour_it_faces():
    ev = only("Azerbaijan deployed tanks near the Armenian border on Monday.")
    assert ev.event == "MOBILIZE" and codes(ev.actor) == {"AZE"} and codes(ev.recipient) == {"ARM"}


def test_protest_without_a_named_target_is_aimed_at_the_own_government():
    # CAMEO-era gold, ICEWS and POLECAT convention (roles.DOMESTIC_EVENTS)
    ev = only("Thousands of Serbians protested in Belgrade on Saturday.")
    assert ev.event == "PROTEST" and codes(ev.actor) == {"SRB"}
    assert [(e.code, e.sector) for e in ev.recipient] == [("SRB", "GOV")]


def test_protest_against_a_named_foreign_party_keeps_that_party():
    ev = only("Thousands of Pakistanis protested in Karachi against India.")
    assert ev.event == "PROTEST" and codes(ev.actor) == {"PAK"} and codes(ev.recipient) == {"IND"}


def test_domestic_restriction_naming_no_party_lands_on_the_own_country():
    ev = only("The Iraqi government imposed martial law on Sunday.")
    assert ev.event == "COERCE" and codes(ev.actor) == {"IRQ"}
    assert [(e.code, e.sector) for e in ev.recipient] == [("IRQ", "CVL")]


def test_domestic_rule_stays_out_when_another_country_is_named():
    # the foreign party may be the one acted on although the parse did not attach it
    evs = [m for m in code_sentence("Russia blocked access to Facebook, an American company, on Friday.",
                                    "2022-03-04") if m.event == "COERCE"]
    assert evs and all("RUS" not in codes(m.recipient) for m in evs)


def test_no_before_the_subject_negates_the_event():
    assert code_sentence("No talks between Ruto and Museveni were held to settle the dispute.", DATE) == []


# ---------------------------------------------------------------- which temporal expression dates the event
# A timex dates the event only when it attaches to the event's own clause: a "since"/"until"/"ahead of" phrase
# dates another, earlier or later, event; so does a relative clause on another noun and a date that is the
# subject of another clause; a plan or promise (AGREE) is dated when it is made, never at the planned date.

def _tagged(text: str, published: str, spans: list[tuple[str, str, str, bool]], dateline=None):
    """The one event of ``text`` with timexes (surface, value, precision, anchored) placed by hand."""
    timexes = []
    for surface, value, precision, anchored in spans:
        at = text.index(surface)
        timexes.append(Timex(at, at + len(surface), surface, "DATE", value, precision, anchored=anchored))
    article, docs = _article(text, published, timexes, dateline)
    return code_article(article, docs)


def test_since_phrase_dates_an_earlier_event_not_the_meeting():
    text = "On Monday, Modi met Japanese Prime Minister Fumio Kishida in Delhi, their first meeting since 2019."
    events = _tagged(text, "2023-03-21", [("Monday", "2023-03-20", "day", True), ("2019", "2019", "year", False)])
    assert events and {(e.event, e.date, e.date_basis) for e in events} == {("CONSULT", "2023-03-20", "relative")}
    assert all("historical" not in e.flags for e in events)


def test_since_clause_leaves_the_event_to_the_dateline():
    text = "It was the Spanish prime minister's second visit to Morocco since taking office in 2018."
    [ev] = _tagged(text, "2023-02-02", [("2018", "2018", "year", False)],
                   dateline={"place": "Rabat", "date": "2023-02-01"})
    assert (ev.event, ev.date, ev.date_basis) == ("CONSULT", "2023-02-01", "dateline")


def test_event_in_a_since_clause_keeps_its_own_date():
    text = "Kenya has not hosted an Ethiopian minister since Ethiopian troops attacked Somalia in March 2021."
    events = _tagged(text, "2023-05-02", [("March 2021", "2021-03", "month", False)])
    assault = [e for e in events if e.event == "ASSAULT"]
    assert assault and assault[0].date == "2021-03"
    assert all(e.date == "2023-05-02" for e in events if e.event != "ASSAULT")


def test_relative_clause_on_the_subject_has_its_own_date():
    text = "The Dutch prime minister, who visited Kyiv on Friday, met the German chancellor in Berlin."
    events = _tagged(text, "2023-05-02", [("Friday", "2023-04-28", "day", True)])
    by_trigger = {e.trigger: e for e in events}
    assert by_trigger["met"].date == "2023-05-02" and by_trigger["met"].date_basis == "publication"
    assert by_trigger["visited"].date == "2023-04-28"


def test_date_that_is_the_subject_of_another_clause_does_not_date_the_call():
    text = "Scholz and Macron hold a phone call as March talks near"
    events = _tagged(text, "2023-02-20", [("March", "2023-03", "month", True)])
    calls = [e for e in events if e.trigger == "hold"]
    assert calls and calls[0].date == "2023-02-20" and calls[0].date_basis == "publication"


def test_agreed_plan_is_dated_when_agreed_not_at_the_planned_date():
    text = "Spain and Morocco agreed that their foreign ministers would meet in Rabat next month."
    [ev] = _tagged(text, "2023-05-02", [("next month", "2023-06", "month", True)])
    assert ev.event == "AGREE" and (ev.date, ev.date_basis) == ("2023-05-02", "publication")
    text = "Spain and Morocco agreed on Monday that their foreign ministers would meet in Rabat next month."
    [ev] = _tagged(text, "2023-05-02", [("Monday", "2023-05-01", "day", True),
                                        ("next month", "2023-06", "month", True)])
    assert ev.event == "AGREE" and (ev.date, ev.date_basis) == ("2023-05-01", "relative")


def test_future_tense_visit_is_agree_dated_at_the_report_with_future_flag():
    ev = only("Germany will host the Ukrainian president next month.")
    assert ev.event == "AGREE" and ev.date == DATE and "future" in ev.flags


def test_timex_on_the_trigger_beats_one_on_a_sibling_clause():
    text = ("Kenya has not hosted an Ethiopian minister since Ethiopian troops attacked Somalia in March 2021, "
            "though its president met Somalia's president last month.")
    events = _tagged(text, "2023-05-02", [("March 2021", "2021-03", "month", False),
                                          ("last month", "2023-04", "month", True)])
    assert [e.date for e in events if e.event == "ASSAULT"] == ["2021-03"]


def _datelined(lead: str, dateline_text: str, day: str):
    from wiredesk.timex import tag

    text = "Leaders meet in Rome\n" + dateline_text + " " + lead
    article, docs = _article(text, day, tag(text, day), dateline={"place": "Rome", "date": day,
                                                                  "text": dateline_text})
    return code_article(article, docs)


def test_a_lead_weekday_alone_does_not_change_the_dateline_year():
    # 9 May 2022 was a Monday; 9 May 2023 a Tuesday. "On Tuesday" may be the Tuesday before the dateline (a
    # weekday is weak evidence of a typo): the coder reads it against the dateline as written. Only a near-copy
    # dated 2023 makes linking correct the year (tests/test_link.py, ingest.pubdate.lead_weekday_year).
    events = _datelined("Italian Prime Minister Giorgia Meloni met Japanese Prime Minister Fumio Kishida in Rome "
                        "on Tuesday.", "Rome, 9 May 2022 (ANS):", "2022-05-09")
    assert {(e.event, e.date) for e in events if e.sentence == 1} == {("CONSULT", "2022-05-03")}


def test_dateline_consistent_with_the_leads_weekday_is_kept():
    for weekday, day in (("Monday", "2022-05-09"), ("Sunday", "2022-05-09")):
        events = _datelined(f"Italian Prime Minister Giorgia Meloni met Japanese Prime Minister Fumio Kishida in "
                            f"Rome on {weekday}.", "Rome, 9 May 2022 (ANS):", day)
        assert events and all(e.date.startswith("2022-05") for e in events)


def _paragraph(text: str, published: str, spans):
    """``text``'s lines as sentences of one paragraph, timexes placed by hand."""
    timexes = []
    for surface, value, precision, anchored in spans:
        at = text.index(surface)
        timexes.append(Timex(at, at + len(surface), surface, "DATE", value, precision, anchored=anchored))
    article, docs = _article(text, published, timexes)
    for sentence in article.sentences:
        sentence.paragraph = 0
    return code_article(article, docs)


def test_pluperfect_event_takes_the_date_of_the_previous_sentence_in_its_paragraph():
    text = ("On Sunday the Indian foreign minister held talks with his Chinese counterpart in Delhi.\n"
            "Officials said the Indian minister had invited the Chinese minister to visit Mumbai.")
    events = _paragraph(text, "2023-05-02", [("Sunday", "2023-04-30", "day", True)])
    agree = [e for e in events if e.event == "AGREE" and e.sentence == 1]
    assert agree and (agree[0].date, agree[0].date_basis) == ("2023-04-30", "relative")
    # a simple past keeps the report's own day
    events = _paragraph(text.replace("had invited", "invited"), "2023-05-02", [("Sunday", "2023-04-30", "day", True)])
    agree = [e for e in events if e.event == "AGREE" and e.sentence == 1]
    assert agree and (agree[0].date, agree[0].date_basis) == ("2023-05-02", "publication")


# Role rules of the issue-5 round (docs/coding.md): team-written sentences, none from the PLOVER dev records.

def test_accused_is_the_direct_object_not_a_place_in_the_topic():
    ev = only("Canada blamed Iran for the downing of a passenger jet near Tehran.")
    assert ev.event == "ACCUSE" and codes(ev.actor) == {"CAN"} and codes(ev.recipient) == {"IRN"}


def test_mediator_acts_on_the_parties():
    ev = only("The Norwegian envoy began a mediation mission between Colombia and Venezuela.")
    assert ev.event == "CONSULT" and "third-party" in ev.mode
    assert codes(ev.actor) == {"NOR"} and codes(ev.recipient) == {"COL", "VEN"}


@pytest.mark.parametrize("text,country", [
    ("Thousands of Georgian students marched in Tbilisi to protest the Georgian government's foreign agent law.",
     "GEO"),
    ("Serbian farmers blocked roads in Novi Sad in defiance of the Serbian government to demand higher subsidies.",
     "SRB"),
])
def test_protest_is_aimed_at_the_government_its_clause_names(text, country):
    ev = only(text)
    assert ev.event == "PROTEST" and codes(ev.actor) == {country}
    assert [(e.code, e.sector) for e in ev.recipient] == [(country, "GOV")]


def test_curfew_in_a_city_of_the_actors_own_country_lands_on_that_country():
    ev = only("Kazakh authorities imposed a curfew in Almaty after the riots.")
    assert ev.event == "COERCE" and codes(ev.actor) == {"KAZ"} and codes(ev.recipient) == {"KAZ"}


def test_refused_deployment_lands_on_its_place():
    ev = only("The United Nations rejected a request for its troops to be deployed in northern Mali.")
    assert ev.event == "REJECT" and codes(ev.recipient) == {"MLI"}


def test_clausal_subject_under_said_leaves_the_speaker_as_actor():
    ev = only("Brazilian officials said that renewing the agreement with Paraguay was out of the question.")
    assert ev.event == "REJECT" and codes(ev.actor) == {"BRA"} and codes(ev.recipient) == {"PRY"}


def test_party_phrase_on_an_object_noun_beats_parties_in_its_topic():
    ev = only("French intelligence officials exchanged information with Morocco about a planned attack on a "
              "Spanish port.")
    assert codes(ev.actor) == {"FRA"} and codes(ev.recipient) == {"MAR"}


def test_demand_noun_that_clause_names_the_one_asked():
    ev = only("The opposition alliance insisted on its demands that Pakistan's government hold early elections.")
    assert ev.event == "REQUEST" and codes(ev.recipient) == {"PAK"}


def test_place_struck_stands_for_its_people():
    # roles.PLACE_SECTOR_EVENTS: the place as recipient of violence is its people (CVL), not its government
    ev = only("Russian missiles struck targets in Kyiv overnight.", "2022-05-01")
    assert ev.event == "ASSAULT"
    assert [(e.code, e.sector) for e in ev.recipient] == [("UKR", "CVL")]
    ev = only("Turkish authorities imposed a curfew in the town of Cizre in southeastern Turkey.", "2016-05-01")
    assert [(e.code, e.sector) for e in ev.recipient] == [("TUR", "CVL")]


def test_protest_target_is_the_head_not_a_party_in_its_description():
    ev = only("Afghan refugees staged a demonstration in Islamabad to protest against Pakistan's plan to send them "
              "back to Afghanistan.", "2010-01-01")
    assert ev.event == "PROTEST" and codes(ev.recipient) == {"PAK"}


def test_dangling_preposition_takes_the_noun_the_parser_made_a_clause_subject():
    # the parser reads "officers holed up in ..." as a clause and leaves "to" without an object
    # (roles.Arguments.objects); the spaCy model pinned in requirements/ parses this sentence that way
    ev = only("Ecuador has granted diplomatic asylum to two Colombian army officers holed up in a diplomatic "
              "residence since last month's coup, the Ecuadorean embassy said on Monday.", "2020-01-01")
    assert ev.event == "AID" and codes(ev.actor) == {"ECU"} and codes(ev.recipient) == {"COL"}


def test_participle_misread_as_the_subject_gives_no_actor_from_its_place():
    ev = only("The Red Cross operating in Yemen said Saudi forces must allow aid convoys through.", "2020-01-01")
    assert ev.event == "REQUEST" and codes(ev.actor) == {"IGO"} and codes(ev.recipient) == {"SAU"}


def test_climbing_past_he_does_not_take_the_state_subject_above():
    evs = code_sentence("A senior French minister insisted that Iran must free the detained aid workers as he "
                        "left for Oman to seek regional support for the demand.", "2020-01-01")
    assert evs and all("IRN" not in codes(m.actor) for m in evs)
    assert any(codes(m.actor) == {"FRA"} and codes(m.recipient) == {"IRN"} for m in evs)


def test_unknown_body_based_in_a_place_is_of_that_place():
    ev = only("A militia based in northern Mali attacked a village in Burkina Faso.", "2019-01-01")
    assert ev.event == "ASSAULT" and codes(ev.actor) == {"MLI"} and codes(ev.recipient) == {"BFA"}


@pytest.mark.parametrize("text,event,mode,actor,recipient", [
    # troop and police moves by any motion verb with forces as object (MOBILIZE)
    ("Pakistan moved two divisions and heavy artillery toward the Indian border.", "MOBILIZE", "troops", "PAK", "IND"),
    ("China rushed reinforcements to its border with Bhutan.", "MOBILIZE", "troops", "CHN", "BTN"),
    # relief flown or shipped (AID)
    ("Qatar flew 40 tonnes of food to flood victims in Pakistan.", "AID", None, "QAT", "PAK"),
    # arriving or flying somewhere for talks is a visit (CONSULT visit)
    ("Egypt's foreign minister arrived in Ankara for talks with Turkish officials.", "CONSULT", "visit", "EGY", "TUR"),
    ("The British prime minister flew to Kyiv for a summit with Ukrainian leaders.", "CONSULT", "visit", "GBR", "UKR"),
    # downing tools, walking off the job (PROTEST strike)
    ("Teachers in Peru downed tools over unpaid wages.", "PROTEST", "strike", "PER", "PER"),
    ("Bus drivers in Kenya walked off the job on Tuesday.", "PROTEST", "strike", "KEN", "KEN"),
])
def test_trigger_classes_of_the_fourth_actor_round(text, event, mode, actor, recipient):
    ev = only(text)
    assert ev.event == event and (mode is None or ev.mode == [mode])
    assert codes(ev.actor) == {actor} and codes(ev.recipient) == {recipient}


def test_a_bare_ministry_takes_the_country_of_its_dateline():
    ev = only("LIMA, Feb 4 (Reuters) - The interior ministry arrested 12 members of a banned group.")
    assert ev.event == "COERCE" and codes(ev.actor) == {"PER"}
    assert all(e.score < 0.5 for e in ev.actor)  # a guess from context, below any named actor


@pytest.mark.parametrize("text,accused", [
    ("Prosecutors in Kyiv opened an inquiry into Russian shelling of the city.", {"RUS"}),
    # the doer of the described act is the accused, not its victims
    ("Ukraine launched an investigation into crimes committed by Russian soldiers against Georgian volunteers.",
     {"RUS"}),
])
def test_an_investigation_into_an_act_accuses_its_doer(text, accused):
    ev = only(text)
    assert ev.event == "ACCUSE" and ev.mode == ["investigate"]
    assert codes(ev.recipient) == accused


def test_unattributed_violence_takes_the_place_of_its_target():
    # "an army post in southern Niger": the target's place is where the attack happened
    ev = only("Gunmen attacked a military checkpoint in southern Niger on Sunday, killing seven soldiers.")
    assert ev.event == "ASSAULT" and codes(ev.actor) == {"NER"} and codes(ev.recipient) == {"NER"}


def test_word_forms_cover_the_inflections_the_prefilter_must_see():
    from wiredesk.coding.lexicon import lexicon, word_forms

    assert {"ban", "bans", "banned", "banning"} <= word_forms("ban")
    assert {"seize", "seized", "seizing", "seizes"} <= word_forms("seize")
    assert {"deny", "denies", "denied"} <= word_forms("deny")
    assert {"withdrew", "withdrawn"} <= word_forms("withdraw")
    assert {"expelled", "expelling"} <= word_forms("expel")  # British doubled l of agency copy
    assert "travelled" in word_forms("travel")
    # every non-reporting trigger verb's forms are in the candidate filter's set
    lex = lexicon()
    assert word_forms("expel") <= lex.candidate_forms
    assert lex.has_trigger("Moscow expelled two diplomats.")


def test_a_participle_coordinated_with_the_victim_clause_is_the_same_assault():
    events = code_sentence("Russian artillery shelled Kharkiv, killing six civilians and wounding 20.", "2023-05-02")
    assert [e.event for e in events] == ["ASSAULT"]

"""Who did it to whom: actor and recipient lists for a resolved frame, from the parse and ``article.actors``.

Conventions (PLOVER 0.8, docs/coding.md):
- actor = grammatical subject of the frame (the speaker of a reported demand, not the reporter); passive
  clauses take the ``by`` agent; compound subjects give one event with a list;
- recipient = objects and the objects of directed prepositions (to, with, against, on, from, at, ...) of the
  frame and of its embedded event, and the subject of a demanded clause ("demanded that the US cancel");
- CONSULT: visitor = actor, host = recipient ("X hosted Y": Y is the actor); meetings, talks and phone calls
  put every party in ``actor`` and leave ``recipient`` empty;
- "the two leaders" / "both sides" (entity code PLURAL) expand to their candidate parties.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from wiredesk.model import ActorMention, Entity

from .rules import (CONDITIONAL_THREAT, DISAPPROVAL, Frame, Hit, _for_clause, _predicate, condition_of,
                    disapproval_parts, threat_speaker)

RECIPIENT_PREPS = frozenset({"to", "with", "against", "on", "upon", "from", "at", "toward", "towards", "into", "of",
                             "between", "over", "for"})
#: Prepositions that only mark a recipient after an event noun ("attack on", "talks with"), not after verbs
#: where they usually mark time, reason or place ("killed ... for", "agreed on Wednesday").
NOUN_ONLY_PREPS = frozenset({"of", "for", "over", "on"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj", "expl")
OBJECT_DEPS = ("dobj", "dative", "iobj", "oprd")
NON_STATE = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC", "PLURAL"})
#: Participles that describe the subject's own stance after "be" ("is opposed to", "is committed to").
STATIVE_PARTICIPLES = frozenset({"opposed", "committed", "determined", "prepared", "resolved", "dedicated",
                                 "pledged", "poised", "set"})
HOST_LEMMAS = frozenset({"host", "receive", "welcome"})
SIGN_LEMMAS = frozenset({"sign", "ink", "seal", "ratify", "conclude"})
#: Verbs whose subject stops an event rather than doing it ("the navy thwarted an attack by pirates").
PREVENT_VERBS = frozenset({"thwart", "foil", "repulse", "repel", "prevent", "avert", "frustrate", "stop", "block",
                           "condemn", "investigate", "report", "witness", "survive", "escape"})
#: Verbal events: a place in their object is the venue ("signed an agreement in London"), never the recipient.
VENUE_EVENTS = frozenset({"AGREE", "CONSULT", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "COOPERATE"})
#: Prepositions that name what an accusation is about ("complained over Israeli raids").
TOPIC_PREPS = frozenset({"over", "about", "against", "for", "into"})
#: Events whose "at" phrase names a target rather than a place.
AIMED_EVENTS = frozenset({"ASSAULT", "COERCE", "PROTEST", "THREATEN", "ACCUSE", "SANCTION", "MOBILIZE"})
#: Branches left out of an argument: clauses that describe it rather than name it (coordination stays in:
#: "Macron and Scholz" is one compound argument).
ARG_PRUNE = frozenset({"ccomp", "advcl", "relcl", "parataxis", "xcomp", "acl", "punct"})
#: Material events whose place is their recipient when no party is named ("lifted a curfew in Montenegro").
PLACE_EVENTS = frozenset({"AID", "ASSAULT", "COERCE", "CONCEDE", "RETREAT", "MOBILIZE"})
#: Material acts whose place is the party they affect when they are what a request or refusal is about.
MATERIAL_EVENTS = PLACE_EVENTS | {"COERCE", "SANCTION"}
#: Acts that land on the people of their place even in the actor's own country (a curfew, martial law, an
#: attack, and the lifting of such measures).
ON_PEOPLE_EVENTS = frozenset({"COERCE", "ASSAULT", "THREATEN", "CONCEDE"})
#: Nouns that make "in" part of a complex preposition ("in defiance of Chinese authorities", "in protest at the
#: arrests", "in support of Kyiv"): the phrase names a target or a reason, never a place.
COMPLEX_IN_NOUNS = frozenset({"defiance", "protest", "support", "solidarity", "response", "retaliation", "reaction",
                              "memory", "honour", "honor", "favour", "favor", "violation", "breach", "opposition",
                              "accordance", "defence", "defense", "sympathy"})
#: Prepositions that make a place of an object's modifier ("signed an agreement *in London*"): a recipient is
#: never the place where something happened (the geo stage reads those).
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout", "around"})


#: Prepositions of the scene of an act, left out of an argument's words when its places are not wanted: where it
#: happened and the occasion it happened at ("rioting *during a G8 summit*").
SCENE_PREPS = LOCATIVE_PREPS | {"during"}


def _tokens(tok: Any, prune: frozenset[str] = ARG_PRUNE, places: bool = True) -> list[Any]:
    """The words of an argument: its subtree without embedded clauses (and without locative and occasion
    phrases when ``places`` is False)."""
    out = [tok]
    stack = list(tok.children)
    while stack:
        t = stack.pop()
        if t.dep_ in prune or not places and t.dep_ == "prep" and t.lower_ in SCENE_PREPS:
            continue
        out.append(t)
        stack.extend(t.children)
    return out


#: Dependents that belong to the head of an argument ("Russia's central bank", "the U.S. and Britain",
#: "Kampuchean guerrilla camps"), as opposed to phrases that describe it ("evidence *about contacts between
#: al Qaeda and Iraq*", "an appeal *for troops along its border with Israel*").
CORE_DEPS = frozenset({"poss", "compound", "amod", "nmod", "appos", "conj", "cc", "det", "nummod", "quantmod",
                       "case", "punct", "npadvmod", "predet", "prt"})


#: Nouns that name a news source: an apposition headed by one is the parser's reading of a trailing source
#: ("blows to the United States and Israel, a Saudi-owned weekly reports"), not part of the argument.
SOURCE_NOUNS = frozenset({"report", "weekly", "daily", "newspaper", "paper", "agency", "radio", "television",
                          "magazine", "broadcaster", "channel", "website", "tabloid"})


def _core(tok: Any) -> list[Any]:
    """The head of an argument with its core modifiers (recursively), without prepositional or clausal parts."""
    out = [tok]
    stack = [c for c in tok.children if c.dep_ in CORE_DEPS]
    while stack:
        t = stack.pop()
        if t.dep_ == "appos" and t.lemma_.lower() in SOURCE_NOUNS:
            continue
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ in CORE_DEPS)
    return out


class Arguments:
    """Maps parse tokens of one sentence to the article's actor mentions."""

    def __init__(self, doc: Any, offset: int, mentions: list[ActorMention]) -> None:
        self.doc = doc
        self.offset = offset
        self.mentions = mentions
        self.place_keys: set[tuple[int, int]] = set()  # mentions found as the place of an act (places())

    def mentions_in(self, toks: list[Any]) -> list[ActorMention]:
        spans = [(self.offset + t.idx, self.offset + t.idx + len(t.text)) for t in toks]
        out = []
        for m in self.mentions:
            if any(s < m.end and m.start < e for s, e in spans):
                out.append(m)
        return out

    def head_mentions(self, tok: Any) -> list[ActorMention]:
        """The mentions of an argument's head phrase (:func:`_core`). A plural head's "of" phrase names every
        party the head stands for: "the leaders of France and Germany", "the foreign ministers of Armenia and
        Azerbaijan" (the resolver's mention "leaders of France" reaches the head, "Germany" only the "of" phrase,
        and talks between the two were coded as France's alone)."""
        found = self.mentions_in(_core(tok))
        if found and tok.tag_ in ("NNS", "NNPS"):
            found += [m for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj" for m in self.mentions_in(_core(p)) if m not in found]
        return found

    def argument(self, tok: Any, places: bool = True) -> tuple[list[ActorMention], bool]:
        """(mentions, core) of one argument: the mentions of its head phrase when it names a party ("the U.S."
        in "shared evidence with the U.S. about contacts with al Qaeda"), else those of its "of" phrase ("the
        withdrawal of Serbian forces from Bosnia"), else any mention inside it (core False)."""
        found = self.head_mentions(tok)
        if found:
            return found, True
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj":
                        found = self.mentions_in(_core(p))
                        if found:
                            return found, True
        # "shared evidence with the U.S. about contacts between al Qaeda and Iraq": the parser hangs the party
        # phrase on the object noun; it names the party, the rest describes the object (still not a head: a
        # party named as an object's head wins, "urges Russia to de-escalate tensions with Ukraine")
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "to", "toward", "towards"):
                found = [m for p in c.children if p.dep_ == "pobj" for m in self.mentions_in(_core(p))]
                if found:
                    return found, False
        fled = self.fled_from(tok)
        if fled:
            return fled, True
        # places inside the argument are left to the place rules (assign_roles), which know whose place it is
        return self.mentions_in(_tokens(tok, places=False)), False

    def fled_from(self, tok: Any) -> list[ActorMention]:
        """People described only by the country they flee or are driven from ("refugees fleeing the civil war in
        Liberia", "families displaced by fighting in eastern Congo") are that country's refugees (sector REF),
        as the resolver reads such a phrase alone (docs/actors.md); only a bare country or place, not a party
        that drives them out ("fleeing Russian shelling")."""
        if tok.pos_ == "ADP":  # "gave asylum to ...", parsed as a dative preposition
            tok = next((p for p in tok.children if p.dep_ == "pobj"), tok)
        # people nouns, or a plural demonym ("West Africans ordered out of Nigeria")
        if not (tok.pos_ == "NOUN" and tok.lemma_.lower() in DISPLACED_PEOPLE
                or tok.ent_type_ == "NORP" and tok.tag_ in ("NNS", "NNPS")):
            return []
        # "thousands of people fleeing ...": the phrase may describe the "of" noun
        nouns = [tok] + [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj" and p.lemma_.lower() in DISPLACED_PEOPLE]
        verbs = [c for n in nouns for c in n.children if c.dep_ == "acl" and c.lemma_.lower() in DISPLACING_VERBS]
        # the head word of a place phrase ("in eastern Congo", "from Sudan") or of the verb's own object
        # ("fleeing Syria"); never a modifier ("fleeing Russian shelling" names who drives them out)
        heads = [p for v in verbs for w in v.subtree if w.dep_ == "prep" and (w.lower_ in LOCATIVE_PREPS
                                                                             or w.lower_ == "from"
                                                                             or w.lower_ == "of" and w.head.lower_ == "out")
                 for p in w.children if p.dep_ == "pobj"]
        heads += [c for v in verbs for c in v.children if c.dep_ == "dobj" and c.pos_ == "PROPN"]
        found = [m for h in heads for m in self.mentions_in([h])]
        codes = {m.entity.code for m in found}
        if len(codes) != 1 or any(m.entity.sector or m.entity.code in NON_STATE for m in found):
            return []
        return [_as_people(found[0], "REF")]

    def described(self, verb: Any) -> list[ActorMention]:
        """Actor of a verb that describes a noun and has no subject of its own: "the first G7 leader to visit
        China" (the leader, or the person the phrase describes), "the offensive launched by Israel" (the
        ``by`` agent, else the noun's owner: "the Israeli offensive launched after ...")."""
        head = verb.head
        if verb.tag_ == "VBN":
            return [m for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
                    for m in self.mentions_in(_tokens(p))] or self.noun_owner(head)
        if head.dep_ in ("appos", "npadvmod") and head.head.pos_ in ("VERB", "AUX"):
            return self.subject(head.head)[0]  # "Scholz flew to Beijing, the first G7 leader to visit China"
        if head.dep_ == "appos":
            return self.mentions_in(_core(head.head))
        return self.mentions_in(_core(head))

    def pronoun_object(self, verb: Any, actors: list[ActorMention]) -> list[ActorMention]:
        """The party a personal pronoun object stands for ("Macron held talks with Xi and urged him to ..."):
        the nearest mention before it that is not the clause's actor, a person when the pronoun is personal."""
        for c in verb.children:
            if c.dep_ in ("dobj", "dative") and c.lower_ in ("him", "her", "them"):
                start = self.offset + c.idx
                keys = {(m.start, m.end) for m in actors} | self.locative_mentions()
                codes = {m.entity.code for m in actors}
                before = [m for m in self.mentions if m.end <= start and (m.start, m.end) not in keys
                          and m.entity.code not in codes]
                if c.lower_ != "them":
                    before = [m for m in before if (m.entity.kb_id or "").startswith("person")] or before
                return before[-1:]
        return []

    def locative_mentions(self) -> set[tuple[int, int]]:
        """Spans of mentions that only name a place in the sentence ("at a news conference in Addis Ababa",
        "in Geneva"): the object of a locative preposition, unless the phrase names a person or body."""
        out: set[tuple[int, int]] = set()
        for t in self.doc:
            if t.dep_ == "prep" and t.lower_ in LOCATIVE_PREPS:
                for p in t.children:
                    if p.dep_ == "pobj" and p.ent_type_ in ("GPE", "LOC", "FAC", "") \
                            and p.lemma_.lower() not in COMPLEX_IN_NOUNS:
                        out |= {(m.start, m.end) for m in self.mentions_in(_core(p))
                                if m.entity.sector is None and not (m.entity.kb_id or "").startswith(("person",
                                                                                                      "org"))}
        return out

    def subject(self, tok: Any) -> tuple[list[ActorMention], list[ActorMention], bool]:
        """(actors, passive patients, passive) of the clause around ``tok``, climbing xcomp/conj chains."""
        t = tok
        climbed_conj = False
        person_pronoun = False
        for _ in range(5):
            subj = [c for c in t.children if c.dep_ in SUBJECT_DEPS]
            if subj:
                passive = any(c.dep_ == "nsubjpass" for c in subj)
                if passive and climbed_conj and tok.tag_ != "VBN":
                    # "X has been indicted ... and will resign": the shared subject acts in the active conjunct
                    return [m for c in subj for m in self.mentions_in(_tokens(c))], [], False
                if passive:
                    agents = [p for c in t.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
                    patients = [m for c in subj for m in self.mentions_in(_tokens(c))]
                    return [m for a in agents for m in self.mentions_in(_tokens(a))], patients, True
                # the head of the subject names the actor when it can ("the Turkish and Greek sides of the
                # island of Cyprus", "the Red Cross operating in Iraq"); else anything in it ("leaders of X")
                # "The Red Cross operating in Iraq said": the parser made the participle the subject and the
                # organisation its subject; the participle's place is no actor
                subj = [d for c in subj for d in
                        ([d for d in c.children if d.dep_ == "nsubj"] if c.tag_ == "VBG" else []) or [c]]
                found = [m for c in subj for m in self.head_mentions(c)] or \
                    [m for c in subj for m in self.mentions_in(_tokens(c))]
                if person_pronoun:
                    # climbing past "he"/"she" ("... must hand over the bombers as he embarked on a trip to seek
                    # support"): the pronoun names a person, not the state subject of the clause above
                    found = [m for m in found if m.entity.sector or (m.entity.kb_id or "").startswith("person:")]
                if found or t.dep_ not in ("xcomp", "conj", "advcl"):
                    return found, [], False
                person_pronoun = person_pronoun or any(c.lower_ in ("he", "she") for c in subj)
            if t.dep_ not in ("xcomp", "conj", "advcl", "acl", "ccomp", "pcomp", "prep", "pobj", "dobj", "attr") \
                    or t.head.i == t.i:
                break
            climbed_conj = climbed_conj or t.dep_ == "conj"
            t = t.head
        return [], [], False

    def objects(self, tok: Any, noun: bool = False, aimed: bool = True, venue: bool = True) -> list[ActorMention]:
        """Mentions in the objects and directed prepositional objects of ``tok``. ``aimed``: "at" marks a
        target ("fired rockets at Israel"); for other events it marks a place ("hosted ... at the Elysee").
        ``venue``: a place inside the direct object is where it happened ("signed an agreement in London"), not
        who is affected (as in "lifted a curfew in Montenegro", venue=False)."""
        strong: list[ActorMention] = []
        weak: list[ActorMention] = []
        for c in tok.children:
            if c.dep_ in OBJECT_DEPS:
                found, core = self.argument(c, places=not venue)
                (strong if core else weak).extend(found)
            elif c.dep_ == "ccomp" and not any(d.dep_ == "mark" for d in c.children) \
                    and (any(d.dep_ == "aux" and d.lower_ == "to" for d in c.children)
                         or c.tag_ == "VB" and not any(d.dep_ in ("aux", "auxpass") for d in c.children)):
                # "allow candidate Ouattara to participate", "help Ukraine defend its skies" (a bare infinitive):
                # the parser makes the object the subject of the infinitive; it is the object of the
                # permitting, helping or causing verb
                strong.extend(m for d in c.children if d.dep_ == "nsubj" for m in self.argument(d)[0])
                continue
            elif c.dep_ == "prep" and c.lower_ in ("by", "via"):
                # "spoke by telephone with Putin", "talked via video link with Xi": the party hangs off the medium
                strong.extend(m for p in c.children if p.dep_ == "pobj" for q in p.children
                              if q.dep_ == "prep" and q.lower_ == "with"
                              for r in q.children if r.dep_ == "pobj" for m in self.argument(r)[0])
                continue
            if c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS:
                if c.lower_ in NOUN_ONLY_PREPS and not noun or c.lower_ == "at" and not aimed:
                    continue
                if noun and venue and c.lower_ in ("on", "over", "about"):
                    continue  # "warnings on Ukraine", "an agreement on grain": the topic of a verbal event
                objs = [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
                if not objs and c.i + 1 < len(self.doc):
                    # a dangling preposition: the parser read a reduced relative ("granted asylum to five
                    # officers *holed up* in a residence") as a clause and made its noun that clause's subject
                    nxt = self.doc[c.i + 1]
                    head = nxt if nxt.dep_ == "nsubj" else nxt.head if nxt.head.dep_ == "nsubj" else None
                    if head is not None and head.head.head.i == tok.i and head.head.i > c.i:
                        objs = [head]
                for p in objs:
                    found, core = self.argument(p)
                    (strong if core else weak).extend(found)
                    # "spoke by telephone with Zelensky": the party hangs off the manner phrase
                    strong.extend(m for q in p.children if q.dep_ == "prep" and q.lower_ == "with"
                                  for r in q.children if r.dep_ == "pobj" for m in self.mentions_in(_tokens(r)))
        # parties named as the head of an argument win over parties named inside a description of it
        return strong or weak

    def topic(self, tok: Any) -> list[ActorMention]:
        """Mentions in the topic phrase of an accusation ("over Israeli air raids", "about Chinese spying",
        "an inquiry into Russian shelling"). When the topic is an act described with its doer ("crimes
        committed by Croat forces against Serb civilians"), the doer is the accused, not the victims."""
        out: list[ActorMention] = []
        for c in tok.children:
            if c.dep_ != "prep" or c.lower_ not in TOPIC_PREPS:
                continue
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                doers = [m for a in p.children if a.dep_ == "acl" for b in a.children
                         if b.dep_ == "agent" for o in b.children if o.dep_ == "pobj"
                         for m in self.argument(o)[0]]
                # the scene of the act complained of is not accused ("her role in rioting during a G8 summit")
                out += doers or self.mentions_in(_tokens(p, places=False))
        return out

    def places(self, tok: Any) -> list[ActorMention]:
        """Mentions in locative phrases of a predicate and its objects ("... at a mosque in Peshawar")."""
        out: list[ActorMention] = []
        heads = [tok] + [c for c in tok.children if c.dep_ in OBJECT_DEPS]
        # "contribute troops to a peacekeeping force in Liberia": the place of the goal phrase
        heads += [p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("to", "into", "for")
                  for p in c.children if p.dep_ == "pobj"]
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and (c.lower_ in LOCATIVE_PREPS or c.lower_ == "from"):
                    for p in c.children:
                        if p.dep_ == "pobj" and p.lemma_.lower() not in COMPLEX_IN_NOUNS:
                            out += self.mentions_in(list(p.subtree))
        self.place_keys |= {(m.start, m.end) for m in out}
        return out

    def protest_targets(self, pred: Any, actors: list[ActorMention]) -> list[ActorMention]:
        """Whom a protest is aimed at, named anywhere in its clause outside its subject and its venue: "to
        protest President Assad's failure", "to demand reforms by Suharto's government", "in defiance of Chinese
        authorities", "calling for independence from Iraq". A body of the protesters' own country counts (a
        protest against one's own government is the commonest kind)."""
        skip = {t.i for c in pred.children if c.dep_ in SUBJECT_DEPS for t in c.subtree}
        # the source of a report is no target, unless the parser made the protest part of its subject
        # ("Palestinian youths resorted to ..., officials said" read as "youths ... said")
        skip |= {t.i for v in self.doc if v.lemma_.lower() in REPORT_LEMMAS for c in v.children
                 if c.dep_ in ("nsubj", "nsubjpass") and not any(t.i == pred.i for t in c.subtree)
                 for t in c.subtree}
        venues = self.locative_mentions() | {(m.start, m.end) for m in actors}
        toks = [t for t in pred.subtree if t.i not in skip and t.i != pred.i]
        found = [m for m in self.mentions_in(toks) if (m.start, m.end) not in venues]
        # head first: a party named in a clause describing a noun of the protest ("against Sweden's decision *to
        # send them back to Bulgaria*") is no target when the clause also names one outside such descriptions
        described = {d.i for t in toks if t.pos_ in ("NOUN", "PROPN") for c in t.children
                     if c.dep_ in ("acl", "relcl") for d in c.subtree}
        in_desc = {(m.start, m.end) for m in self.mentions_in([t for t in toks if t.i in described])}
        direct = [m for m in found if (m.start, m.end) not in in_desc]
        return direct or found

    def left_place(self, verb: Any) -> list[ActorMention]:
        """Mentions in the place a verb of leaving names: "from Mali", "out of the eastern Bosnian enclave of
        Gorazde" (the parser hangs "of" on "out", as a preposition or a particle)."""
        preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"]
        preps += [d for c in verb.children if c.dep_ in ("prep", "prt") and c.lower_ == "out"
                  for d in c.children if d.dep_ == "prep" and d.lower_ == "of"]
        preps += [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "of"
                  and any(d.dep_ == "prt" and d.lower_ == "out" for d in verb.children)]
        return [m for c in preps for p in c.children if p.dep_ == "pobj" for m in self.mentions_in(list(p.subtree))]

    def fronted_subject(self, verb: Any) -> list[ActorMention]:
        """Parties of the noun phrase right before a main verb that has no subject, between the verb (and its
        auxiliaries) and the comma that closes a fronted phrase: "With the signing of a memorandum on ...,
        the Sudanese government and SPLM/A have agreed to ..." (the parser joins the subject to the fronted
        phrase as a conjunct)."""
        if verb.dep_ != "ROOT" or any(c.dep_ in SUBJECT_DEPS for c in verb.children):
            return []
        i = verb.i - 1
        while i >= 0 and self.doc[i].dep_ in ("aux", "auxpass", "neg", "advmod") and self.doc[i].head.i == verb.i:
            i -= 1
        span = []
        while i >= 0 and self.doc[i].text not in (",", ";", ":"):
            span.append(self.doc[i])
            i -= 1
        # only a fronted phrase closed by a comma, and a bare noun phrase after it (no verb, no preposition)
        if i < 0 or not span or any(t.pos_ in ("VERB", "AUX", "ADP", "PRON", "SCONJ") for t in span):
            return []
        return self.mentions_in(span)

    def agent_of(self, tok: Any) -> list[ActorMention]:
        """Mentions in the "by" phrase of an event noun ("an attack by sea brigands")."""
        return [m for c in tok.children if c.dep_ == "prep" and c.lower_ == "by"
                for p in c.children if p.dep_ == "pobj" for m in self.mentions_in(_tokens(p))]

    def noun_owner(self, tok: Any) -> list[ActorMention]:
        """Actor named inside an event noun phrase ("Israeli air raids", "Iran's threat")."""
        toks = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
        return [m for c in toks for m in self.mentions_in(_tokens(c))]


#: People nouns that a displacement phrase describes ("refugees fleeing the war in X", "families displaced by ...").
DISPLACED_PEOPLE = frozenset({"refugee", "family", "civilian", "people", "person", "survivor", "resident", "migrant",
                              "villager", "child", "woman", "evacuee", "household", "thousand", "hundred",
                              "million"})
#: Verbs of displacement whose phrase names where such people come from.
DISPLACING_VERBS = frozenset({"flee", "escape", "displace", "uproot", "drive", "force", "evacuate", "leave", "expel",
                              "deport", "order", "chase", "push"})
#: Nouns of pressing someone to act: a refusal "despite growing pressure by X" or "despite calls from X" refuses
#: X, the party that asked (PLOVER REJECT: the recipient is the one whose request is refused).
PRESSURE_NOUNS = frozenset({"pressure", "call", "demand", "appeal", "request", "plea", "urging", "entreaty",
                            "ultimatum", "protest", "objection", "criticism", "warning"})
#: Prepositions that oppose a refusal to such pressure.
CONCESSIVE_PREPS = frozenset({"despite", "notwithstanding"})
#: Participles that tie an unknown body to its home ("a newspaper based in Beirut").
BASED_LEMMAS = frozenset({"base", "headquarter", "locate"})
#: Subject words that name nobody in particular: a clause with such a subject may still take its actor from
#: the sentence ("it was agreed", "there were talks").
EMPTY_SUBJECTS = frozenset({"it", "there", "this", "that", "which", "who", "what"})


#: Events whose target may be people the text names without a nationality: the demonstrators a state's police
#: disperse, the activists it arrests (coded with the actor's own country and the people's sector). A protest
#: with no named target is aimed at the government of the protesters' own country: the convention of the
#: CAMEO-era gold, ICEWS and POLECAT (a strike "over pension cuts", a march "demanding higher pay" asks the
#: state to act). Adopted in December 2026 (issue 5); the team sets written before then leave it empty.
DOMESTIC_EVENTS = frozenset({"COERCE", "ASSAULT", "PROTEST"})
#: Nouns for groups of people that the resolver leaves without a country ("dispersed demonstrators", "killed
#: one person", "arrested 12 activists").
PEOPLE_NOUNS = frozenset({
    "demonstrator", "protester", "protestor", "student", "activist", "civilian", "people", "person", "member",
    "supporter", "dissident", "journalist", "villager", "resident", "worker", "crowd", "demonstration", "protest",
    "rally", "march", "opposition", "citizen", "youth", "farmer", "prisoner", "detainee", "suspect", "militant",
})
#: Sectors of people, not of state bodies: a role noun of the knowledge base with one of these names a group the
#: state acts on ("detained eleven journalists", "dispersed striking teachers").
PEOPLE_SECTORS = frozenset({"CVL", "OPP", "REB", "EDU", "LAB", "AGR", "MED", "JRN", "REL", "REF", "BUS", "CRM"})
#: Event nouns a group of people stages: their sector is that of who staged them ("the demonstration staged by
#: students", "a student protest").
STAGED_NOUNS = frozenset({"demonstration", "protest", "rally", "march", "strike", "sit-in", "gathering", "vigil"})


def _role_sector(tok: Any) -> str | None:
    """The sector the knowledge base's role table gives a noun (lemma or form as written), None if it has none.
    One table for resolver and coder, so "journalist" is JRN in both."""
    from wiredesk.actors import get_resolver
    from wiredesk.actors.kb import token_key

    index = get_resolver().kb.role_index
    for form in (tok.lemma_.lower(), tok.lower_):
        role = index.get(token_key(form))
        if role is not None and role.sector:
            return role.sector
    return None


def _people_sector(tok: Any) -> str | None:
    """Sector of a group of people named without a nationality, None when ``tok`` names no such group: a role
    noun of a people sector ("journalists" JRN, "teachers" EDU), a noun of PEOPLE_NOUNS (CVL unless the table
    says otherwise), or a staged event whose stagers are named ("the demonstration staged by students" EDU)."""
    lemma = tok.lemma_.lower()
    if lemma in STAGED_NOUNS:
        stagers = [p for c in tok.subtree if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
                   for p in c.children if p.dep_ == "pobj"]
        stagers += [c for c in tok.children if c.dep_ in ("compound", "amod") and c.pos_ == "NOUN"]
        for p in stagers:
            sector = _role_sector(p)
            if sector in PEOPLE_SECTORS:
                return sector
    sector = _role_sector(tok)
    if sector in PEOPLE_SECTORS:
        return sector
    return "CVL" if lemma in PEOPLE_NOUNS else None


def _domestic_recipient(args: Arguments, frame: Frame, pred: Any, actor_e: list[Entity]) -> list[Entity]:
    """The actor's own country as recipient of a domestic act: a single state actor acting on people the text
    gives no other nationality ("Egyptian police dispersed demonstrators", "Turkish police prevented a
    demonstration by students"), and the government a protest of a country's people is aimed at."""
    countries = {e.code for e in actor_e if e.code and e.code not in NON_STATE}
    if len(countries) != 1 or len(actor_e) != 1:
        return []
    code = next(iter(countries))
    actor = actor_e[0]
    # another country named in the event's own clause is the target ("rioted at a jail in northern Israel",
    # "demonstrations against violations by the Israeli military", "killed 23 people in Tel Aviv")
    reported = _reporting_subjects(args.doc)
    clause = _tokens(pred, ARG_PRUNE | {"conj", "cc"})
    # and the place of a clause that says when or how it happened ("killed 23 people ... when they blew
    # themselves up in Tel Aviv")
    clause += [t for c in pred.children if c.dep_ == "advcl" for p in c.children
               if p.dep_ == "prep" and p.lower_ in LOCATIVE_PREPS for t in p.subtree]
    border = _across_border(args)
    others = [m for m in args.mentions_in(clause) if m.entity.code and m.entity.code != code
              and m.entity.code not in NON_STATE and (m.start, m.end) not in border
              and not any(m.start <= args.offset + t.idx < m.end for t in reported)]
    if others:
        # a town named as where it happened stands for its people ("blew themselves up in Tel Aviv")
        return _entities_of([(_as_people(m) if _is_town(m) else m).entity for m in others])
    if frame.event == "PROTEST":
        # no named target: the protesters' own government (CAMEO/ICEWS/POLECAT convention, see DOMESTIC_EVENTS)
        if actor.sector == "GOV":
            return []
        return [Entity(code=code, sector="GOV", entity_text="")]
    heads = [pred] + ([_predicate(args.doc[frame.content.i])] if frame.content is not None else [])
    # the people may be named in a purpose or manner clause of the same act ("opened fire *to disperse
    # demonstrators*, killing one person and arresting 12"): the verbs linked to it by xcomp/advcl/conj
    top = pred
    while top.dep_ in ("advcl", "xcomp", "conj") and top.head.i != top.i:
        top = top.head
    heads += [v for v in [top, *top.subtree] if v is top or v.dep_ in ("advcl", "xcomp", "conj")
              and v.pos_ in ("VERB", "AUX") and v.head.i in {top.i} | {h.i for h in heads}]
    for h in heads:
        # objects, and the people an act is aimed at ("fired rubber bullets *at garment workers*")
        aimed_at = [p for c in h.children if c.dep_ == "prep" and c.lower_ in ("at", "on", "upon", "against")
                    for p in c.children if p.dep_ == "pobj"]
        for c in [*h.children, *aimed_at]:
            if c.dep_ not in OBJECT_DEPS and c not in aimed_at:
                continue
            for t in _core(c):
                sector = _people_sector(t) if not args.mentions_in([t]) else None
                if sector:
                    if actor.sector == sector:
                        return []
                    return [Entity(code=code, sector=sector, entity_text=t.text)]
    return []


#: Restrictions, threats of them and their lifting that name no party act on the actor's own country: "imposed
#: martial law", "lifted the state of emergency", "pardoned 2,000 prisoners". The CAMEO-era gold (every such dev
#: record), ICEWS ("Citizen (Iraq)") and POLECAT code the country as recipient; adopted with the protest rule
#: above in December 2026 (issue 5), so the pipeline and the gold agree on who such an act is aimed at.
HOME_EVENTS = frozenset({"COERCE", "THREATEN", "CONCEDE"})


#: Events whose recipient, when it is the place where the act happens ("shelled Juba", "a curfew in the town of
#: Cizre", "blockade Paris"), is the people of that place: sector CVL, as the CAMEO-era gold and ICEWS write it.
#: Not visits and meetings, where the place stands for its host government.
PLACE_SECTOR_EVENTS = frozenset({"ASSAULT", "COERCE", "THREATEN", "CONCEDE", "PROTEST", "AID"})


def _as_people(m: ActorMention, sector: str = "CVL") -> ActorMention:
    """A place mention standing for the people who live there (sector CVL, or the sector of the people the act
    names) unless it already has a sector."""
    if m.entity.sector or m.entity.code in NON_STATE:
        return m
    return dataclasses.replace(m, entity=dataclasses.replace(m.entity, sector=sector))


#: Events whose victims may be named in a participle clause of the act rather than as its object.
VICTIM_CLAUSE_EVENTS = frozenset({"ASSAULT", "COERCE"})


def _victim_clauses(pred: Any, hits: dict[int, Hit] | None, event: str) -> list[Any]:
    """Participle clauses of the same act that name its victims ("ambushed a patrol, *killing six soldiers*"):
    -ing verbs hanging on the trigger's verb (advcl, or conj when the parser coordinates them) that are
    triggers of the same event type."""
    return [c for c in pred.children if c.dep_ in ("advcl", "conj") and c.tag_ == "VBG"
            and not any(d.dep_ in ("nsubj", "nsubjpass", "mark") for d in c.children)
            and (hits is None or c.i in hits and hits[c.i].trigger.event == event)]


def _victim_sector(args: Arguments, pred: Any, hits: dict[int, Hit] | None = None, event: str = "ASSAULT") -> str:
    """Sector of the victims of an act whose recipient is its place: the role noun of its object or passive
    subject when that names no party ("killed four police officers outside Kandahar" -> COP, "arrested
    teachers in Tehran" -> EDU), or of the object of a participle clause of the act ("attacked a village,
    killing six soldiers"); CVL otherwise."""
    for c in [*pred.children, *(d for v in _victim_clauses(pred, hits, event) for d in v.children)]:
        if c.dep_ in OBJECT_DEPS or c.dep_ == "nsubjpass":
            for t in _core(c):
                if t.pos_ == "NOUN" and not args.mentions_in([t]):
                    sector = _role_sector(t)
                    if sector:
                        return sector
    return "CVL"


def _is_town(m: ActorMention) -> bool:
    """True when a mention names a city standing only for itself ("shelled Juba", "blockade Paris", "blew
    themselves up in Tel Aviv"): a capital or city with no sector, not a country name."""
    from wiredesk.actors import get_resolver
    from wiredesk.actors.kb import token_key

    if m.entity.sector or not (m.entity.kb_id or "").startswith("country:"):
        return False
    text = m.text[4:] if m.text.lower().startswith("the ") else m.text
    targets = get_resolver().kb.index.get(token_key(text)) or []
    return bool(targets) and all(t.kind == "seat" for t in targets)


def _is_place_entity(e: Entity) -> bool:
    """True when an entity is named only by a place: a country name, capital or seat of power ("Moscow", "the
    Kremlin"), not a person, an office or a group."""
    from wiredesk.actors import get_resolver
    from wiredesk.actors.kb import token_key

    if not (e.kb_id or "").startswith("country:") or not e.entity_text:
        return False
    text = e.entity_text[4:] if e.entity_text.lower().startswith("the ") else e.entity_text
    targets = get_resolver().kb.index.get(token_key(text)) or []
    return bool(targets) and all(t.kind in ("seat", "power", "country") for t in targets)


#: Nouns of a line between two states: the state on its far side is named as a place, not as a party.
BORDER_NOUNS = frozenset({"border", "frontier", "boundary", "borderline"})


def _across_border(args: Arguments) -> set[tuple[int, int]]:
    """Spans of mentions that only name the far side of a border ("villages near Macedonia's border *with
    Bulgaria*", "a curfew in towns near the *Syrian* border"): they say where the act happens, not whom it is
    aimed at, so they do not make a domestic act foreign."""
    toks = [t for b in args.doc if b.lemma_.lower() in BORDER_NOUNS
            for c in b.children
            for t in ((w for p in c.children if p.dep_ == "pobj" for w in p.subtree)
                      if c.dep_ == "prep" and c.lower_ in ("with", "between") else
                      [c] if c.dep_ in ("amod", "compound") else [])]
    return {(m.start, m.end) for m in args.mentions_in(toks)}


def _home_recipient(args: Arguments, actor_e: list[Entity]) -> list[Entity]:
    """The actor's own country as the recipient of a domestic restriction or concession, when the actor is one
    state and the sentence names no other country (a foreign party may be the one acted on though the parse
    did not attach it: "blocked access to Facebook", "detained a Russian blogger"). Sector CVL: the people of the
    country, as ICEWS writes it."""
    if len(actor_e) != 1 or not actor_e[0].code or actor_e[0].code in NON_STATE:
        return []
    code = actor_e[0].code
    border = _across_border(args)
    if any(m.entity.code and m.entity.code != code and (m.start, m.end) not in border for m in args.mentions):
        return []
    return [Entity(code=code, sector="CVL", entity_text="")]


#: Prepositions of a participle that tells where a target runs or goes ("power lines leading into Kabul").
ROUTE_PREPS = LOCATIVE_PREPS | {"into", "to", "toward", "towards", "through", "from"}

#: Nouns that introduce a place name ("the town of Gao").
PLACE_NOUNS = frozenset({"town", "city", "village", "district", "province", "region", "port", "capital", "area",
                         "enclave", "settlement", "camp", "suburb", "outskirts"})
#: Sector of the actor of violence the text attributes to nobody ("a roadside bombing near Samarra killed one US
#: soldier", "three servicemen were killed by an improvised explosive device outside Basra"): PLOVER 0.8's sector
#: table has UAF, unidentified armed forces, and UNK, generic unidentified actors, whose example is "two civilians
#: were killed by a bomb"; the CAMEO-era gold writes UAF for every such record (bombs and mines included), with
#: the country where the violence happened. We follow the gold: violence is armed by definition.
UNATTRIBUTED_SECTOR = "UAF"


def _violence_place_codes(args: Arguments, tok: Any, pred: Any) -> list[str]:
    """State codes of the place where an act of violence happened: mentions in the locative phrases of the
    trigger's clause and the verbs above it ("was thwarted in Khanty-Mansiysk", "a bombing near the town of
    Samarra"), then a town the knowledge base does not have as a party, looked up in the gazetteer."""
    report = {t.i for t in args.doc if t.lemma_.lower() in REPORT_LEMMAS}
    chain = [tok, pred]
    t = pred
    while t.head.i != t.i and t.head.i not in report and len(chain) < 8:
        t = t.head
        chain.append(t)
    # the verbs' own locative phrases and those of their nominal subjects and agents ("a bombing near Samarra
    # killed ...", "were killed by a bomb in Kabul")
    heads = list(dict.fromkeys(chain))
    heads += [n for h in list(heads) for c in h.children if c.dep_ in ("nsubj", "nsubjpass", "agent")
              for n in ([c] if c.dep_ != "agent" else [p for p in c.children if p.dep_ == "pobj"])]
    # the target's own place is where it happened ("attacked an army post in northern Mali", "shelled a market
    # in Donetsk"): direct objects of the trigger's verb only, not of the verbs above it
    heads += [c for c in pred.children if c.dep_ == "dobj"]
    preps = [c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS]
    # "outside of the Iraqi city of Basra": the whole phrase, nested "of" phrases included
    toks = [w for c in preps for w in c.subtree if w.i != c.i and w.lemma_.lower() not in COMPLEX_IN_NOUNS]
    codes = [m.entity.code for m in args.mentions_in(toks) if m.entity.code and m.entity.code not in NON_STATE]
    if codes:
        return list(dict.fromkeys(codes))
    from wiredesk.actors import get_resolver

    # (spaCy tags a town it does not know as anything, a person too: names of people, bodies and dates are left
    # out unless a place noun introduces them, "the town of Gao")
    towns = [w for w in toks if w.pos_ == "PROPN" and (w.ent_type_ not in ("PERSON", "ORG", "DATE", "TIME")
                                                       or w.head.lower_ == "of"
                                                       and w.head.head.lemma_.lower() in PLACE_NOUNS)]
    resolver = get_resolver()
    found = [resolver._city_country(w.text) for w in towns]
    return list(dict.fromkeys(c for c in found if c))


#: Nouns for attackers that say nothing of who they are: their violence stays unattributed (UAF), whatever sector
#: the role table gives the noun ("gunmen" are REB there, for "gunmen loyal to the warlord").
UNIDENTIFIED_NOUNS = frozenset({"gunman", "gunmen", "attacker", "assailant", "bomber", "sniper", "kidnapper",
                                "abductor", "raider"})


def _unattributed_actor(args: Arguments, tok: Any, pred: Any, recip_e: list[Entity]) -> list[Entity]:
    """The actor of violence nobody is named for: an unidentified armed actor (``UNATTRIBUTED_SECTOR``) of the
    country where it happened; with no place named, of the one country the sentence names (the victims are then
    the only clue: "Haiti's president was assassinated at his home"). Nothing when the place is ambiguous or the
    sentence names several countries and no place."""
    codes = _violence_place_codes(args, tok, pred)
    if not codes and not any(e.sector == "MIL" for e in recip_e):
        # (soldiers abroad are where they are deployed, not at home: no guess from their nationality)
        codes = list(dict.fromkeys(m.entity.code for m in args.mentions
                                   if m.entity.code and m.entity.code not in NON_STATE))
    if len(codes) != 1:
        return []
    # "insurgents ambushed an army convoy in central Somalia": named as rebels but of no stated country, the
    # attackers are that country's rebels (REB), not unidentified armed forces
    subject = next((c for c in pred.children if c.dep_ == "nsubj"), None)
    if _subject_sector(pred) == "REB" and (subject is None or subject.lemma_.lower() not in UNIDENTIFIED_NOUNS):
        return [Entity(code=codes[0], sector="REB", entity_text="")]
    return [Entity(code=codes[0], sector=UNATTRIBUTED_SECTOR, entity_text="")]


#: Acts only a state does (arrests, deportations, expulsions, sentences, closures): told in the passive with no
#: agent, their actor is the state of the place where they happen (``_state_of_place``).
STATE_PASSIVE_EVENTS = frozenset({"COERCE", "SANCTION"})
#: Sector of that implied state actor by the act's mode: police arrest, courts convict or investigate.
STATE_PASSIVE_SECTORS = {"arrest": "COP", "convict": "JUD", "investigate": "JUD"}


def _state_of_place(args: Arguments, pred: Any, frame: Frame) -> list[Entity]:
    """The one state named as the place of a passive state act ("in Iran", "in Moscow", "from Latvia"), in
    the act's own locative phrases (and those of its goal: "sentenced to eight years in prison in Moscow"), as
    an entity with the sector of the body that does such acts; nothing when no place or several states are
    named."""
    # the words of a phrase trigger too: "put under investigation *in Italy*", "placed under arrest in Harare"
    heads = list(dict.fromkeys([pred, *(args.doc[i] for i in frame.hit.tokens)]))
    found = [m for h in heads for m in args.places(h) if m.entity.code and m.entity.code not in NON_STATE]
    codes = list(dict.fromkeys(m.entity.code for m in found))
    if len(codes) != 1:
        return []
    sector = next((STATE_PASSIVE_SECTORS[m] for m in frame.mode if m in STATE_PASSIVE_SECTORS), "GOV")
    return [Entity(code=codes[0], sector=sector, entity_text="")]


REPORT_LEMMAS = frozenset({"say", "report", "tell", "quote", "add", "state", "announce", "claim"})


def _reporting_subjects(doc: Any) -> list[Any]:
    """Tokens of the subjects of reporting verbs ("Thai military sources said"): the source, not a party."""
    return [t for v in doc if v.lemma_.lower() in REPORT_LEMMAS
            for c in v.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]


def _entities_of(ents: list[Entity]) -> list[Entity]:
    out, seen = [], set()
    for e in ents:
        if e.code not in seen:
            seen.add(e.code)
            out.append(e)
    return out


def _visit(frame: Frame) -> bool:
    """True for a visit, done or planned ("visited Kyiv", "is due to travel to Guangzhou")."""
    trig = frame.content.trigger if frame.event == "AGREE" and frame.content is not None else frame.hit.trigger
    return trig.mode == "visit" and trig.lemma not in HOST_LEMMAS and frame.event in ("CONSULT", "AGREE")


def _has_subject(tok: Any) -> bool:
    """True when the clause of ``tok`` has a nominal subject of its own ("the demonstrators marched", "the
    delegations held talks"): when no actor mention lies in it, the actor is unknown and must not be borrowed
    from a neighbouring phrase. A pronoun subject ("they will release", "their forces withdrew") still takes
    the nearest party."""
    t = tok
    for _ in range(4):
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return any(c.lower_ not in EMPTY_SUBJECTS and c.pos_ != "PRON"
                       and not any(d.dep_ == "poss" and d.pos_ == "PRON" for d in c.children) for c in subj) \
                and not any(c.dep_ == "nsubjpass" for c in subj)
        if t.dep_ not in ("xcomp", "conj") or t.head.i == t.i:
            return False
        t = t.head
    return False


#: Generic heads whose "of" phrase says who they are ("leaders of the opposition coalition").
GENERIC_HEADS = frozenset({"leader", "member", "official", "representative", "head", "group"})


def _subject_sector(tok: Any) -> str | None:
    """Sector of the role noun heading the nominal subject of ``tok``'s clause, for an actor found by a
    fallback: "their forces withdrew" (MIL, the party the pronoun stands for), "a newspaper based in Beirut"
    (JRN, the place's country), "militants loyal to ..." (REB)."""
    t = tok
    for _ in range(4):
        subj = [c for c in t.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")]
        if subj:
            head = subj[0]
            sector = _role_sector(head) if head.pos_ == "NOUN" else None
            if head.lemma_.lower() in GENERIC_HEADS or sector is None:
                # "leaders of the opposition coalition": the role inside the "of" phrase is the specific one
                inner = [w for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                         for p in c.children if p.dep_ == "pobj" for w in _core(p) if w.pos_ == "NOUN"]
                sector = next((x for x in map(_role_sector, inner) if x), sector)
            return sector
        if t.dep_ not in ("xcomp", "conj") or t.head.i == t.i:
            return None
        t = t.head
    return None


def _with_sector(mentions: list[ActorMention], sector: str | None) -> list[ActorMention]:
    """Fallback actors with the sector their subject noun names (a mention's own sector from a role noun of
    its own is kept, a place's or a group's people sector is replaced)."""
    if not sector:
        return mentions
    return [dataclasses.replace(m, entity=dataclasses.replace(m.entity, sector=sector))
            if m.entity.code not in NON_STATE and m.entity.sector in (None, "CVL") else m for m in mentions]


def _entities(mentions: list[ActorMention]) -> list[Entity]:
    out: list[Entity] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for m in mentions:
        ents = [m.entity]
        if m.entity.code == "PLURAL":  # "the two leaders", "both sides" (docs/actors.md)
            ents = [Entity.from_dict(c) if isinstance(c, dict) else c for c in m.entity.candidates]
        for e in ents:
            key = (e.code, e.sector, e.kb_id)
            if key not in seen and e.code:
                seen.add(key)
                out.append(e)
    return out


def _dedupe(mentions: list[ActorMention]) -> list[ActorMention]:
    seen: set[tuple[int, int]] = set()
    out = []
    for m in mentions:
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            out.append(m)
    return out


def _infinitive(tok: Any) -> bool:
    return tok.pos_ in ("VERB", "AUX") and any(d.dep_ == "aux" and d.lower_ == "to" for d in tok.children)


def _purpose_objects(args: Arguments, pred: Any, aimed: bool, venue: bool) -> list[ActorMention]:
    """Parties named only in the purpose of an act: "is willing to send material *to help defend Saudi
    Arabia*" (objects of the purpose clause, two levels down), "sent 21 personnel *to Bosnia* to investigate"
    (the act is the purpose of a sending: the goal of the sending)."""
    found: list[ActorMention] = []
    # "send ammunition to help defend Estonia": the parser may hang the purpose on the object noun
    clauses = list(pred.children) + [a for c in pred.children if c.dep_ == "dobj" for a in c.children
                                     if a.dep_ == "acl"]
    for c in clauses:
        if c.dep_ in ("advcl", "xcomp", "acl") and _infinitive(c):
            found += args.objects(c, aimed=aimed, venue=venue)
            if not found:
                found += [m for d in c.children if d.dep_ == "xcomp"
                          for m in args.objects(d, aimed=aimed, venue=venue)]
        if found:
            return found
    if pred.dep_ == "advcl" and _infinitive(pred) and pred.head.pos_ == "VERB":
        found = [m for c in pred.head.children if c.dep_ == "prep" and c.lower_ in ("to", "into")
                 for p in c.children if p.dep_ == "pobj" for m in args.argument(p)[0]]
    return found


def _owner_of_its(args: Arguments, pred: Any, actors: list[ActorMention]) -> list[ActorMention]:
    """The party an "its" in the target of an aimed act stands for, when the target names no party itself: the
    nearest party named before the pronoun that is not the actor ("Manila said Chinese ships had fired at *its*
    vessels" -> the Philippines). "its" only: "their" is as often the victims' own ("attacked villagers in
    their homes"). Nothing when the nearest such party is of the actor's own country ("withdrew its
    troops")."""
    targets = [c for c in pred.children if c.dep_ in ("dobj", "dative")]
    targets += [p for c in pred.children if c.dep_ == "prep" and c.lower_ in ("at", "on", "against", "upon")
                for p in c.children if p.dep_ == "pobj"]
    actor_keys = {(m.start, m.end) for m in actors}
    actor_codes = {m.entity.code for m in actors}
    for t in targets:
        core = _core(t)
        if args.mentions_in(core):
            return []
        its = next((w for w in core if w.lower_ == "its" and w.dep_ == "poss"), None)
        if its is None:
            continue
        at = args.offset + its.idx
        venues = args.locative_mentions()
        before = [m for m in args.mentions if m.end <= at and (m.start, m.end) not in actor_keys
                  and (m.start, m.end) not in venues and m.entity.code not in NON_STATE]
        if before and before[-1].entity.code not in actor_codes:
            return [before[-1]]
    return []


def _clause_doers(args: Arguments, pred: Any) -> list[ActorMention]:
    """Parties that do the act a clausal complement of ``pred`` tells: its subject, or its "by" agent when it
    is passive (its passive subject is the victim). Only the clause's own subject: a clause without one names
    no doer (``Arguments.subject`` would climb to the speaker)."""
    out: list[ActorMention] = []
    for c in pred.children:
        if c.dep_ != "ccomp":
            continue
        subj = [d for d in c.children if d.dep_ in ("nsubj", "csubj")]
        agents = [p for d in c.children if d.dep_ == "agent" for p in d.children if p.dep_ == "pobj"]
        for t in subj + agents:
            out += args.mentions_in(_core(t)) or args.mentions_in(_tokens(t))
    subj = next((c for c in pred.children if c.dep_ == "nsubj"), None)
    if not out and (pred.dep_ in ("acl", "relcl") or pred.dep_ in ("advcl", "parataxis") and subj is not None):
        # "Croatian authorities are failing to uphold the rights of refugees, a human rights group protested":
        # the parser may hang a trailing attribution on the last noun of the clause it reports, or make it an
        # adverbial clause; set off by a comma after the sentence's main verb, it reports that clause, whose
        # subject is the doer
        root = pred.sent.root
        start = (subj if subj is not None else pred.head).left_edge.i
        if root.i < start and root.pos_ in ("VERB", "AUX") and start > 0 and args.doc[start - 1].text == "," \
                and pred.i in {t.i for t in root.subtree}:
            for t in (d for d in root.children if d.dep_ in ("nsubj", "nsubjpass")):
                out += args.mentions_in(_core(t)) or args.mentions_in(_tokens(t))
    return out


#: Nouns of being asked to a meeting, and the meetings one is asked to.
INVITATION_NOUNS = frozenset({"invitation", "invite", "offer", "proposal"})
MEETING_NOUNS = frozenset({"meeting", "talk", "talks", "summit", "conference", "negotiation", "dialogue", "session",
                           "round", "gathering", "consultation"})


def _meeting_parties(args: Arguments, pred: Any) -> list[ActorMention]:
    """The inviter of an invitation the clause turns down or takes up ("an invitation from Cairo"), else the
    parties of the meeting it asks to ("to attend a meeting of Palestinian factions", "to talks with Kyiv")."""
    out: list[ActorMention] = []
    for inv in (c for c in pred.children if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in INVITATION_NOUNS):
        out += args.noun_owner(inv) + [m for c in inv.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                                       for p in c.children if p.dep_ == "pobj" for m in args.argument(p)[0]]
        if out:
            return out
        meetings = [p for c in inv.children if c.dep_ == "prep" and c.lower_ == "to"
                    for p in c.children if p.dep_ == "pobj"]
        meetings += [o for a in inv.children if a.dep_ == "acl" for o in a.children if o.dep_ == "dobj"]
        for meeting in (m for m in meetings if m.lemma_.lower() in MEETING_NOUNS):
            out += [m for c in meeting.children if c.dep_ == "prep" and c.lower_ in ("with", "of", "between", "among")
                    for p in c.children if p.dep_ == "pobj" for m in args.argument(p)[0]]
    return out


#: Sectors of a party whose "protest" is a statement, not a demonstration.
OFFICIAL_SECTORS = frozenset({"GOV", "LEG", "JUD", "MIL", "COP", "SPY", "ELI"})


def official_protest(doc: Any, frame: Frame, actors: list[Entity]) -> bool:
    """A verb "protest" whose actors are all states, their bodies or organisations ("China protested to Japan
    over the visit", "a human rights group protested"): PLOVER's PROTEST is collective civilian protest, and a
    government's or an organisation's protest is a complaint (ACCUSE disapprove; CAMEO "complain officially").
    Protesters who are people (students, Palestinians, workers), parties or unknown groups still demonstrate."""
    tok = doc[frame.hit.i]
    if frame.event != "PROTEST" or frame.hit.trigger.lemma != "protest" or tok.pos_ != "VERB" or not actors:
        return False
    return all(e.code in NON_STATE - {"PLURAL", "ISM", "IMG"} or e.code not in NON_STATE and (
        e.sector in OFFICIAL_SECTORS or e.sector is None and (e.kb_id or "").startswith("country:"))
        for e in actors)


def _pressing_parties(args: Arguments, pred: Any) -> list[ActorMention]:
    """Who pressed for what a refusal refuses: the "by"/"from" agent or the owner of a pressure noun in a
    concessive phrase on the refusal or its complement ("despite pressure by X", "in spite of X's appeals")."""
    clauses = [pred] + [c for c in pred.children if c.dep_ == "xcomp"]
    preps = [c for v in clauses for c in v.children if c.dep_ == "prep" and c.lower_ in CONCESSIVE_PREPS]
    # "in spite of": the "of" phrase hangs on "spite"
    preps += [o for v in clauses for c in v.children if c.dep_ == "prep" and c.lower_ == "in"
              for p in c.children if p.dep_ == "pobj" and p.lower_ == "spite"
              for o in p.children if o.dep_ == "prep" and o.lower_ == "of"]
    out: list[ActorMention] = []
    for prep in preps:
        for noun in (p for p in prep.children if p.dep_ == "pobj" and p.lemma_.lower() in PRESSURE_NOUNS):
            out += args.noun_owner(noun)
            out += [m for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")
                    for p in c.children if p.dep_ == "pobj" for m in args.argument(p)[0]]
    return out


#: Nouns of acts done to people or things that an accusation may judge without naming the doer ("condemned the
#: detention of a British journalist in Ethiopia", "the burning of a Koran outside its embassy in Copenhagen").
JUDGED_ACT_NOUNS = frozenset({"arrest", "detention", "killing", "murder", "execution", "burning", "sentencing",
                              "jailing", "imprisonment", "abduction", "kidnapping", "torture", "storming", "expulsion",
                              "deportation", "attack", "bombing", "shelling", "shooting", "raid", "desecration",
                              "destruction", "demolition", "assassination", "massacre", "persecution", "mistreatment",
                              "treatment", "harassment", "crackdown", "repression", "closure", "ban", "seizure"})


def _scene_of_judged_act(args: Arguments, pred: Any, accused: list[ActorMention],
                         actors: list[ActorMention]) -> list[ActorMention]:
    """An accusation of an act whose doer is not named is aimed at the state where the act happened, not at its
    victims ("criticised the detention of a British journalist in Ethiopia" -> Ethiopia; "condemned the killing
    of Pakistani traders in Afghanistan" -> Afghanistan), as the passive arrest with no agent is that state's
    act. Only when the object is such an act with no owner or agent, and its place names one other country."""
    for obj in (c for c in pred.children if c.dep_ in ("dobj", "dative")):
        if obj.lemma_.lower() not in JUDGED_ACT_NOUNS:
            continue
        if args.noun_owner(obj) or any(c.dep_ == "prep" and c.lower_ == "by" for c in obj.children):
            return accused
        places = [m for t in obj.subtree if t.dep_ == "prep" and t.lower_ in LOCATIVE_PREPS
                  for p in t.children if p.dep_ == "pobj" and p.lemma_.lower() not in COMPLEX_IN_NOUNS
                  for m in args.mentions_in(_core(p)) if m.entity.sector is None
                  and m.entity.code not in NON_STATE]
        codes = {m.entity.code for m in places}
        own = {m.entity.code for m in actors}
        if len(codes) == 1 and not codes & own and codes != {m.entity.code for m in accused}:
            return places[:1]
    return accused


def _accused_owners(args: Arguments, pred: Any, recipients: list[ActorMention]) -> list[ActorMention]:
    """"raised objections to China's actions toward Taiwan": an accusation is aimed at the owner of the act it
    judges; the act's own target or place (a party in a phrase that modifies the owned noun) is not accused."""
    drop: set[tuple[int, int]] = set()
    for t in pred.subtree:
        if t.dep_ != "poss":
            continue
        owners = {(m.start, m.end) for m in args.mentions_in(_tokens(t))}
        if not owners & {(m.start, m.end) for m in recipients}:
            continue
        drop |= {(m.start, m.end) for c in t.head.children if c.dep_ == "prep"
                 for m in args.mentions_in(list(c.subtree))} - owners
    kept = [m for m in recipients if (m.start, m.end) not in drop]
    return kept or recipients


#: Nouns of a quarrel between two sides: its "with" phrase names the other side.
DISPUTE_NOUNS = frozenset({"dispute", "row", "conflict", "quarrel", "feud", "standoff", "stand-off", "spat",
                           "rift", "differences", "tension", "tensions", "war"})
#: Events that restrict someone, so that "for X" names whom the restriction applies to.
RESTRICTING_EVENTS = frozenset({"COERCE", "SANCTION"})


def _restricted_for(args: Arguments, heads: list[Any]) -> list[ActorMention]:
    """Parties named as the head of a "for" phrase of a restricting verb or of its object ("restrictions ...
    for new EU members"); not a "for" phrase that names a reason or a time ("for its nuclear programme", "for
    Russia's invasion", "for two years"), whose head is no party."""
    nouns = [o for h in heads for o in [h, *(c for c in h.children if c.dep_ == "dobj")]]
    # the domain restricted may carry it: "restrictions on its labour market for new EU members"
    nouns += [p for n in list(nouns) for c in n.children if c.dep_ == "prep" and c.lower_ == "on"
              for p in c.children if p.dep_ == "pobj"]
    return [m for n in nouns for c in n.children if c.dep_ == "prep" and c.lower_ == "for"
            for p in c.children if p.dep_ == "pobj" and args.mentions_in([p])
            for m in args.mentions_in(_core(p))]


def assign_roles(args: Arguments, frame: Frame, hits: dict[int, Hit]) -> tuple[list[Entity], list[Entity], bool]:
    """(actor, recipient, actor_from_fallback) for a frame."""
    doc = args.doc
    tok = doc[frame.hit.i]
    pred = _predicate(tok)
    described = False
    is_noun = tok.pos_ in ("NOUN", "PROPN")
    if frame.hit.trigger is DISAPPROVAL:
        # "Japan said China's ban was unacceptable": the judge accuses the party whose act is judged (its owner,
        # its "by" agent, or the party itself: "called Russia reckless"); no party judged, no accusation
        judge, judged = disapproval_parts(tok)  # type: ignore[misc]
        actors = args.subject(judge)[0]
        targets = args.argument(judged)[0] if args.argument(judged)[1] else []
        targets = targets or args.noun_owner(judged) or [
            m for c in judged.children if c.dep_ == "prep" and c.lower_ == "by"
            for p in c.children if p.dep_ == "pobj" for m in args.argument(p)[0]]
        keys = {(m.start, m.end) for m in actors}
        targets = [m for m in _dedupe(targets) if (m.start, m.end) not in keys]
        if not actors or not targets:
            return [], [], False
        return _entities(_dedupe(actors)), _entities(targets), False
    if frame.hit.synthetic:  # "X said that Sudan must return ...": X demands, Sudan is asked
        verb = tok.head
        speaker = verb.head if verb.dep_ == "ccomp" else verb
        actors, _, _ = args.subject(speaker)
        if frame.hit.trigger is CONDITIONAL_THREAT:
            # "X said Washington would respond if Russia invaded": X threatens the party whose act is the
            # condition ("in the event of interference by India": the noun's owner or agent)
            actors = args.subject(threat_speaker(verb) or speaker)[0]
            cond = condition_of(verb)
            if cond is None or not actors:
                return [], [], False  # "analysts said Moscow would react if ...": a prediction, no party threatens
            targets = args.subject(cond)[0] if cond.pos_ in ("VERB", "AUX") else \
                args.noun_owner(cond) or args.objects(cond, noun=True)
            keys = {(m.start, m.end) for m in actors}
            return _entities(_dedupe(actors)), _entities([m for m in _dedupe(targets)
                                                          if (m.start, m.end) not in keys]), False
        # the one who must act is asked; the demanded clause's objects are what is asked for ("Libya must hand
        # over the bombers of the U.S. airliner"), unless no one is named as its subject
        recipients = args.subject(verb)[0] + args.subject(verb)[1] or args.objects(verb)
        keys = {(m.start, m.end) for m in actors}
        return _entities(_dedupe(actors)), _entities([m for m in _dedupe(recipients)
                                                      if (m.start, m.end) not in keys]), False
    if is_noun and pred is tok:
        actors, patients, passive = args.noun_owner(tok), [], False
    elif is_noun and pred.lemma_.lower() in PREVENT_VERBS:  # "foiled a pirate attack": the pirates attack
        actors, patients, passive = args.noun_owner(tok) + args.agent_of(tok), [], False
    elif is_noun and tok.dep_ in ("nsubj", "nsubjpass"):  # "talks were held", "a bombing killed ..."
        actors, patients, passive = args.noun_owner(tok), [], False
        if tok.dep_ == "nsubjpass":
            actors = args.subject(pred)[0] or actors
    elif pred.dep_ in ("acl", "relcl") and not any(c.dep_ in SUBJECT_DEPS for c in pred.children):
        actors, patients, passive = args.described(pred), [], False
        described = True
    else:
        actors, patients, passive = args.subject(pred)
    verb = pred
    while verb.pos_ not in ("VERB", "AUX") and verb.dep_ in ("prep", "pobj", "acomp", "attr") and verb.head.i != verb.i:
        verb = verb.head  # "is out of the question": the clause of a phrase trigger
    if {c.dep_ for c in verb.children if c.dep_ in SUBJECT_DEPS} == {"csubj"} and verb.dep_ == "ccomp" \
            and verb.pos_ in ("VERB", "AUX"):
        # "US authorities said that removing the sanctions on Burma is out of the question": the clause subject
        # is the act refused, the speaker refuses it; parties in the clause are its recipients
        patients = [m for c in verb.children if c.dep_ == "csubj" for m in args.objects(c)]
        actors, passive = args.subject(verb.head)[0], False
    if not actors and not passive and not is_noun:
        actors = args.fronted_subject(pred)
    if passive and not actors and "withdraw" in frame.mode and frame.event in ("SANCTION", "RETREAT"):
        # "Eighty UN peacekeepers were shipped out of the Bosnian enclave of Gorazde", "the troops were pulled out
        # of Mali": with no agent, what is withdrawn stands for the side that withdraws it (the actor, as in the
        # active "the UN withdrew its peacekeepers from Mali"), and the place it leaves receives the act
        actors, patients, passive = patients, args.left_place(pred), False
    if passive and not actors and pred.lower_ in STATIVE_PARTICIPLES:
        # "Israel is opposed to French mediation", "Vietnam is committed to opening up": a state, not a passive
        actors, patients, passive = patients, [], False
    aimed = frame.event in AIMED_EVENTS
    venue = frame.event in VENUE_EVENTS
    recipients = list(patients)
    if frame.event == "ACCUSE":
        # "blamed Israel for the bombing of Karmi in the West Bank": the direct object is the accused; without
        # one, the topic names it ("complained to the UN over Israeli air raids"), not the addressee
        accused = [m for c in pred.children if c.dep_ in ("dobj", "dative") for m in args.argument(c)[0]
                   if args.argument(c)[1]] if not is_noun else []
        if not accused and not is_noun:
            # "denounced as an ugly crime Serbia's suppression of ...": the object comes after the judgement,
            # and the parser hangs it on the "as" phrase as an apposition
            accused = [m for c in pred.children if c.dep_ == "prep" and c.lower_ == "as"
                       for p in c.children if p.dep_ == "pobj" for a in p.children if a.dep_ == "appos"
                       for m in args.mentions_in(_core(a))]
        if not is_noun:
            accused = _scene_of_judged_act(args, pred, accused, actors)
        recipients += accused or args.topic(pred) + (args.topic(tok) if is_noun else [])
        if not recipients and not is_noun:
            # "Greece complained that Turkish jets had violated its airspace", "the opposition is being
            # harassed by the police, a rights group complained": the doer of the act complained of
            recipients += _clause_doers(args, pred)
    if not recipients:
        recipients += args.objects(pred, aimed=aimed, venue=venue)
        if is_noun:
            recipients += args.objects(tok, noun=True, aimed=aimed, venue=venue)
    if not recipients and not is_noun and (frame.event in RESTRICTING_EVENTS or "restrict" in frame.mode):
        # "plans to impose restrictions on its labour market for new EU members", "imposed visa bans for Russian
        # officials": the party a restriction applies to
        heads = [pred] + ([_predicate(doc[frame.content.i])] if frame.content is not None else [])
        recipients += _restricted_for(args, heads)
    if not recipients and aimed and not is_noun:
        # "Russia said Ukrainian forces had shelled *its* border villages", "fired water cannon at its vessels"
        recipients += _owner_of_its(args, pred, actors)
    if not recipients and frame.event in VICTIM_CLAUSE_EVENTS:
        # "stormed a checkpoint in Helmand, killing nine Afghan policemen", "raided the paper's offices,
        # arresting two Turkish reporters": the victims are named in a participle clause of the same act
        recipients += [m for c in _victim_clauses(pred, hits, frame.event)
                       for m in args.objects(c, aimed=aimed, venue=venue)]
    if frame.event == "ACCUSE" and len(recipients) > 1:
        recipients = _accused_owners(args, pred, recipients)
    if frame.hit.trigger.frame == "request" and tok.pos_ not in ("NOUN", "PROPN"):
        # "called on the EU to tighten sanctions against Belarus", "appealed to Iran": the one called upon
        called = [m for c in pred.children if c.dep_ == "prep" and c.lower_ in ("on", "upon", "to")
                  for p in c.children if p.dep_ == "pobj" for m in args.argument(p)[0]]
        if called:
            recipients = list(patients) + called
    if frame.hit.trigger.frame in ("request", "reject", "threaten"):
        # "demanded that the US cancel ...", "insisted on its demands that Burundi's government grant ...": the
        # subject of the demanded clause receives the demand
        # (only on the trigger or a demand noun: "asked for guarantees that NATO would not expand" asks Moscow's
        # counterpart, not NATO)
        nouns = [tok] + [n for c in pred.children if c.dep_ in ("dobj", "prep")
                         for n in ([c] if c.dep_ == "dobj" else [p for p in c.children if p.dep_ == "pobj"])
                         if n.i in hits and hits[n.i].trigger.event == "REQUEST"]
        for c in list(pred.children) + [c for n in nouns if n.pos_ == "NOUN" for c in n.children]:
            if c.dep_ == "ccomp" or c.dep_ == "acl" and any(d.dep_ == "mark" and d.lower_ == "that"
                                                             for d in c.children):
                recipients += args.subject(c)[0]
            elif frame.hit.trigger.frame == "request" and _for_clause(c):
                # "called for Israel to withdraw", "pushing hard for the US (to) support its plan": the subject
                # of the clause asked for is the one asked
                recipients += args.subject(c)[0]
    if not recipients and frame.event == "REJECT" and not is_noun:
        # "declined to resign despite growing pressure by the anti-corruption commission", "refused to release
        # them despite calls from the UN": the refusal answers the party that pressed for the act
        recipients += _pressing_parties(args, pred)
    if not recipients and frame.event in ("AGREE", "CONCEDE") and not is_noun:
        # "accepted a formula for ending its fisheries dispute with its common market partners": the other side
        # of the dispute an agreement ends, wherever the parser hung the dispute noun in the clause
        subject = {t.i for c in pred.children if c.dep_ in SUBJECT_DEPS for t in c.subtree}
        recipients += [m for t in pred.subtree if t.i not in subject and t.lemma_.lower() in DISPUTE_NOUNS
                       for c in t.children if c.dep_ == "prep" and c.lower_ == "with"
                       for p in c.children if p.dep_ == "pobj" for m in args.mentions_in(_core(p))]
    if not recipients and frame.event in ("REJECT", "AGREE") and not is_noun:
        # "rejected an invitation to attend a meeting of Palestinian factions", "accepted an invitation to talks
        # with the government": turning down or taking up a meeting answers its inviter, else its other parties
        recipients += _meeting_parties(args, pred)
    if not recipients and frame.hit.trigger.frame == "request":
        # "urged him to bring Russia back": a pronoun addressee is the nearest party named before it
        recipients += args.pronoun_object(pred, actors)
    pronoun_addressee = any(c.dep_ in ("dobj", "dative") and c.pos_ == "PRON" for c in pred.children)
    addressed = (bool(recipients) or pronoun_addressee) and frame.hit.trigger.frame in ("request", "reject",
                                                                                         "accept")
    if frame.hit.trigger.frame in ("intent", "agree", "threaten", "request", "reject"):
        # "threatened to deliver blows to the US": objects of a complement verb the lexicon does not know
        for c in pred.children:
            if c.dep_ == "xcomp" and not addressed and (frame.content is None or c.i != frame.content.i):
                recipients += args.objects(c, aimed=aimed, venue=venue)
    content = frame.content
    if addressed:
        # "urged Xi to bring Russia back to the table", "demanded that its EC partners refuse to recognise
        # Macedonia", "rejected a UN appeal for troops on its border with Israel": the one asked (or whose
        # proposal is refused) receives the demand; parties inside its content are not recipients
        content = None
    if frame.hit.trigger.lemma == "invite":  # "invited X to visit Beijing": the invitee receives, not the place
        content = None
    if content is not None and content.i != frame.hit.i:
        ctok = doc[content.i]
        cpred = _predicate(ctok)
        c_subj, c_pat, _ = args.subject(cpred) if cpred.dep_ in ("ccomp",) else ([], [], False)
        recipients += c_subj + c_pat + args.objects(cpred, aimed=aimed, venue=venue)
        if ctok.pos_ in ("NOUN", "PROPN"):
            recipients += args.objects(ctok, noun=True, aimed=aimed, venue=venue)
        # embedded clause objects: "urged the EC to support the PLO" -> EC is already the object of urge
    # a request with an addressee of its own ("urged him to use his influence with Russia") has its recipient
    # there even when it names nobody the resolver knows
    own_addressee = (frame.hit.trigger.frame in ("request", "reject") or pronoun_addressee) and any(
        c.dep_ in ("dobj", "dative") for c in pred.children)
    if not recipients and frame.event not in ("CONSULT", "PROTEST") and not own_addressee:
        recipients += _purpose_objects(args, pred, aimed, venue)
        if not recipients and content is not None and content.i != frame.hit.i \
                and content.trigger.event in PLACE_EVENTS:
            # "is willing to send material to help defend Saudi Arabia": the purpose of a promised material act
            # (not of promised cooperation: "agreed that their countries should cooperate to encourage Romanian
            # refugees to return" has no recipient)
            recipients += _purpose_objects(args, _predicate(doc[content.i]), aimed, venue)
    if frame.event == "PROTEST" and not actors:
        # "people blocked streets in Hong Kong": protesters are people of the place they protest in (CVL)
        actors = [_as_people(m) for m in args.places(pred)]
    if frame.event == "PROTEST" and actors and not recipients:
        recipients = args.protest_targets(pred, actors)
    actor_keys = {(m.start, m.end) for m in actors}
    recipients = [m for m in _dedupe(recipients) if (m.start, m.end) not in actor_keys]
    fallback = False
    unresolved_subject = (_has_subject(pred) or described) and not actors
    if unresolved_subject:
        # "A newspaper based in east Beirut", "a militia based in eastern Congo": a body the resolver does not
        # know is of the place it is based in (for violence too: that place is the group's, not the victims')
        rec_keys = {(m.start, m.end) for m in recipients}
        actors = [m for c in pred.children if c.dep_ in SUBJECT_DEPS for a in c.children
                  if a.dep_ == "acl" and a.lemma_.lower() in BASED_LEMMAS for m in args.places(a)
                  if (m.start, m.end) not in rec_keys]
        actors = _with_sector(actors, _subject_sector(pred))  # the newspaper is JRN, its place's country
        fallback = bool(actors)
    if unresolved_subject and not actors and frame.event not in ("ASSAULT", "COERCE"):
        # "Leaders of the Azadliq coalition agreed to postpone the demonstration in Baku": a group the resolver
        # does not know acts where its act takes place (the protesters rule above, for any event but violence,
        # whose place is the victims': "a suicide bomber killed 59 worshippers at a mosque in Peshawar")
        heads = [pred] + ([_predicate(doc[content.i])] if content is not None else [])
        rec_keys = {(m.start, m.end) for m in recipients}
        actors = _with_sector([m for h in heads for m in args.places(h) if (m.start, m.end) not in rec_keys],
                              _subject_sector(pred))
        fallback = bool(actors)
    if not actors and not passive and not unresolved_subject:
        # No parsed subject: the nearest actor before the trigger that is not a recipient (news leads often
        # put the actor in an apposition or a fronted phrase the parser attaches elsewhere).
        rec_keys = {(m.start, m.end) for m in recipients}
        # a conjunct with no subject of its own shares the first conjunct's: look before that one ("said it
        # would ban imports of Japanese seafood and would deny visas to ...": not "Japanese")
        first = pred
        while first.dep_ == "conj" and first.head.i != first.i and \
                not any(c.dep_ in SUBJECT_DEPS for c in first.children):
            first = first.head
        start = args.offset + min(tok.idx, first.idx)
        venues = args.locative_mentions()
        before = [m for m in args.mentions if m.end <= start and (m.start, m.end) not in rec_keys
                  and (m.start, m.end) not in venues]
        if before:
            actors = [before[-1]]
            # "Bosnian Serbs said their forces had completed their withdrawal": the party the pronoun stands
            # for, with the sector of the noun it owns
            if any(c.dep_ == "nsubj" and any(d.dep_ == "poss" and d.pos_ == "PRON" for d in c.children)
                   for c in pred.children):
                actors = _with_sector(actors, _subject_sector(pred))
            fallback = True
    if not actors and not recipients and args.mentions and not passive:
        # Nobody attached by the parse ("Gunmen kidnapped 80 students in northern Nigeria", "protesters rioted in
        # Nairobi"): violence lands on the place where it happens, other events are done by the nearest party.
        if frame.event in ("ASSAULT", "COERCE"):
            recipients = [m for h in [pred] + [c for c in pred.children if c.dep_ == "xcomp"]
                          for m in args.places(h)]
        venues = args.locative_mentions()
        parties = [m for m in args.mentions if (m.start, m.end) not in venues]
        if not recipients and parties and not unresolved_subject:
            start = args.offset + tok.idx
            nearest = min(parties, key=lambda m: (m.end > start, abs(m.start - start)))
            actors = [nearest]
            fallback = True
    if actors and not recipients and not passive:
        # "Serbia lifted a curfew in Montenegro", "NATO troops arrived in Bosnia", "threatened to ban voting in
        # East Jerusalem": a material act (done, promised or threatened) lands on the place where it happens
        # a promise coded AGREE from a material trigger ("Israel will evacuate all settlements in the Gaza
        # Strip") is its own content
        c_event = content.trigger.event if content is not None else \
            (frame.hit.trigger.event if frame.hit.trigger.event != frame.event else None)
        if frame.event == "THREATEN":
            # "threatened to stop negotiations if the United States goes ahead": the party the condition
            # names is the one threatened
            heads = [pred] + [c for c in pred.children if c.dep_ == "xcomp"]
            recipients = [m for h in heads for c in h.children if c.dep_ == "advcl" and any(
                d.dep_ == "mark" and d.lower_ in ("if", "unless") for d in c.children)
                for m in args.subject(c)[0]]
        # "rejected a call for its peacekeeping forces to be deployed in East Timor", "would not meet demands to
        # release prisoners in Iraq": a material act that describes what is asked or refused
        asked = [d for c in pred.children if c.dep_ in OBJECT_DEPS for d in c.children
                 if d.dep_ in ("acl", "relcl", "xcomp") and (d.i in hits and hits[d.i].trigger.event in
                                                             MATERIAL_EVENTS or _infinitive(d))] \
            if frame.event in ("REQUEST", "REJECT", "AGREE") else []
        if not recipients and (frame.event in PLACE_EVENTS or frame.event == "THREATEN" or asked
                               or frame.event == "AGREE" and c_event in PLACE_EVENTS):
            heads = [pred] + ([_predicate(doc[content.i])] if content is not None else []) + asked
            heads += [c for c in pred.children if c.dep_ == "xcomp" and c not in heads]
            # a place of the actor's own country is where it acts at home (a ceasefire declared in south
            # Lebanon, troops withdrawn from its own town), not whom it acts on; but coercion, violence and
            # their threat or lifting fall on the people of the place ("imposed a curfew in Cizre", "will
            # extend the curfew in Abidjan", "lifted the state of emergency in West Darfur": PLOVER 0.8 COERCE
            # has "a clear intended recipient"; the CAMEO-era gold codes the country)
            own = set() if frame.event in ON_PEOPLE_EVENTS or c_event in ON_PEOPLE_EVENTS else \
                {m.entity.code for m in actors}
            if frame.event == "ASSAULT":
                # "claimed an attack on a Shiite mosque in Kabul", "a raid on a village near Gao": the place of
                # the target violence is aimed at is where it happens (not for restrictions: "imposed a blackout
                # on the withdrawal of weapons around Sarajevo" names a topic)
                heads += [p for h in list(heads) for o in [h] + [c for c in h.children if c.dep_ in OBJECT_DEPS]
                          for c in o.children if c.dep_ == "prep" and c.lower_ in ("on", "against", "at")
                          for p in c.children if p.dep_ == "pobj" and p not in heads]
            # a restriction or its lifting in towns "near the Syrian border" falls on the people at home (the
            # home rule below); troops massed or shells fired near a border are aimed across it
            border = _across_border(args) if frame.event in ("COERCE", "CONCEDE") else set()
            recipients = [m for h in heads for m in args.places(h) if m.entity.code not in own
                          and (m.start, m.end) not in border]
            if not recipients and frame.event == "ASSAULT":
                # "blew up three power lines leading into Kabul", "shelled a convoy heading to Aleppo": a target
                # told by where it runs or goes is where the violence lands
                recipients = [m for o in pred.children if o.dep_ == "dobj" for a in o.children
                              if a.dep_ == "acl" and a.tag_ in ("VBG", "VBN")
                              for c in a.children if c.dep_ == "prep" and c.lower_ in ROUTE_PREPS
                              for p in c.children if p.dep_ == "pobj" for m in args.mentions_in(list(p.subtree))
                              if m.entity.code not in own]
    visit = _visit(frame)
    if visit and not recipients:  # "arrived in Beijing", "will travel to Kyiv", "visited troops in Kherson"
        heads = [pred] + ([_predicate(doc[content.i])] if content is not None else [])
        recipients = [m for h in heads for m in args.places(h)]
    if frame.hit.trigger.lemma in SIGN_LEMMAS and frame.event in ("SUPPORT", "AGREE"):
        # "Israel signed agreements to normalise relations with the UAE and Bahrain", "signed alongside X":
        # the other parties of an agreement sign it too (one event, a compound actor)
        parties = [m for c in pred.subtree if c.dep_ == "prep" and c.lower_ in ("with", "alongside")
                   for p in c.children if p.dep_ == "pobj" for m in args.mentions_in(_tokens(p))]
        keys = {(m.start, m.end) for m in parties}
        actors = actors + parties
        recipients = [m for m in recipients if (m.start, m.end) not in keys]
    if frame.event == "PROTEST" and actors and not recipients:
        # the same for protesters found by a fallback ("Palestinian youths resorted to throwing stones during
        # demonstrations against violations by the Israeli military")
        keys = {(m.start, m.end) for m in actors}
        recipients = [m for m in args.protest_targets(pred, actors) if (m.start, m.end) not in keys]
    if frame.event in PLACE_SECTOR_EVENTS:
        victims = _victim_sector(args, pred, hits, frame.event) if frame.event in ("ASSAULT", "COERCE") else "CVL"
        # a place that suffers the act, as its locative phrase or as its object ("shelled the regional capital
        # Juba"), is its people
        # (not for protests: a city a strike "shut down" stands for the government it is aimed at)
        recipients = [_as_people(m, victims) if (m.start, m.end) in args.place_keys
                      or (_is_town(m) and frame.event != "PROTEST") else m for m in recipients]
    actor_e, recip_e = _entities(_dedupe(actors)), _entities(recipients)
    # "X and Y agreed on a pact between the two countries": reciprocal, the parties are not also recipients
    same = {(e.code, e.sector, e.kb_id) for e in actor_e}
    recip_e = [e for e in recip_e if (e.code, e.sector, e.kb_id) not in same]
    if frame.event == "RETREAT":
        # "completed their withdrawal from the Bosnian town of Gorazde" (Bosnian Serbs): a place of the actor's
        # own country, named as a place or by its adjective, is where it withdraws at home, not whom it acts on
        # (the convention the place rule above follows when no object names a party)
        home = {e.code for e in actor_e}
        recip_e = [e for e in recip_e if not (e.code in home and e.sector is None and
                                              (e.kb_id or "").startswith("country:"))]
    if passive and not actor_e and not frame.hit.synthetic and (
            frame.event in STATE_PASSIVE_EVENTS or frame.event == "ACCUSE" and frame.hit.trigger.context == "legal"):
        # "a French aid worker was arrested in Iran", "a US national has been put under investigation in Italy",
        # "was expelled from Latvia": an arrest, expulsion, sentence or legal inquiry with no agent is the act
        # of the state where it happens (the CAMEO-era gold codes it so; ICEWS writes "Police (Iran)")
        actor_e = _state_of_place(args, pred, frame)
        fallback = fallback or bool(actor_e)
    if not recip_e and frame.event in DOMESTIC_EVENTS:
        recip_e = _domestic_recipient(args, frame, pred, actor_e)
    if not recip_e and frame.event in HOME_EVENTS:
        recip_e = _home_recipient(args, actor_e)
    if frame.event == "ASSAULT" and not actor_e and recip_e and not frame.hit.synthetic:
        # violence with no named attacker ("a roadside bombing near Samarra killed one US soldier")
        actor_e = _unattributed_actor(args, tok, pred, recip_e)
    elif frame.event == "ASSAULT" and not actor_e and not recip_e and not frame.hit.synthetic:
        # nobody named on either side, only people and a town ("a suicide bomber killed 59 worshippers at a
        # mosque in Peshawar"): the people of the place where it happened, by an unidentified attacker
        victims = [t for c in pred.children if c.dep_ in OBJECT_DEPS or c.dep_ == "nsubjpass"
                   for t in _core(c) if t.pos_ == "NOUN" and (_role_sector(t) or t.lemma_.lower() in PEOPLE_NOUNS)]
        codes = _violence_place_codes(args, tok, pred) if victims else []
        if len(codes) == 1:
            sector = _role_sector(victims[0]) or "CVL"
            recip_e = [Entity(code=codes[0], sector=sector, entity_text=victims[0].text)]
            actor_e = [Entity(code=codes[0], sector=UNATTRIBUTED_SECTOR, entity_text="")]
    if visit and frame.event == "AGREE" and not recip_e and len(actor_e) < 2:
        return [], [], fallback  # a planned trip to a place that names no party: nobody is visited
    if frame.event == "CONSULT":
        lemma = frame.hit.trigger.lemma
        if lemma in HOST_LEMMAS:  # the guest is the visitor: actor; the host receives
            actor_e, recip_e = recip_e, actor_e
            # "welcomed the Chinese president to the Kremlin / to Moscow": a place of the host's own country
            # is where the guest came, the host's venue, not a second guest
            hosts = {e.code for e in recip_e}
            guests = [e for e in actor_e if not (e.code in hosts and _is_place_entity(e))]
            actor_e = guests or actor_e
        elif "visit" in frame.mode and not recip_e:
            # "Macron is due to travel to Guangzhou": a trip to nowhere the resolver knows as a party is no
            # visit of anyone (PLOVER: the host is the recipient)
            return [], [], fallback
        elif "third-party" in frame.mode and actor_e and recip_e:
            pass  # "X undertook a mediation mission between Syria and Arafat": the mediator acts on the parties
        elif "visit" not in frame.mode:  # talks, meetings, calls: all parties act, nobody receives
            keys = {(e.code, e.sector, e.kb_id) for e in actor_e}
            actor_e = actor_e + [e for e in recip_e if (e.code, e.sector, e.kb_id) not in keys]
            recip_e = []
    return actor_e, recip_e, fallback

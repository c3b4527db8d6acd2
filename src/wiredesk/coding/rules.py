"""Event frames from one sentence's dependency parse: which words trigger events, which trigger absorbs which,
and what event type, mode and auxiliary flags each top-level frame gets.

The steps, in the order PLOVER coders apply them by hand:

1. *Triggers*: every token whose lemma (and, for specific lines, object) matches ``triggers.tsv``.
2. *Attachment*: a trigger inside the complement of another trigger belongs to it ("agreed to **meet**",
   "rejected a call for a **ceasefire**", "staged a rally to **demand**"). Reporting verbs are transparent
   ("the Elysee said that X agreed": the agreement is the event), coordination keeps events apart
   ("kidnapped ... and exploded bombs" is two events).
3. *Resolution*: frames take their mode from the embedded event (REQUEST/REJECT assist | change | yield | meet;
   THREATEN violence | relations | ...); promises and plans of cooperation are AGREE, of material conflict
   THREATEN; future meetings, visits, aid, signings are AGREE (PLOVER: future CONSULT/SUPPORT/COOPERATE/AID).
4. *Flags*: negation (dropped by the caller: the canonical record must not count it), future, hypothetical.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from .lexicon import COOPERATIVE, MATERIAL_CONFLICT, Lexicon, Trigger

#: Dependencies that end the search for a governing trigger: coordinated and parenthetical clauses are their
#: own events, relative clauses describe a participant rather than complete the frame.
STOP_DEPS = frozenset({"conj", "parataxis", "relcl", "appos", "cc"})
#: How far up the tree a complement may sit below its frame ("agreed to *meet*" is 1, "rejected calls for a
#: *ceasefire*" 3); deeper words belong to descriptions inside the frame, not to its content.
MAX_ATTACH = 3
#: Dependencies pruned when collecting the words of an argument or an object constraint.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "conj", "parataxis", "cc", "xcomp", "acl", "punct"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
MODAL_AUX = frozenset({"may", "might", "could", "can"})
WOULD = "would"
REQUEST_AUX = frozenset({"must", "should"})
CONDITION_MARKS = frozenset({"if", "unless", "whether"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj", "pobj"})
#: Prepositions that put an event noun in the background ("during a summit", "after the attack").
BACKGROUND_PREPS = frozenset({"during", "after", "before", "since", "ahead", "following", "amid", "despite",
                              "until", "in", "at", "because", "over", "like", "than"})
#: Generic heads an event noun may modify ("a mediation effort", "a peace mission").
EVENT_HEADS = frozenset({"effort", "mission", "bid", "initiative", "operation", "campaign", "process", "round"})
#: Temporal/causal subordinators: an event in such a clause is background to the main one.
BACKGROUND_MARKS = frozenset({"after", "before", "since", "when", "while", "as", "because", "once", "until"})
#: Month names that are also trigger words ("March", "May"): in a date they are no event.
MONTHS = frozenset({"march", "may"})
DEMAND_NOUNS = frozenset({"demand", "request", "call", "condition", "term", "appeal", "ultimatum"})


@dataclass
class Hit:
    """A trigger matched at one token (the root of a phrase match)."""

    i: int  # token index of the anchor
    trigger: Trigger
    tokens: tuple[int, ...]
    parent: int | None = None  # anchor of the governing hit
    children: list[int] = field(default_factory=list)
    synthetic: bool = False  # e.g. "X must withdraw" under a reporting verb
    weak: bool = False  # an event noun in a prepositional phrase: content of a frame, never an event alone


@dataclass
class Frame:
    """A resolved top-level event: what to emit for one hit (roles are filled by roles.py)."""

    hit: Hit
    event: str
    mode: list[str]
    context: list[str]
    flags: list[str]
    content: Hit | None  # the deepest embedded hit that gave the event its content
    confidence: float


#: How many times the trigger search and the frame resolution have read a token's entity type (the only reads of
#: entities in this module: the month test of ``find_hits`` and ``_subtree_lemmas``). ``coder.frames_for`` compares
#: it before and after a search: a search that read none follows the same path, to the same frames, whatever
#: entities NER adds to the Doc later.
ENTITY_READS = [0]


def _subtree_lemmas(tok: Any, depth: int = 3) -> set[str]:
    """Lemmas (and word forms) of a trigger's non-subject dependents, for object-constrained lexicon lines.

    Possessors are left out ("welcomed President Reagan's statement" does not welcome a president), and so
    are subjects (matched separately with "^word") and embedded clauses.
    """
    ENTITY_READS[0] += 1  # the PERSON / NORP tests below read the tokens' entity types
    out: set[str] = set()
    # a passive subject is the verb's object ("the ambassador was summoned")
    stack = [(c, 1) for c in tok.children if c.dep_ not in SUBJECT_DEPS or c.dep_ == "nsubjpass"]
    while stack:
        t, d = stack.pop()
        if t.dep_ in ("ccomp", "xcomp") and d == 1:  # "allowed X to contest": the complement's verb and object
            out.add(t.lemma_.lower())
            out |= {c.lemma_.lower() for c in t.children if c.dep_ in ("dobj", "xcomp")}
            continue
        if t.dep_ in ("ccomp", "relcl", "parataxis", "poss"):
            continue
        if t.dep_ == "dobj" and d == 1:
            out.add("@DOBJ")
        out.add(t.lemma_.lower())
        out.add(t.lower_)
        if t.ent_type_ == "PERSON" and d == 1 or t.ent_type_ == "PERSON" and t.head.dep_ in OBJECT_DEPS:
            out.add("@PERSON")
        if t.ent_type_ == "NORP" and d == 1 and t.tag_ in ("NNS", "NNPS"):  # "released two Americans"
            out.add("@NORP")
        if d < depth:
            stack.extend((c, d + 1) for c in t.children)
    if any(c.dep_ == "ccomp" for c in tok.children) or tok.dep_ == "parataxis":
        out.add("@CLAUSE")
    if not any(c.dep_ in ("dobj", "nsubjpass", "auxpass", "agent") for c in tok.children):
        out.add("@INTRANS")
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        out.add("@PASSIVE")
    for c in tok.children:
        if c.dep_ in SUBJECT_DEPS:
            out |= {"^" + t.lemma_.lower() for t in c.subtree}
    return out


#: Key of ``doc_words``' answer in ``Doc.user_data``.
_WORDS = "wiredesk.words"


def doc_words(doc: Any) -> tuple[list[str], list[str]]:
    """(lower-case lemma, lower-case form) of every token of a Doc, read once and kept on the Doc.

    Why: the trigger search, its structural rules, the NER test (``pipeline.needs_entities``) and the context
    and mode lists each walked the Doc's tokens, and a spaCy token object is built at every step (~5 walks a
    sentence). NER, which completes a Doc later, changes neither lemmas nor forms."""
    kept = doc.user_data.get(_WORDS)
    if kept is None:
        lemmas, lowers = [], []
        for t in doc:
            lemmas.append(t.lemma_.lower())
            lowers.append(t.lower_)
        kept = doc.user_data[_WORDS] = (lemmas, lowers)
    return kept


def find_hits(doc: Any, lex: Lexicon) -> dict[int, Hit]:
    """All trigger matches in a parsed sentence, keyed by anchor token index.

    Only tokens whose lemma starts a phrase or is a verb or noun trigger are looked at as spaCy tokens (the
    rest cannot match); phrases are tried in the lexicon's order (longest first) at the positions of their
    first word, in text order, which is the order a scan of every position would find them in."""
    hits: dict[int, Hit] = {}
    lemmas, lowers = doc_words(doc)
    trigger_lemmas, phrases_by_first = lex.trigger_lemmas, lex.phrases_by_first
    covered: set[int] = set()
    starts: dict[str, list[int]] = {}
    for s, lemma in enumerate(lemmas):
        if lemma in phrases_by_first:
            starts.setdefault(lemma, []).append(s)
    if starts:
        for words, trig in lex.phrases:
            at = starts.get(words[0])
            if not at:
                continue
            n = len(words)
            for s in at:
                if s > len(lemmas) - n:
                    break
                if tuple(lemmas[s:s + n]) == words and not covered & set(range(s, s + n)):
                    span = doc[s:s + n]
                    weak = False
                    if span.root.pos_ in ("NOUN", "PROPN"):
                        # a noun phrase follows the event-noun rules: "differences over cyber attacks" is a topic
                        use = _noun_is_event(span.root)
                        if use is None:
                            continue
                        weak = use == "weak"
                    hits[span.root.i] = Hit(span.root.i, trig, tuple(range(s, s + n)), weak=weak)
                    covered |= set(range(s, s + n))
    for i, lemma in enumerate(lemmas):
        if lemma not in trigger_lemmas or i in covered:
            continue  # no verb or noun line has this lemma: the tests below could only skip it
        tok = doc[i]
        if tok.is_stop and lemma not in lex.verbs:
            continue
        if lemma in MONTHS and tok.text[:1].isupper():
            ENTITY_READS[0] += 1
            if tok.ent_type_ in ("DATE", "TIME") or any(
                    c.like_num for c in (*tok.children, *doc[max(0, tok.i - 1):tok.i])):
                continue  # "Paris, 10 March 2023": a month, not a march (PROTEST)
        if tok.pos_ in ("NOUN", "PROPN"):
            table = lex.nouns.get(lemma, ())
        elif tok.pos_ in ("VERB", "AUX", "ADJ"):
            if tok.dep_ in ("amod", "compound", "nmod") and tok.pos_ == "VERB":
                continue  # participles as adjectives: "the wounded", "an internationally recognised corridor"
            if tok.dep_ in ("csubj", "csubjpass") and any(
                    c.dep_ == "aux" and c.lower_ in ("would", "could", "might") for c in tok.head.children):
                continue  # "supplying weapons to Russia would harm relations": an opinion about a possible act,
                # as for an event noun ("new sanctions would be a colossal mistake", _noun_is_event)
            table = lex.verbs.get(lemma, ())
        else:
            continue
        if not table:
            continue
        objs: set[str] | None = None
        for trig in table:
            if trig.specific:
                if objs is None:
                    objs = _subtree_lemmas(tok)
                    if tok.pos_ in ("NOUN", "PROPN"):
                        objs.add(tok.head.lemma_.lower())
                if not trig.objects & objs:
                    continue
            weak = False
            if trig.kind == "n":
                use = _noun_is_event(tok)
                if use is None:
                    break
                weak = use == "weak"
            hits[tok.i] = Hit(tok.i, trig, (tok.i,), weak=weak)
            break
    _add_obligation_hits(doc, hits, lex)
    _add_conditional_threat_hits(doc, hits, lex)
    _add_disapproval_hits(doc, hits)
    for i in [i for i, h in hits.items() if h.trigger.frame in MARKER_FRAMES]:
        del hits[i]
    _attach(doc, hits)
    return hits


def _noun_is_event(tok: Any) -> str | None:
    """"strong" when an event noun is an argument of a clause ("held talks", "talks began"); "weak" inside a
    prepositional phrase (only a frame's content: "rejected calls for a ceasefire"); None as a modifier."""
    if tok.dep_ == "nsubj" and tok.head.lemma_ == "be" and any(
            c.dep_ == "aux" and c.lower_ in ("would", "could", "might") for c in tok.head.children):
        return None  # "new sanctions would be a colossal mistake": an opinion about a possible event
    if tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "ROOT", "oprd", "conj", "appos", "npadvmod"):
        return "strong"
    if tok.dep_ == "pobj":
        # "went on strike", "are on hunger strike": the state is the event; elsewhere a prepositional event
        # noun is background ("during a summit") or a frame's content ("calls for a ceasefire")
        verb = tok.head.head
        if tok.head.lower_ == "on" and verb.lemma_.lower() in ("go", "be", "remain", "stay"):
            return "strong"
        return "weak"
    if tok.dep_ == "compound" and tok.head.lemma_.lower() in EVENT_HEADS | {"strike", "bombing", "attack"}:
        return "strong"
    return None


def _add_obligation_hits(doc: Any, hits: dict[int, Hit], lex: Lexicon) -> None:
    """Reported obligations ("Russia said that Sudan must return the helicopter") are REQUESTs by the speaker."""
    request = Trigger("v", "must", frozenset(), "REQUEST", None, None, "request")
    for i, lower in enumerate(doc_words(doc)[1]):
        tok = doc[i] if lower in REQUEST_AUX else None
        if tok is not None and tok.dep_ == "aux":
            verb = tok.head
            gov = verb.head if verb.dep_ == "ccomp" else None
            reported = gov is not None and (gov.i in hits or gov.lemma_.lower() in lex.verbs)
            if not reported or verb.i in hits and hits[verb.i].trigger.frame == "report":
                continue
            if verb.i in hits:  # the obligation wraps an event trigger: keep it as the content
                inner = hits.pop(verb.i)
                hits[tok.i] = Hit(tok.i, request, (tok.i,), synthetic=True)
                hits[verb.i] = inner
            else:
                hits[tok.i] = Hit(tok.i, request, (tok.i,), synthetic=True)


#: Verbs of retaliation (lexicon lines with frame "response", and "hit/strike back"): "would respond / act /
#: retaliate if Russia invaded" announces a response to another party's act. A conditional with any other
#: consequence is an offer or a prediction ("would sign if").
#: Frames of lexicon lines that only mark words for the structural rules below (and keep their sentences in
#: the candidate filters): they name no event alone and are dropped once the rules have run.
MARKER_FRAMES = frozenset({"judge", "response"})


@functools.cache
def _frame_words(frame: str) -> frozenset[str]:
    """Keys of the lexicon's verb table with a line of ``frame``: the words ``_marked`` can find."""
    from .lexicon import lexicon

    return frozenset(k for k, triggers in lexicon().verbs.items() if any(t.frame == frame for t in triggers))


def _marked(tok: Any, frame: str) -> bool:
    from .lexicon import lexicon

    return any(t.frame == frame for t in lexicon().verbs.get(tok.lemma_.lower(), ())) or any(
        t.frame == frame for t in lexicon().verbs.get(tok.lower_, ()))
#: "would take (retaliatory) measures / action if ...".
RESPONSE_OBJECTS = frozenset({"measure", "countermeasure", "action", "step", "response"})
#: The marker trigger of a conditional threat (anchored on the consequence's "would"/"will").
CONDITIONAL_THREAT = Trigger("v", "would-if", frozenset(), "THREATEN", None, None, "threaten")


def _is_response(verb: Any) -> bool:
    lemma = verb.lemma_.lower()
    if lemma in ("hit", "strike"):  # only "hit back", "strike back": else the act itself
        return any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in verb.children)
    if lemma == "take":
        return any(c.dep_ == "dobj" and c.lemma_.lower() in RESPONSE_OBJECTS for c in verb.children)
    return _marked(verb, "response")


def condition_of(verb: Any) -> Any | None:
    """The condition on a consequence: an "if"/"unless" clause, or the head noun of "in the event of X"/"in
    case of X"."""
    # the parser hangs "in the event of" on the verb or on its object ("respond with measures in the event of")
    heads = [verb] + [o for c in verb.children if c.dep_ in ("dobj", "prep")
                      for o in ([c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"])]
    for c in (c for h in heads for c in h.children):
        if c.head.i == verb.i and c.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
            return c
        if c.dep_ == "prep" and c.lower_ == "in":
            for p in c.children:
                if p.dep_ == "pobj" and p.lemma_.lower() in ("event", "case"):
                    return next((o for g in p.children if g.dep_ == "prep" and g.lower_ == "of"
                                 for o in g.children if o.dep_ == "pobj"), None)
    return None


def threat_speaker(verb: Any) -> Any | None:
    """The verb that reports a consequence clause: "said (that) X would respond"; "made clear that X would
    respond" parses either as a complement of "made" or as the clausal subject of "clear"."""
    if verb.dep_ == "ccomp":
        return verb.head
    if verb.dep_ == "csubj" and verb.head.lower_ == "clear" and verb.head.head.lemma_.lower() == "make":
        return verb.head.head
    return None


def _add_conditional_threat_hits(doc: Any, hits: dict[int, Hit], lex: Lexicon) -> None:
    """Reported conditional retaliation is a THREATEN by the speaker against the party in the condition: "the
    White House made clear that Washington would respond if Russia invaded" (PLOVER: a threat is a statement
    of a negative consequence if the target acts). The threat is made when it is said, so it is a fact even
    though its consequence is hypothetical. Only under a verb of saying (the narrator's "would" is a
    prediction) and only when nothing already codes the consequence as a threat ("warned that ...")."""
    for i, lower in enumerate(doc_words(doc)[1]):
        if lower not in ("would", "will", "'ll", "'d"):
            continue
        tok = doc[i]
        if tok.dep_ != "aux":
            continue
        verb = tok.head
        gov = threat_speaker(verb)
        if gov is None or not _is_response(verb) or condition_of(verb) is None:
            continue
        if any(c.dep_ == "neg" for c in verb.children):
            continue  # "would not respond if ...": a reassurance
        lemma = gov.lemma_.lower()
        saying = lemma in SPEECH_VERBS or lemma == "make" and any(c.lower_ == "clear" for c in gov.children) \
            or (gov.i in hits and hits[gov.i].trigger.frame == "report")
        if not saying or lemma in ("agree", "promise", "pledge", "guarantee", "assure"):
            continue
        if gov.i in hits and hits[gov.i].trigger.frame != "report":
            continue  # "warned that Seoul would retaliate if ...": the governing trigger codes it
        hits[tok.i] = Hit(tok.i, CONDITIONAL_THREAT, (tok.i,), synthetic=True)


#: Adjectives of condemnation (lexicon lines with frame "judge"): a party's act judged with one of them by
#: another party is a spoken disapproval. Judgements of a state of affairs ("difficult", "fragile") and
#: approvals ("constructive") are not among them.
#: Verbs that judge their object with a predicate adjective ("called the ban unacceptable").
JUDGING_VERBS = frozenset({"call", "brand", "deem", "term", "label", "consider", "find", "describe", "see",
                           "regard", "characterize", "characterise", "view", "denounce", "condemn"})
#: The marker trigger of a spoken disapproval (anchored on the condemning adjective).
DISAPPROVAL = Trigger("v", "judge-adj", frozenset(), "ACCUSE", "disapprove", None, None)


def disapproval_parts(adj: Any) -> tuple[Any, Any] | None:
    """(judging verb, judged noun) when a condemning adjective is said of something: "said [the ban] was
    unacceptable" (the speech verb), "called [the ban] unacceptable", "described [the ban] as unacceptable",
    and the parser's variant with the adjective hung on the object ("branded the move provocative")."""
    if adj.pos_ not in ("ADJ", "VERB") or not _marked(adj, "judge"):
        return None
    head = adj.head
    if adj.dep_ == "acomp" and head.lemma_ == "be":
        subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
        gov = head.head
        if subj is not None and head.dep_ == "ccomp" and gov.lemma_.lower() in SPEECH_VERBS | {"make"}:
            return gov, subj
        return None
    if adj.dep_ in ("oprd", "ccomp", "xcomp", "acomp") and head.lemma_.lower() in JUDGING_VERBS:
        obj = next((c for c in head.children if c.dep_ == "dobj"), None)
        return (head, obj) if obj is not None else None
    if adj.dep_ in ("amod", "pobj", "acomp") and head.dep_ == "prep" and head.lower_ == "as" \
            and head.head.lemma_.lower() in JUDGING_VERBS:
        obj = next((c for c in head.head.children if c.dep_ == "dobj"), None)
        return (head.head, obj) if obj is not None else None
    if adj.dep_ == "amod" and adj.i > head.i and head.dep_ == "dobj" and head.head.lemma_.lower() in JUDGING_VERBS:
        return head.head, head
    return None


def _add_disapproval_hits(doc: Any, hits: dict[int, Hit]) -> None:
    """A condemning judgement of another party's act is an ACCUSE (disapprove) by the judge (PLOVER ACCUSE:
    criticise, denounce): "Japan said China's seafood ban was unacceptable", "Berlin called the annexation
    illegal". Not when a trigger already governs the judgement ("condemned X as illegal" is one ACCUSE)."""
    judging = _frame_words("judge")
    lemmas, lowers = doc_words(doc)
    for i, lemma in enumerate(lemmas):
        if lemma not in judging and lowers[i] not in judging:
            continue  # not a word ``_marked`` finds: no disapproval_parts
        tok = doc[i]
        parts = disapproval_parts(tok)
        if parts is None or tok.i in hits and hits[tok.i].trigger.frame not in MARKER_FRAMES:
            continue
        verb, _ = parts
        if verb.i in hits and hits[verb.i].trigger.frame != "report":
            continue
        hits[tok.i] = Hit(tok.i, DISAPPROVAL, (tok.i,), synthetic=True)


def _light_noun(head: Any, hits: dict[int, Hit], exclude: int) -> int | None:
    """The event noun a light verb carries ("staged demonstrations", "held talks"), if it is a hit."""
    for c in head.children:
        if c.i != exclude and c.i in hits and c.dep_ in ("dobj", "attr", "nsubjpass") and not hits[c.i].weak:
            return c.i
    return None


def _for_clause(tok: Any) -> bool:
    """A "for X to do" clause ("called for Israel to withdraw", "pressed for Iran to release the sailors"): the
    parser hangs it as an adverbial clause marked "for", but it is the complement of the word before it, what is
    asked for or planned, not an event of its own."""
    return tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children) and any(
        c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _attach(doc: Any, hits: dict[int, Hit]) -> None:
    """Give every hit its governing hit: the nearest trigger above it, unless a stop dependency intervenes.

    A light verb's event noun governs the verb's purpose clause: "staged demonstrations to demand reforms" is
    one PROTEST (PLOVER does not code the protest's topic as a separate REQUEST).
    """
    for hit in hits.values():
        tok = doc[hit.i]
        if hit.synthetic:  # "must" hangs below its verb; its parent is whatever governs the verb
            tok = tok.head
            if tok.i in hits and tok.i != hit.i:
                hits[tok.i].parent = hit.i
                hit.children.append(tok.i)
        steps = 0
        while tok.head.i != tok.i and steps < MAX_ATTACH:
            if tok.dep_ in STOP_DEPS:
                break
            if tok.dep_ == "advcl" and any(c.dep_ == "mark" for c in tok.children) and not _for_clause(tok):
                break  # "..., though he held talks with Putin": a subordinate clause is its own event
            head = tok.head
            steps += 1
            gov_i = head.i if head.i in hits else None
            if gov_i is None and tok.dep_ in ("advcl", "xcomp") and head.i not in hits:
                gov_i = _light_noun(head, hits, hit.i)
            if gov_i is not None and gov_i != hit.i and hits[gov_i].parent != hit.i:
                gov = hits[gov_i]
                if gov.trigger.frame != "report":
                    hit.parent = gov_i
                    gov.children.append(hit.i)
                break
            tok = head
    for hit in hits.values():
        hit.children.sort()


def background(doc: Any, hit: Hit) -> bool:
    """True when the trigger sits in a temporal/causal subordinate clause or a relative clause: it is the
    background of the sentence's main event ("..., one day after a Serbian jet shot down a helicopter")."""
    tok = doc[hit.i]
    for _ in range(6):
        if tok.dep_ in ("relcl", "acl"):
            return True
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in tok.children):
            return True
        if tok.dep_ == "pcomp" and tok.head.lower_ in BACKGROUND_PREPS:
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


# ------------------------------------------------------------------ resolution

def _has_child(tok: Any, deps: tuple[str, ...], words: frozenset[str] | None = None) -> bool:
    return any(c.dep_ in deps and (words is None or c.lower_ in words) for c in tok.children)


def _predicate(tok: Any) -> Any:
    """The verb that carries tense, negation and arguments for a trigger (the light verb of an event noun)."""
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "attr", "oprd", "nsubjpass", "nsubj", "pobj"):
        head = tok.head
        if tok.dep_ == "pobj" and head.dep_ == "prep":
            head = head.head
        if head.pos_ in ("VERB", "AUX"):
            return head
    return tok


#: Verbs that deny what their object or complement says ("Moscow denies any plan to attack", "ruled out talks").
DENIAL_VERBS = frozenset({"deny", "refute", "dismiss", "disavow"})


def _denied(tok: Any) -> bool:
    """True when the trigger sits in the object or complement of a denial ("denies any plan to attack its
    neighbour", "dismissed reports that troops had crossed", "ruled out a visit"): the event is negated."""
    t = tok
    for _ in range(4):
        if t.dep_ not in ("dobj", "ccomp", "xcomp", "acl", "pobj", "prep", "pcomp", "relcl") or t.head.i == t.i:
            return False
        t = t.head
        lemma = t.lemma_.lower()
        if lemma in DENIAL_VERBS or lemma == "rule" and any(c.lower_ == "out" for c in t.children):
            return True
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("xcomp", "acl"):
            return False
    return False


#: Words that schedule an event ("are scheduled to meet", "is due to visit", "plans to sign", "talks are planned
#: for Monday"): a plan is no claim that anything happened yet, whoever reports it (flag ``future``). Promises,
#: pledges and offers are not here: making one is the event.
PLAN_WORDS = frozenset({"schedule", "due", "set", "expect", "slate", "plan", "intend", "poise", "suppose", "mean"})
#: Plan words that, in the past, say the plan did not hold ("was supposed to travel", "was meant to sign").
COUNTERFACTUAL_PLANS = frozenset({"suppose", "mean"})
#: Verbs whose complement did not happen ("failed to sign").
FAIL_VERBS = frozenset({"fail", "neglect", "omit"})
#: Verbs of saying and agreeing: a future in their complement is the subject's promise or position, which was
#: stated ("said his government will send peacekeepers", "agreed that advisers would stay in contact").
SPEECH_VERBS = frozenset({"say", "tell", "announce", "state", "declare", "confirm", "assure", "promise", "pledge",
                          "vow", "agree", "insist", "reiterate", "stress", "repeat", "inform", "add", "write",
                          "signal", "indicate", "reply", "respond", "affirm", "guarantee", "undertake"})
#: Predicates that put an event noun in the realm of the possible ("an invasion was imminent / is unlikely").
UNCERTAIN_PREDICATES = frozenset({"unlikely", "likely", "possible", "impossible", "imminent", "probable",
                                  "improbable", "conceivable", "inevitable"})
NEG_WORDS = frozenset({"not", "n't", "never", "no"})
#: Verbs whose direct object is the person addressed ("told Biden", "assured Kyiv").
ADDRESSEE_VERBS = frozenset({"tell", "assure", "inform", "remind", "warn", "notify"})
#: Words that open an indirect question: "did not say when the troops attacked" does not deny the attack.
WH_WORDS = frozenset({"when", "why", "how", "where", "who", "what", "which"})


def _is_plan(tok: Any) -> bool:
    """A plan word used as one: with a complement ("set to meet"), passive ("planned for Monday") or an
    adjective ("due"), not "set fire" or "set up". "Preparing to host" / "prepared for talks" is a plan; the
    adjective "prepared to send troops" is a stated readiness (an offer, which is made when it is said)."""
    lemma = tok.lemma_.lower()
    if lemma == "prepare":
        return tok.tag_ in ("VB", "VBD", "VBG", "VBP", "VBZ") and any(
            c.dep_ == "xcomp" or c.dep_ == "prep" and c.lower_ == "for" for c in tok.children)
    return lemma in PLAN_WORDS and (
        tok.pos_ == "ADJ" or any(c.dep_ in ("xcomp", "auxpass", "nsubjpass") for c in tok.children))


def _with_copula(tok: Any) -> list[Any]:
    """A predicative adjective and its copula ("had been *due* to travel"): tense and negation sit on the copula."""
    if tok.pos_ == "ADJ" and tok.dep_ == "acomp" and tok.head.lemma_ == "be":
        return [tok, tok.head]
    return [tok]


def _negated_above(tok: Any) -> bool:
    """True when the trigger sits in the complement of a negated verb ("he did not think an attempt to invade
    was imminent", "did not expect them to attack"): the event is not asserted. Coordination, relative and
    adverbial clauses have their own polarity, and an indirect question ("did not say when they attacked")
    presupposes the event."""
    t = tok
    for _ in range(6):
        if t.dep_ in STOP_DEPS or t.dep_ == "advcl" or t.head.i == t.i:
            return False
        arc = t.dep_
        head = t.head
        if arc in ("ccomp", "xcomp") and head.pos_ in ("VERB", "AUX") and any(
                c.dep_ == "neg" or c.dep_ in ("aux", "advmod") and c.lower_ in NEG_WORDS for c in head.children):
            return not any(w.lower_ in WH_WORDS for w in t.subtree if w.i < t.i or w.dep_ in ("advmod", "mark"))
        t = head
    return False


def _reported(pred: Any) -> bool:
    """True when the clause is the complement of a verb of saying or agreeing (through coordinated clauses:
    "told Putin the US would answer ..., would send equipment and would reinforce")."""
    t = pred
    for _ in range(4):
        if t.dep_ == "conj" and t.head.i != t.i:
            t = t.head
            continue
        return t.dep_ == "ccomp" and t.head.lemma_.lower() in SPEECH_VERBS
    return False


def modality(doc: Any, hit: Hit) -> dict[str, bool]:
    """Negation, future, modal and conditional marks on the trigger, its light verb and its frame chain.

    Besides PLOVER's tense rules (which decide the event type: a future meeting is AGREE), three marks decide
    whether the record claims that something happened (docs/coding.md, "Factuality"): ``planned`` (a plan word
    or a bare future told by the narrator), ``reported`` (a future in someone's reported words: the promise was
    made) and ``counterfactual`` (a plan told in the past perfect, "had been due to travel", is one that did
    not hold; it is a negation).
    """
    tok = doc[hit.i]
    if hit.trigger is CONDITIONAL_THREAT:  # the threat is the saying: its tense and negation decide
        tok = threat_speaker(tok.head) or tok
    pred = _predicate(tok)
    chain = _with_copula(tok) + _with_copula(pred)
    # "is to visit", "are expected to meet": the auxiliary sits on the governing verb of an xcomp
    governor = pred.head if pred.dep_ == "xcomp" else None
    if governor is not None:
        chain += _with_copula(governor)
    words = {c.lower_ for t in chain for c in t.children if c.dep_ in ("aux", "auxpass", "neg", "det", "advmod")}
    neg = bool(words & NEG_WORDS) or any(c.dep_ == "neg" for t in chain for c in t.children)
    neg = neg or _denied(tok) or any(  # "no talks were held", "no country sent troops"
        d.dep_ == "det" and d.lower_ == "no" for c in pred.children if c.dep_ in ("nsubj", "nsubjpass")
        for d in c.children)
    # "failed to sign", "did not think an attack was imminent"
    neg = neg or (governor is not None and governor.lemma_.lower() in FAIL_VERBS) or _negated_above(tok)
    future = bool(words & FUTURE_AUX) or ("going" in words) or any(
        c.lemma_ == "be" and c.dep_ in ("aux", "ROOT") for c in pred.children if pred.dep_ == "xcomp")
    if pred.dep_ == "xcomp" and pred.head.lemma_ == "be":
        future = True
    # a plan: the frame word itself ("scheduled", "due") or the verb governing the event ("supposed to travel")
    plan_word = next((t for t in (tok, governor) if t is not None and _is_plan(t)), None)
    planned = plan_word is not None
    counterfactual = False
    if plan_word is not None:
        plan_words = {c.lower_ for t in _with_copula(plan_word) for c in t.children if c.dep_ in ("aux", "auxpass")}
        counterfactual = "had" in plan_words or (
            plan_word.lemma_.lower() in COUNTERFACTUAL_PLANS and bool(plan_words & {"was", "were"}))
    would = WOULD in words
    modal = bool(words & MODAL_AUX) or (pred.lemma_ == "be" and tok.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ == "acomp" and c.lemma_.lower() in UNCERTAIN_PREDICATES for c in pred.children))
    # "Putin tells Biden new sanctions would be a colossal mistake": "tell" takes a person, not an event, so an
    # event noun parsed as its object is the subject of the complement clause that follows; an event judged in
    # a conditional copula ("would be a mistake") is an opinion about a possible event
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in ADDRESSEE_VERBS:
        clause = next((c for c in tok.head.children if c.dep_ == "ccomp" and c.i > tok.i), None)
        if clause is not None and clause.lemma_ == "be" and any(
                c.dep_ == "aux" and c.lower_ in MODAL_AUX | {WOULD} for c in clause.children):
            modal = True
    # conditions: an "if/unless" clause is a condition on another event, not an event itself
    conditional = False
    unless = False
    t = pred
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in t.children) and t.dep_ == "advcl":
            conditional = True
            break
        if t.dep_ not in ("xcomp", "conj", "ccomp") or t.head.i == t.i:
            break
        t = t.head
    condition_below = False
    for c in pred.subtree:
        if c.dep_ == "mark" and c.lower_ in ("unless", "if") and c.head.dep_ == "advcl" and c.head.head.i == pred.i:
            unless = unless or c.lower_ == "unless"
            condition_below = True
    # "Romania would send troops if ...": a consequence under a condition is hypothetical, not planned
    hypothetical = modal or (would and condition_below and not unless)
    if counterfactual:
        neg, future, planned = True, False, False
    return {"neg": neg, "future": (future or would or planned) and not hypothetical, "would": would,
            "modal": hypothetical, "conditional": conditional, "unless": unless, "planned": planned,
            "reported": _reported(pred) and not planned, "counterfactual": counterfactual}


def request_mode(event: str | None, mode: str | None = None) -> str | None:
    """REQUEST/REJECT mode from the requested or refused event (PLOVER 0.8 tables)."""
    if event in ("AID", "COOPERATE", "SUPPORT"):
        return "assist"
    if event in ("CONSULT", "AGREE"):
        return "meet"
    if event in ("RETREAT", "CONCEDE"):
        return "yield"
    if event is None:
        return None
    return "change"


def threat_mode(event: str | None, mode: str | None) -> str | None:
    """THREATEN mode is the content of the threat."""
    if event == "ASSAULT" or event == "MOBILIZE":
        return "violence"
    if event == "SANCTION":
        return "expel" if mode == "expel" else "relations"
    if event == "COERCE":
        if mode == "arrest":
            return "arrest"
        if mode == "seize":
            return "territory"
        return "restrict"
    if event == "PROTEST":
        return "restrict"
    if event in ("RETREAT",):  # "will withdraw its force unless ..." threatens relations
        return "relations"
    return None


def _content_event(doc: Any, hits: dict[int, Hit], hit: Hit,
                   depth: int = 0) -> tuple[str | None, str | None, Hit | None]:
    """The event named by the complement of a frame, resolved recursively (frames inside frames)."""
    if depth > 4:
        return None, None, None
    # complements before adjuncts: "refusing to lift the curfew despite warnings" is about the curfew
    for ci in sorted(hit.children, key=lambda i: _complement_rank(doc, i, hit.i)):
        child = hits[ci]
        res = resolve(doc, hits, child, depth + 1)
        if res is not None:
            return res[0], (res[1][0] if res[1] else None), (res[2] or child)
    return None, None, None


def _complement_rank(doc: Any, i: int, frame_i: int) -> tuple[int, int]:
    """0 for a word reached from the frame through complement arcs only, 1 through an adjunct."""
    tok = doc[i]
    while tok.i != frame_i and tok.head.i != tok.i:
        if tok.dep_ not in ("xcomp", "ccomp", "dobj", "attr", "oprd", "pobj", "prep", "nsubj", "nsubjpass",
                            "conj", "acl", "compound", "advcl", "pcomp"):
            return 1, i
        if tok.dep_ == "prep" and tok.lower_ in ("despite", "after", "before", "during", "amid", "since"):
            return 1, i
        tok = tok.head
    return 0, i


def resolve(doc: Any, hits: dict[int, Hit], hit: Hit, depth: int = 0):
    """(event, modes, content hit) for a hit, before flags; None when the hit names no event."""
    trig = hit.trigger
    frame = trig.frame
    if frame == "report":
        return None
    if frame in ("intent", "agree", "accept", "request", "reject", "threaten"):
        c_event, c_mode, c_hit = _content_event(doc, hits, hit, depth)
        if frame == "agree":
            return "AGREE", [], c_hit
        if frame == "accept":
            objs = _subtree_lemmas(doc[hit.i], 2)
            return ("CONCEDE" if objs & DEMAND_NOUNS else "AGREE"), [], c_hit
        if frame == "intent":
            if c_event is None:
                return (trig.event, [], None) if trig.event != "*" else None
            if trig.event == "*" and c_hit is not None and doc[c_hit.i].dep_ in ("dobj", "attr") \
                    and doc[c_hit.i].head.i == hit.i:
                # "undertook a mediation mission": doing it, not promising it
                return c_event, [c_mode] if c_mode else [], c_hit
            if c_event in COOPERATIVE:
                return "AGREE", [], c_hit
            if c_event in MATERIAL_CONFLICT:
                m = threat_mode(c_event, c_mode)
                return "THREATEN", [m] if m else [], c_hit
            return c_event, [c_mode] if c_mode else [], c_hit
        if frame in ("request", "reject"):
            m = request_mode(c_event, c_mode) if c_event else _noun_object_mode(doc[hit.i])
            return trig.event, [m] if m else [], c_hit
        if frame == "threaten":
            m = threat_mode(c_event, c_mode) if c_event else (trig.mode or _violence_words(doc[hit.i]))
            return "THREATEN", [m] if m else [], c_hit
    if trig.event == "*":
        return None
    return trig.event, [trig.mode] if trig.mode else [], None


def lent_mode(hits: dict[int, Hit], hit: Hit) -> str | None:
    """Mode of a same-type detail below a trigger ("a bombing ... killed": explosives), the last resort after
    the trigger's own mode and the sentence's instrument words."""
    for ci in hit.children:
        child = hits[ci].trigger
        if child.event == hit.trigger.event and child.mode:
            return child.mode
    return None


#: Words in a threat's complement that make it a threat of violence ("threatened to deliver devastating blows").
VIOLENCE_WORDS = frozenset({"blow", "attack", "strike", "war", "fight", "destroy", "retaliate", "retaliation",
                            "kill", "bomb", "terrorist", "terror", "invade", "invasion", "force", "military",
                            "violence", "revenge", "crush", "wipe", "annihilate", "missile", "nuclear"})


def _violence_words(tok: Any) -> str | None:
    for c in tok.children:
        if c.dep_ in ("xcomp", "ccomp", "dobj") and {t.lemma_.lower() for t in c.subtree} & VIOLENCE_WORDS:
            return "violence"
    return None


#: Nouns after "demanded/rejected" that name what is demanded when no trigger does.
_OBJECT_MODES = {
    "meeting": "meet", "talk": "meet", "negotiation": "meet", "summit": "meet", "mediation": "meet",
    "invitation": "meet", "visit": "meet", "offer": "meet",
    "aid": "assist", "help": "assist", "assistance": "assist", "support": "assist", "loan": "assist",
    "ceasefire": "yield", "cease-fire": "yield", "truce": "yield", "withdrawal": "yield", "release": "yield",
    "access": "yield", "admittance": "yield",
}


def _noun_object_mode(tok: Any) -> str | None:
    lemmas = _subtree_lemmas(tok, 3)
    for lemma, mode in _OBJECT_MODES.items():
        if lemma in lemmas:
            return mode
    if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in tok.children):
        return "change"
    return None


def apply_modality(event: str, modes: list[str], mod: dict[str, bool], frame: str | None):
    """PLOVER's auxiliary rules: (event, modes, flags) after tense and negation, or None to drop a condition."""
    flags: list[str] = []
    if mod["conditional"]:
        return None
    if mod["future"] or mod["modal"]:
        # a future in reported words is a promise or position that was stated: the record (AGREE, THREATEN,
        # REJECT) is a fact, so it takes no "future" flag; a plan or the narrator's future is not yet a fact
        if mod["modal"]:
            flags.append("hypothetical")
        elif not mod.get("reported"):
            flags.append("future")
        if mod["neg"] and event in COOPERATIVE:
            return "REJECT", [m for m in [request_mode(event)] if m], flags
        if frame is None:
            if mod["unless"] and event in COOPERATIVE | MATERIAL_CONFLICT:
                m = threat_mode(event, modes[0] if modes else None)
                return "THREATEN", [m] if m else [], flags
            if event in COOPERATIVE - {"AGREE"}:
                return "AGREE", [], flags
            if event in MATERIAL_CONFLICT:
                m = threat_mode(event, modes[0] if modes else None)
                return "THREATEN", [m] if m else [], flags
    if mod["neg"]:
        flags.append("negation")
    return event, modes, flags

"""The coder's word lists, loaded once from the data files shipped beside this module.

``data/triggers.tsv`` names the words that trigger a PLOVER event (or frame another event: "said",
"threatened to", "agreed to"); ``data/modes.tsv`` gives instrument/manner modes ("roadside bomb" ->
explosives); ``data/contexts.tsv`` gives context keywords. All three are plain text the team wrote from the
PLOVER codebook, so an analyst can read and extend them without touching code.

The module also builds the cheap pre-filter used by :func:`wiredesk.coding.candidate_sentences`: a set of
word forms (no lemmatiser has run at that point), so every lemma is expanded to its common inflections plus a
table of irregular forms, and a sentence is checked with one regex word split and set lookups. (A single
regular expression with a thousand alternatives was measured ~20x slower.)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

#: Irregular past forms of trigger verbs (the regex of regular inflections cannot produce them).
IRREGULAR: dict[str, tuple[str, ...]] = {
    "meet": ("met",), "hold": ("held",), "speak": ("spoke", "spoken"), "shoot": ("shot",),
    "fight": ("fought",), "strike": ("struck",), "send": ("sent",), "give": ("gave", "given"),
    "seek": ("sought",), "swear": ("swore", "sworn"), "undertake": ("undertook", "undertaken"),
    "withdraw": ("withdrew", "withdrawn"), "take": ("took", "taken"), "lay": ("laid",), "break": ("broke", "broken"),
    "freeze": ("froze", "frozen"), "beat": ("beaten",), "forgive": ("forgave", "forgiven"), "overrun": ("overran",),
    "pay": ("paid",), "sell": ("sold",), "bring": ("brought",), "stand": ("stood",), "lead": ("led",),
    "blow": ("blew", "blown"), "throw": ("threw", "thrown"), "find": ("found",), "shut": ("shut",),
    "quit": ("quit",), "cut": ("cut",), "set": ("set",), "put": ("put",), "rid": ("rid",), "hit": ("hit",),
    "win": ("won",), "tell": ("told",), "say": ("said",), "write": ("wrote", "written"), "run": ("ran",),
    "flee": ("fled",), "begin": ("began", "begun"), "hang": ("hung",), "slay": ("slew", "slain"),
}

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")

COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE"})
MATERIAL_CONFLICT = frozenset({"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
VERBAL_CONFLICT = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN"})


@dataclass(frozen=True)
class Trigger:
    """One line of ``triggers.tsv``."""

    kind: str  # v | n | p
    lemma: str
    objects: frozenset[str]
    event: str  # PLOVER type or "*" (frame only)
    mode: str | None
    context: str | None
    frame: str | None  # report | intent | agree | accept | request | reject | threaten | None

    @property
    def specific(self) -> bool:
        """Object-constrained: tried before the bare lemma."""
        return bool(self.objects)

    @property
    def lexical(self) -> bool:
        """Constrained by words, not only by structure (@DOBJ, @PASSIVE ...): worth the higher confidence."""
        return self.specific and not any(o.startswith("@") for o in self.objects)


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, tuple[Trigger, ...]]  # lemma -> triggers, object-constrained first
    nouns: dict[str, tuple[Trigger, ...]]
    phrases: tuple[tuple[tuple[str, ...], Trigger], ...]  # longest first
    modes: tuple[tuple[tuple[str, ...], str, str], ...]  # (lemmas, event, mode), longest first
    contexts: tuple[tuple[tuple[str, ...], str], ...]
    candidate_forms: frozenset[str]  # lower-case word forms of every non-reporting trigger

    def has_trigger(self, text: str) -> bool:
        """True when a word of ``text`` is a form of a trigger lemma (set lookups: microseconds a sentence)."""
        forms = self.candidate_forms
        return any(w in forms for w in _WORD.findall(text.lower()))

    # Look-ups derived from the tables, built on first use and kept with this lexicon (the coder asks them for
    # every parsed sentence; built per call they were most of its own time).

    @functools.cached_property
    def trigger_lemmas(self) -> frozenset[str]:
        """Every verb and noun trigger lemma: the trigger search looks at no other token."""
        return frozenset(self.verbs) | frozenset(self.nouns)

    @functools.cached_property
    def phrases_by_first(self) -> dict[str, tuple[tuple[tuple[str, ...], Trigger], ...]]:
        """First word -> the phrases it starts, in the lexicon's order (longest first)."""
        by_first: dict[str, list[tuple[tuple[str, ...], Trigger]]] = {}
        for words, trig in self.phrases:
            by_first.setdefault(words[0], []).append((words, trig))
        return {w: tuple(p) for w, p in by_first.items()}

    @functools.cached_property
    def context_needles(self) -> tuple[tuple[str, str], ...]:
        """(" lemma sequence ", context) of every context line, in order, to find in a sentence's lemmas joined
        by single spaces with a space at each end."""
        return tuple((f" {' '.join(words)} ", ctx) for words, ctx in self.contexts)

    @functools.cached_property
    def paragraph_context_tests(self) -> tuple[tuple[frozenset[str] | None, re.Pattern | None, str], ...]:
        """(word forms | None, pattern | None, context) of every context line, in order, for a paragraph's words
        (not lemmatised, so a keyword may carry a plural or verb ending). A one-word keyword with an optional
        ending is among the space-joined words exactly when one of its forms is one of the words, a set test;
        a longer one keeps its compiled pattern."""
        return tuple((frozenset(words[0] + e for e in _ENDINGS), None, ctx) if len(words) == 1 else
                     (None, re.compile(rf" {re.escape(' '.join(words))}(?:s|es|ed|ing)? "), ctx)
                     for words, ctx in self.contexts)


#: Endings a paragraph word may add to a context keyword (``Lexicon.paragraph_context_tests``).
_ENDINGS = ("", "s", "es", "ed", "ing")


def _rows(name: str) -> list[list[str]]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(line.rstrip("\n").split("\t"))
    return out


def _none(value: str) -> str | None:
    return None if value in ("", "-") else value


def word_forms(lemma: str) -> set[str]:
    """The lower-case word forms the pre-filters look for in raw text for one lemma: the lemma, its regular
    inflections (-s, -es, -ed, -d, -ing, e-dropping, y -> ies/ied, a doubled final consonant: ban -> banned,
    expel -> expelled) and the irregular past forms in ``IRREGULAR``. Over-generates on purpose ("meeted"): a
    pre-filter may keep a sentence too many, never drop one. Used by ``Lexicon.candidate_forms`` and by the pipeline's test of
    whether a trigger line can match a sentence (``wiredesk.pipeline.a_trigger_line_can_match``)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdglmnprt]$", lemma):  # ban -> banned, stop -> stopped
        # and the British doubled l of news-agency copy: expel -> expelled, travel -> travelled, cancel ->
        # cancelled (without it those sentences never reached the parser in the pipeline)
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms |= set(IRREGULAR.get(lemma, ()))
    return forms


@functools.cache
def lexicon() -> Lexicon:
    verbs: dict[str, list[Trigger]] = {}
    nouns: dict[str, list[Trigger]] = {}
    phrases: list[tuple[tuple[str, ...], Trigger]] = []
    regex_forms: set[str] = set()
    for row in _rows("triggers.tsv"):
        kind, lemma, objects, event, mode, context, frame = (row + ["-"] * 7)[:7]
        trig = Trigger(kind, lemma.lower(), frozenset(o for o in objects.split("|") if o not in ("", "-")),
                       event, _none(mode), _none(context), _none(frame))
        if kind == "p":
            phrases.append((tuple(trig.lemma.split()), trig))
        else:
            (verbs if kind == "v" else nouns).setdefault(trig.lemma, []).append(trig)
        # Reporting verbs alone never make a sentence an event sentence: leave them out of the pre-filter.
        if trig.frame != "report":
            first = trig.lemma.split()[0] if kind == "p" else trig.lemma
            regex_forms |= word_forms(first)
    order = lambda ts: tuple(sorted(ts, key=lambda t: not t.specific))  # noqa: E731 - specific lines first
    modes = sorted(((tuple(r[2].lower().split()), r[0], r[1]) for r in _rows("modes.tsv")), key=lambda m: -len(m[0]))
    contexts = sorted(((tuple(r[1].lower().split()), r[0]) for r in _rows("contexts.tsv")), key=lambda c: -len(c[0]))
    return Lexicon(
        verbs={k: order(v) for k, v in verbs.items()},
        nouns={k: order(v) for k, v in nouns.items()},
        phrases=tuple(sorted(phrases, key=lambda p: -len(p[0]))),
        modes=tuple(modes),
        contexts=tuple(contexts),
        candidate_forms=frozenset(regex_forms),
    )

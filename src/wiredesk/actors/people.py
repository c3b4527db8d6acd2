"""People in the actor resolver: office holders at a date, named persons (exact, alias, first name under a title,
misspelt), and plural references ("the two leaders"). A mixin of :class:`wiredesk.actors.resolver.Resolver`.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from wiredesk.model import Entity

from .kb import Person, Role, Spell, fold
from .matcher import PLURAL_NOUNS, _Atom, _copy, _Memory, _When


class PeopleMixin:
    """Expects ``self.kb``, ``self.settings``, ``self._fuzzy_names``, ``self._fuzzy_keys``, ``self._name_prefixes``."""

    def _title_in_name(self, name: _Atom) -> Role | None:
        """"King Hassan", "President Xi": a KB alias that starts with a title carries that title."""
        parts = name.text.split()
        for size in (2, 1):
            if len(parts) > size:
                role = self.kb.role_index.get(" ".join(parts[:size]).lower())
                if role is not None and role.kind in ("title", "both"):
                    return role
        return None

    def _holder(self, code: str, office: str | None, day: str, score: float, former: bool,
                title: str | None = None) -> Entity:
        spells = self.kb.holders(code, office, day) if office else []
        if not spells:
            return Entity(code=code, sector="ELI" if former else "GOV", office=title, score=score)
        spell = spells[0]
        person = self.kb.people[spell.kb_id]
        ent = Entity(code=code, sector="GOV", name=person.name, office=spell.title, kb_id=person.kb_id,
                     score=score)
        if len(spells) > 1:
            ent.candidates = [{"kb_id": s.kb_id, "name": self.kb.people[s.kb_id].name, "code": code,
                               "sector": "GOV", "office": s.title} for s in spells]
            ent.score = min(score, self.settings.ambiguous_score)
        return ent

    def _office_key(self, entity: Entity) -> str | None:
        person = self.kb.people.get(entity.kb_id or "")
        if person is None:
            return None
        for s in person.spells:
            if s.title == entity.office and s.country == entity.code:
                return s.office
        return None

    # ------------------------------------------------------------------------------------------------- people
    def _person(self, name: _Atom, anchor_code, office_role, role, former, when: _When, memory,
                context) -> Entity | None:
        """A named person: a knowledge-base person (exact, alias, first name under a title, or misspelt) or a
        person seen earlier in the article. None when the name is unknown."""
        st = self.settings
        text = name.text
        ids: list[str] = []
        score = 1.0
        if name.kind in ("person", "alias"):
            ids = [t.key for t in name.targets if t.kind in ("person", "person-alias")]
        if not ids:
            prev = memory.surnames.get(fold(text.split()[-1])) if name.kind == "cap" else None
            if prev is not None and (len(text.split()) == 1 or fold(text) == fold(prev.name or "")):
                return _copy(prev, score=st.coref_score, entity_text=text)
        day = when.day
        if not ids and name.kind == "cap":
            ids, score = self._fuzzy_person(text, office_role, anchor_code, day)
        if not ids:
            return None
        people = [self.kb.people[i] for i in dict.fromkeys(ids)]
        ranked = sorted(people, key=lambda p: -self._person_fit(p, anchor_code, office_role, day, context, memory))
        person = ranked[0]
        ent = self._person_entity(person, anchor_code, office_role, role, former, when, score, text)
        if len(ranked) > 1:
            fits = [self._person_fit(p, anchor_code, office_role, day, context, memory) for p in ranked]
            if fits[0] - fits[1] < 0.5:  # only the recency tie-breaker separates them: a guess
                ent.score = min(ent.score, st.ambiguous_score)
            ent.candidates = [{"kb_id": p.kb_id, "name": p.name, "code": p.countries[0] if p.countries else None}
                              for p in ranked]
        return ent

    def _person_fit(self, person: Person, anchor_code, office_role, day, context, memory: _Memory) -> float:
        score = 0.0
        if anchor_code and anchor_code in person.countries:
            score += 4
        if office_role and any(s.office == office_role.office for s in person.spells):
            score += 2
        if person.spells_at(day):
            score += 1.5
        if context and set(context) & set(person.countries):
            score += 1
        if set(memory.countries) & set(person.countries):
            score += 0.5
        # the most recent office breaks ties: news about "Li" today means the current premier
        latest = max((s.start for s in person.spells), default="0000")
        return score + (0.1 if latest <= day else 0) + int(latest[:4] or 0) / 100000
        return score

    def _fuzzy_person(self, text: str, office_role: Role | None, anchor_code, day) -> tuple[list[str], float]:
        st = self.settings
        folded = fold(text).lower()
        if office_role is not None and office_role.office:
            # under a title, compare with the holders of that office, first and last names included
            best: tuple[float, str | None] = (0.0, None)
            for (code, office), spells in self.kb.offices.items():
                if office != office_role.office and not (office_role.office == "leader" and office in ("hos", "hog")):
                    continue
                if anchor_code and code != anchor_code:
                    continue
                for s in spells:
                    pname = fold(self.kb.people[s.kb_id].name).lower()
                    parts = pname.split()
                    k = len(folded.split())
                    variants = {" ".join(parts[-k:]), " ".join(parts[:k]), pname}
                    r = max(fuzz.ratio(folded, v) for v in variants)
                    if r > best[0]:
                        best = (r, s.kb_id)
            if best[1] and best[0] >= st.fuzzy_title_cutoff:
                return [best[1]], round(best[0] / 100, 3)
            return [], 0.0
        if len(folded.split()) < 2 or len(folded) < 7:
            return [], 0.0
        if not any(w[:3] in self._name_prefixes for w in folded.split()):
            return [], 0.0
        hit = process.extractOne(folded, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=st.fuzzy_cutoff)
        if hit is None:
            return [], 0.0
        return [self._fuzzy_names[hit[0]]], round(hit[1] / 100, 3)

    def _person_entity(self, person: Person, anchor_code, office_role, role, former, when: _When, score,
                       text) -> Entity:
        spells = person.spells
        day = when.day
        now = person.spells_at(day)
        if when.undated and not now and spells:
            # no date given: the person keeps their latest office rather than becoming a former official
            latest = max(spells, key=lambda s: s.start)
            now = [latest]
        pick: Spell | None = None
        if office_role is not None:
            pick = next((s for s in now if s.office == office_role.office), None) or \
                next((s for s in reversed(spells) if s.office == office_role.office and s.start <= day), None) or \
                next((s for s in spells if s.office == office_role.office), None)
        if pick is None and now:
            pick = now[0]
        if pick is None:
            pick = next((s for s in reversed(spells) if s.start <= day), None) or (spells[0] if spells else None)
        code = pick.country if pick else (anchor_code or "")
        if anchor_code and pick and anchor_code != pick.country and anchor_code in person.countries:
            code = anchor_code
        if former:
            sector = "ELI"
        elif role is not None and role.kind in ("title", "both") and role.sector not in ("ELI", None):
            sector = role.sector  # the text names the office: trust it over the table's dates
        elif now:
            sector = pick.sector if pick in now else now[0].sector
        elif pick is not None and pick.end is not None and pick.end < day:
            sector = "ELI"
        else:
            sector = None
        return Entity(code=code, sector=sector, name=person.name, entity_text=text,
                      office=pick.title if pick else None, kb_id=person.kb_id, score=score)

    # ------------------------------------------------------------------------------------------------ plurals
    def _plural(self, atom: _Atom, memory: _Memory) -> Entity:
        """"the two leaders", "both sides": code PLURAL, the last two distinct parties mentioned before, in
        ``candidates`` in the order the article first named them (the event coder expands them)."""
        noun = atom.text.split()[-1].lower()
        want = PLURAL_NOUNS.get(noun, "any")
        seen: list[Entity] = []
        keys: set[str] = set()
        for e in reversed(memory.entities):
            is_person = bool(e.kb_id and e.kb_id.startswith("person")) or (e.kb_id is None and bool(e.name))
            if want == "person" and not is_person:
                continue
            if want == "any" and (e.kb_id or "").startswith("org:"):
                continue  # "both sides" are the parties, not the forum they met at
            key = e.key() if want != "country" else e.code
            if key in keys or (want == "country" and (not e.code or e.code in ("IGO", "UNO", "EUR", "NGO", "IMG"))):
                continue
            keys.add(key)
            seen.append(e)
            if len(seen) == 2:
                break
        # in order of first mention in the article ("Biden met Xi ... the two leaders" -> Biden, Xi)
        first_seen = {}
        for i, e in enumerate(memory.entities):
            first_seen.setdefault(e.key() if want != "country" else e.code, i)
        seen.sort(key=lambda e: first_seen.get(e.key() if want != "country" else e.code, 0))
        if want == "country":
            # "the two countries": the states of the parties, not the people who spoke for them
            seen = [Entity(code=e.code, name=self.kb.countries[e.code].name if e.code in self.kb.countries
                           else e.code, kb_id=f"country:{e.code}") for e in seen]
        return Entity(code="PLURAL", sector=None, name=atom.text, entity_text=atom.text,
                      score=self.settings.coref_score if len(seen) == 2 else self.settings.context_score,
                      candidates=[e.to_dict() for e in seen])



"""The consistency detectors, one per kind (detect.py lists them and sweeps the texts with them): each reads
the sources' sentences (sentences.py) and yields the ``Candidate`` pairs that may disagree."""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator

from icebook.core.text import NUMBER_WORDS, normalise
from icebook.data.sentences import STOP, Candidate, Sentence

COUNTS = {word: n for n, word in enumerate(NUMBER_WORDS) if n}  # "two" -> 2; "no" is not a count
JOINERS = {"of", "and", "the", "for", "to", "in"}
MONTHS = ("January February March April May June July August September October November December").split()

# --- same number, different things ------------------------------------------------------------------

_FIGURE = re.compile(r"(?<![\w.,$§-])\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\s*(?:%|percent\b|million\b|billion\b))?"
                     r"(?![\w-]|\.\d|,\d)")
_NOT_A_COUNT = re.compile(r"(?:Law|No\.|policy|Directive|Order|EO|OIG|GAO|Stop|Box|page|§|U\.S\.C\.|CFR|Figure|Table|"
                          r"Appendix|Recommendation|section)\s*$|U\.S\.\s\d+,\s(?:\d+,\s)?$|"
                          rf"(?:{'|'.join(MONTHS)})\s*$", re.I)


def _figures(text: str) -> Iterator[tuple[str, int, int, int]]:
    """The figures in a sentence worth comparing: (figure as read, significant digits, start, end)."""
    for match in _FIGURE.finditer(text):
        whole, fraction, tail = match[1], match[2] or "", (match[3] or "").strip()
        digits = whole.replace(",", "")
        if not tail and not fraction and "," not in whole and 1900 <= int(digits) <= 2100:
            continue  # a year
        before, after = text[max(0, match.start() - 40):match.start()], text[match.end():match.end() + 1]
        if _NOT_A_COUNT.search(before) or after in ("-", "–", ")", "("):
            continue
        significant = len((digits.lstrip("0") + fraction).rstrip("0")) if not fraction else len(digits + fraction)
        unit = "%" if tail in ("%", "percent") else tail
        yield f"{'$' if match[0].startswith('$') else ''}{digits}{'.' + fraction if fraction else ''}{unit}", \
            significant, match.start(), match.end()


SYNONYMS = {"lb": "pound", "lbs": "pound"}


def _words(text: str) -> list[str]:
    words = (SYNONYMS.get(w, w) for w in re.findall(r"[a-z][a-z]+", text.lower()))
    return [w.rstrip("s") for w in words if w not in STOP]


def _described(text: str, end: int, start: int) -> set[str]:
    """The words that say what a figure counts: the two content words after it, or the four before it
    when it ends its sentence."""
    after = _words(re.split(r"(?<![A-Z])\.(?:\s|$)|;", text[end:end + 60])[0])[:2]
    return set(after or _words(text[max(0, start - 60):start])[-4:])


def same_number(texts: dict[str, list[Sentence]]) -> Iterator[Candidate]:
    """A figure with three or more significant digits printed twice, the words after it sharing nothing or
    the two sentences naming different fiscal years; a shorter figure only when both stand within a few
    lines of one source."""
    seen: dict[str, list[tuple[Sentence, set[str], int]]] = defaultdict(list)
    for items in texts.values():
        for passage in items:
            figures = list(_figures(passage.text))
            if len(figures) > 6:
                continue  # a table's rows run together: its cells are checked as parts and totals
            for figure, significant, start, end in figures:
                seen[figure].append((passage, _described(passage.text, end, start), significant))
    for figure, places in seen.items():
        for i, (first, words_a, significant) in enumerate(places):
            for second, words_b, _ in places[i + 1:]:
                if first.text == second.text:
                    continue
                years_a, years_b = _years_named(first.text), _years_named(second.text)
                if significant >= 3 and years_a and years_b and not years_a & years_b:
                    yield Candidate("same-number", figure, first, second,
                                    f"FY {'/'.join(sorted(years_a))} against FY {'/'.join(sorted(years_b))}")
                    continue
                if words_a & words_b or not (words_a and words_b):
                    continue
                close = first.source == second.source and abs(first.line - second.line) <= 3
                if significant >= 3 or close:
                    yield Candidate("same-number", figure, first, second,
                                    f"“{' '.join(sorted(words_a))}” against “{' '.join(sorted(words_b))}”")


def _years_named(text: str) -> set[str]:
    """The fiscal years a sentence names ("FY 2019", "fiscal year 2019")."""
    return set(re.findall(r"\b(?:FY|[Ff]iscal [Yy]ear)\s?(\d{4})\b", text))


# --- names expanded two ways -------------------------------------------------------------------------

_DEFINED = re.compile(r"\s\(([A-Z][A-Za-z&]{1,7})\)")
_PREFIXES = re.compile(r"^(?:(?:the|ice|dhs|u\.s\.|us|ice’s|ice's)\s+)+")


def _plain(name: str) -> str:
    """A name with what does not change its meaning dropped: case, possessives, hyphens, the and/of words."""
    name = re.sub(r"[’']s\b", "", name.lower()).replace("-", " ").replace(".", "")
    name = _PREFIXES.sub("", name)
    return " ".join(w.rstrip("s") for w in name.split() if w not in JOINERS)


def _initials(words: list[str]) -> str:
    return "".join(w[0].upper() for w in words if w not in JOINERS)


def _acronym(printed: str) -> str:
    """An acronym without its plural ending: "LPRs" -> "LPR"."""
    return re.sub(r"(?<=[A-Z])s$", "", printed).upper()


def _words_before(text: str) -> str:
    """Up to ten plain words that end the text (a bracket or a figure stops the run)."""
    taken: list[str] = []
    for token in reversed(text.split()[-10:]):
        if not re.fullmatch(r"[A-Za-z][\w.’'&-]*", token):
            break
        taken.insert(0, token)
    return " ".join(taken)


def _expansion(run: str, acronym: str) -> str | None:
    """The words before an acronym that spell it out: the shortest tail whose initials hold all its letters,
    else the shortest that lacks one ("Arrest GUI for Law Enforcement (EAGLE)")."""
    letters = Counter(_acronym(acronym).replace("&", ""))
    words = run.split()
    tails = [words[start:] for start in range(len(words) - 1, -1, -1) if words[start] not in JOINERS]
    for allowed in (0, 1):
        for tail in tails:
            if sum((letters - Counter(_initials(tail))).values()) <= allowed:
                return " ".join(tail)
    return None


def names(texts: dict[str, list[Sentence]]) -> Iterator[Candidate]:
    """An acronym defined by two different expansions, or written out elsewhere in other words
    with the same initials ("legal permanent residents" where LPR is "lawful permanent residents")."""
    forms: dict[str, dict[str, tuple[str, Sentence]]] = defaultdict(dict)
    for items in texts.values():
        for passage in items:
            for match in _DEFINED.finditer(passage.text):
                run = _words_before(passage.text[:match.start()])
                expansion = _expansion(run, match[1]) if run else None
                if expansion:
                    forms[_acronym(match[1])].setdefault(_plain(expansion), (expansion, passage))
    longest = max((len(a) for a in forms), default=0)
    prefixes = {a[:n] for a in forms for n in range(1, len(a) + 1)}
    for items in texts.values():
        for passage in items:
            if passage.section == "Table of Contents":
                continue  # a list of abbreviations run together: its names are defined, not used
            words = re.findall(r"[A-Za-z][\w’'-]*", passage.text)
            for i in range(len(words)):
                if words[i].lower() in JOINERS:
                    continue
                letters = ""
                for j in range(i, min(len(words), i + longest * 2)):
                    letters += "" if words[j].lower() in JOINERS else words[j][0].upper()
                    if letters and letters not in prefixes:
                        break
                    if len(letters) >= 3 and letters in forms and words[j].lower() not in JOINERS:
                        _add_variant(forms[letters], " ".join(words[i:j + 1]), passage)
    for acronym, defined in forms.items():
        variants = sorted(defined.items())
        for i, (plain_a, (name_a, first)) in enumerate(variants):
            for plain_b, (name_b, second) in variants[i + 1:]:
                if _same_name(plain_a, plain_b):
                    continue
                yield Candidate("names", acronym, first, second, f"“{name_a}” against “{name_b}”")


def _add_variant(defined: dict[str, tuple[str, Sentence]], run: str, passage: Sentence) -> None:
    """Keep a run of words with an acronym's initials that names it another way: a proper name (every word
    capitalised) sharing all but one word with a definition, or a lower-case phrase with no joining words
    whose last word is the definition's and only one other word differs ("legal permanent residents")."""
    plain = _plain(run)
    if any(_same_name(plain, known) or f" {plain} " in f" {known} " or f" {known} " in f" {plain} "
           for known in defined):
        return
    content = [w for w in run.split() if w.lower() not in JOINERS]
    words = plain.split()
    if all(w[:1].isupper() for w in content):
        close = [known for known in defined if len(set(words) & set(known.split())) >= len(words) - 1]
    elif all(w.islower() and w not in JOINERS for w in run.split()):
        close = [known for known in defined if known.split()[-1] == words[-1]
                 and len(set(words) & set(known.split())) == len(words) - 1]
    else:
        close = []
    if close:
        defined[plain] = (run, passage)


def _same_name(a: str, b: str) -> bool:
    """Two plain names that differ only by a word glued on or split apart ("incustody" / "in custody")."""
    return a.replace(" ", "") == b.replace(" ", "")


# --- durations against dates -------------------------------------------------------------------------

_SPAN = re.compile(r"\b(\w+)[- ]year period|\b(?:over|for) the (?:next|past|last) (\w+) years|"
                   r"during these (\w+) years", re.I)
_FY_RANGE = re.compile(r"(?:Fiscal Years?|FYs?)\s*(\d{4})\s*(?:–|-|to|through|and)\s*(?:FY\s*)?(\d{2,4})|"
                       r"from FY\s*(\d{4}) (?:through|to) FY\s*(\d{4})", re.I)
_DATE_RANGE = re.compile(rf"between ({'|'.join(MONTHS)}) (?:\d{{1,2}}, )?(\d{{4}}) and "
                         rf"({'|'.join(MONTHS)}) (?:\d{{1,2}}, )?(\d{{4}})", re.I)
_CONDUCTED = re.compile(rf"conducted this (?:performance )?(?:audit|inspection|review) (?:between|from) "
                        rf"(?:{'|'.join(MONTHS)}) \d{{4}} (?:and|to) ({'|'.join(MONTHS)}) (\d{{4}})", re.I)
_ENDS = re.compile(rf"(?:and|to|through) ({'|'.join(MONTHS)}) (?:\d{{1,2}}, )?(\d{{4}})", re.I)
_REVIEWED = re.compile(r"period (?:we )?reviewed|period of (?:the|our) (?:audit|review)", re.I)
_ANALYSED = re.compile(r"\banaly[sz]ed\b", re.I)


def _count(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else COUNTS.get(word)


@functools.lru_cache(maxsize=4096)
def _fiscal_years(text: str) -> tuple[tuple[int, int, str], ...]:
    """The fiscal-year ranges a sentence names: (first, last, as printed); dates become fiscal years."""
    found = []
    for match in _FY_RANGE.finditer(text):
        first, last = (match[1], match[2]) if match[1] else (match[3], match[4])
        end = int(last) if len(last) == 4 else int(first[:2] + last)
        found.append((int(first), end, match[0]))
    for match in _DATE_RANGE.finditer(text):
        start_month, start_year = MONTHS.index(match[1].capitalize()) + 1, int(match[2])
        end_month, end_year = MONTHS.index(match[3].capitalize()) + 1, int(match[4])
        first = start_year + 1 if start_month >= 10 else start_year
        last = end_year + 1 if end_month >= 10 else end_year
        found.append((first, last, match[0]))
    return tuple(found)


def durations(texts: dict[str, list[Sentence]]) -> Iterator[Candidate]:
    """A stated span against the fiscal years named beside it (its sentence, or the one before on the same
    or the previous line), and two such ranges that name different fiscal years; a span said to be the
    period reviewed is set against the period the report says it analysed, and the dates the work was done
    against the data it analysed."""
    for items in texts.values():
        analysed = [(p, r) for p in items if _ANALYSED.search(p.text) for r in _fiscal_years(p.text)]
        for i, passage in enumerate(items):
            near = [(p, r) for p in items[max(0, i - 1):i + 1] if passage.line - p.line <= 1
                    and not _CONDUCTED.search(p.text) for r in _fiscal_years(p.text)]
            for match in _SPAN.finditer(passage.text):
                years = _count(next(g for g in match.groups() if g))
                if years is None:
                    continue
                against = near or (analysed if _REVIEWED.search(passage.text) else [])
                for other, (first, last, printed) in against:
                    if last - first + 1 != years:
                        yield Candidate("durations", match[0], passage, other,
                                        f"{match[0]} against {printed} ({last - first + 1} fiscal years)")
            yield from _after_the_work(passage, analysed)
            mine = [] if _CONDUCTED.search(passage.text) else _fiscal_years(passage.text)
            for first, last, printed in mine:
                for other, (first_b, last_b, printed_b) in near:
                    if other is passage and (first_b, last_b, printed_b) <= (first, last, printed):
                        continue
                    if (first, last) != (first_b, last_b) and _same_subject(passage, other, printed, printed_b):
                        yield Candidate("durations", printed, passage, other,
                                        f"{printed} (FY {first}–FY {last}) against {printed_b} "
                                        f"(FY {first_b}–FY {last_b})")


def _same_subject(first: Sentence, second: Sentence, printed: str, printed_b: str) -> bool:
    """Two ranges in one sentence, or in two sentences that share a content word besides their dates."""
    if first is second:
        return True
    words = set(_words(first.text.replace(printed, " "))) & set(_words(second.text.replace(printed_b, " ")))
    return bool(words - {m.lower() for m in MONTHS} - {"fy", "fiscal", "year"})


def _month(name: str, year: str) -> int:
    return int(year) * 12 + MONTHS.index(name.capitalize())


def _after_the_work(passage: Sentence, analysed: list) -> Iterator[Candidate]:
    """A report that says when its work was done, and data it says it analysed running past that date."""
    conducted = _CONDUCTED.search(passage.text)
    if not conducted:
        return
    for other, (_, _, printed) in analysed:
        end = _ENDS.search(printed)
        if end and _month(end[1], end[2]) > _month(conducted[1], conducted[2]):
            yield Candidate("durations", conducted[0], passage, other,
                            f"work done by {conducted[1]} {conducted[2]}, data analysed to {end[1]} {end[2]}")


# --- terms that drift --------------------------------------------------------------------------------

_TOC_END = re.compile(r"^\s*(?:Abbreviations|Appendix(?:es)?)\b", re.I)
_LEADER = re.compile(r"(?:\s*\.{2,}\s*|\t+\s*\.?\s*)\s*[\dl ]*\s*$")


def _toc(raw_lines: list[str]) -> list[tuple[int, str]]:
    """Entries of a table of contents: (line, entry) with dot leaders and page numbers dropped."""
    start = next((i for i, line in enumerate(raw_lines) if re.fullmatch(r"[#\s]*Table of Contents\s*", line)), None)
    if start is None:
        return []
    entries, pending = [], ""
    for i in range(start + 1, min(start + 60, len(raw_lines))):
        line = raw_lines[i]
        if _TOC_END.match(line) or line.startswith("#"):
            break
        if not line.strip():
            continue
        pending = (pending + " " + line.strip()).strip()
        if _LEADER.search(line) or re.search(r"\t\s*[\dl ]*$", line):
            entry = normalise(_LEADER.sub("", pending).replace("\t", " "))
            if len(entry.split()) >= 3:
                entries.append((i + 1, entry))
            pending = ""
    return entries


def _squash(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _changed_words(a: str, b: str) -> tuple[list[str], list[str]]:
    wa, wb = a.split(), b.split()
    gone, new = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=[w.lower() for w in wa], b=[w.lower() for w in wb],
                                                      autojunk=False).get_opcodes():
        if op != "equal":
            gone += wa[i1:i2]
            new += wb[j1:j2]
    return gone, new


def terms(texts: dict[str, list[Sentence]], raw: dict[str, str]) -> Iterator[Candidate]:
    """A table-of-contents entry worded otherwise in its heading, and a heading's three-word phrase
    found in a recommendation with one content word swapped for another."""
    for source, items in texts.items():
        lines = raw[source].split("\n")
        toc = _toc(lines)
        headings = [p for p in items if p.text == p.section and p.section != "Table of Contents"
                    and not (toc and toc[0][0] - 3 <= p.line <= toc[-1][0])]
        for line, entry in toc:
            close = [(matcher.ratio(), h) for h in headings
                     for matcher in [difflib.SequenceMatcher(a=entry.lower(), b=h.text.lower())]
                     if matcher.real_quick_ratio() >= 0.75 and matcher.quick_ratio() >= 0.75]
            ratio, best = max(close, key=lambda pair: pair[0], default=(0.0, None))
            if best is None or _squash(best.text) == _squash(entry):
                continue
            if ratio >= 0.75:
                gone, new = _changed_words(entry, best.text)
                yield Candidate("terms", f"contents: {best.text}", Sentence(source, line, "Table of Contents", entry),
                                best, f"contents “{' '.join(gone)}”, heading “{' '.join(new)}”")
        yield from _swapped_phrases(source, items, headings)


def _trigrams(text: str) -> Iterator[tuple[str, ...]]:
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]*", text)]
    for i in range(len(words) - 2):
        gram = tuple(words[i:i + 3])
        if not (gram[0] in STOP and gram[2] in STOP) and sum(w not in STOP for w in gram) >= 2:
            yield gram


# Recommendations open with what to do ("review", "develop"): verbs, not the names of things.
ACTIONS = {"ensure", "review", "develop", "determine", "identify", "provide", "conduct", "evaluate", "implement",
           "collaborate", "comprehensively", "report"}
_RECOMMENDATION = re.compile(r"Recommendation \d+:")


def _swapped_phrases(source: str, items: list[Sentence], headings: list[Sentence]) -> Iterator[Candidate]:
    phrases: dict[tuple[str, ...], Sentence] = {}
    for heading in headings:
        if re.search(r"\b(?:we|our|us)\b", heading.text, re.I):
            continue  # "What We Recommend": the report's own furniture, not the name of a thing
        for gram in _trigrams(heading.text):
            phrases.setdefault(gram, heading)
    index: dict[tuple[str, ...], list[tuple[tuple[str, ...], Sentence]]] = defaultdict(list)
    for phrase, heading in phrases.items():
        for position in range(3):
            index[phrase[:position] + ("*",) + phrase[position + 1:]].append((phrase, heading))
    found: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[Sentence, Sentence]] = {}
    for passage in items:
        if not _RECOMMENDATION.match(passage.text):
            continue
        for gram in _trigrams(passage.text):
            if gram in phrases:
                continue
            for position in range(3):
                key = gram[:position] + ("*",) + gram[position + 1:]
                for phrase, heading in index.get(key, []):
                    swapped, into = phrase[position], gram[position]
                    if {swapped, into} & (STOP | ACTIONS) or swapped.rstrip("s") == into.rstrip("s") \
                            or _squash(swapped)[:5] == _squash(into)[:5] or re.search(r"(?:ing|ed)$", into):
                        continue
                    found.setdefault((phrase, gram), (heading, passage))
    for (phrase, gram), (heading, passage) in found.items():
        yield Candidate("terms", " ".join(phrase), heading, passage, f"“{' '.join(phrase)}” against “{' '.join(gram)}”")




# --- parts against totals ----------------------------------------------------------------------------

_LISTED = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|\d+)\b([^:—()]{0,80}?)\s*(?::|—|\()\s*"
                     r"(?:the\s+)?([^.;)]+)", re.I)
_SHARE = re.compile(r"(\d[\d,]*),? or (\d+(?:\.\d+)?) percent of (?:its |the |all )?(\d[\d,]*)")
_INCREASE = re.compile(r"from (\d[\d,.]*) (?:in FY \d{4} )?to (\d[\d,]*)(?: in FY \d{4})?\W+(?:or )?an? "
                       r"(?:increase of )?(\d+(?:\.\d+)?) percent", re.I)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _listed_items(text: str) -> list[str]:
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", text.strip())
    return [p for p in parts if p.strip()]


def parts_totals(texts: dict[str, list[Sentence]]) -> Iterator[Candidate]:
    """A stated count against the items listed after it, a share against its count and whole, an
    increase against its two figures (rounded to a whole percent, half a point allowed)."""
    for items in texts.values():
        for passage in items:
            if passage.section == "Table of Contents":
                continue
            for match in _LISTED.finditer(passage.text):
                stated = _count(match[1])
                if _NOT_A_COUNT.search(passage.text[max(0, match.start() - 40):match.start()]):
                    continue
                listed = _listed_items(match[3])
                if stated and 2 <= stated <= 12 and len(listed) >= 2 and len(listed) != stated \
                        and all(item[:1].isupper() for item in listed):
                    yield Candidate("parts-totals", f"{match[1]}{match[2]}", passage, passage,
                                    f"{match[1]} stated, {len(listed)} listed")
            for match in _SHARE.finditer(passage.text):
                share = _number(match[1]) / _number(match[3]) * 100
                if abs(share - float(match[2])) > 0.5:
                    yield Candidate("parts-totals", match[0], passage, passage,
                                    f"{match[2]} percent stated, {share:.1f} recomputed")
            for match in _INCREASE.finditer(passage.text):
                old, new = _number(match[1]), _number(match[2])
                change = (new - old) / old * 100
                if abs(change - float(match[3])) > 0.5:
                    yield Candidate("parts-totals", match[0], passage, passage,
                                    f"{match[3]} percent stated, {change:,.1f} recomputed")


# --- places and offices ------------------------------------------------------------------------------

_PLACED = re.compile(r"((?:[A-Z][\w’'&-]*\s+|of\s+|and\s+|the\s+|for\s+)*?(?:Center|Centre|Office|Headquarters|"
                     r"Academy|Division|Unit))(?:\s*\(([A-Z]{2,8})\))?,?\s+(?:in|located in|based in|"
                     r"headquartered in)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*),\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|"
                     r"[A-Z]{2}|D\.C\.)")


def places(texts: dict[str, list[Sentence]]) -> Iterator[Candidate]:
    """One office or centre (by acronym, or by its name) placed in two different towns."""
    placed: dict[str, dict[str, Sentence]] = defaultdict(dict)
    for items in texts.values():
        for passage in items:
            for match in _PLACED.finditer(passage.text):
                key = match[2] or _plain(match[1])
                placed[key].setdefault(f"{match[3]}, {match[4]}", passage)
    for office, towns in placed.items():
        listed = sorted(towns.items())
        for i, (town_a, first) in enumerate(listed):
            for town_b, second in listed[i + 1:]:
                yield Candidate("places", office, first, second, f"{town_a} against {town_b}")



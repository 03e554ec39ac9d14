"""Text rules shared by the validator and the pages: quote normalisation and number parsing.

The one normalisation allowed when a quote is looked up in its source
(applied to the quote and to the source alike):

1. footnote markers are removed: ``<sup>…</sup>`` elements and Unicode
   superscript digits (``143,100⁴`` → ``143,100``);
2. other HTML tags are removed, keeping their text (``<u>ICE</u>`` → ``ICE``);
3. Markdown emphasis (``*``, ``**``, ``__``) and backslash escapes (``\\$``) are removed;
4. every run of white space (spaces, tabs, line breaks) becomes one space.

Nothing else is changed: spelling, punctuation, curly quotes and OCR errors
must be copied as printed.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal

from text_to_num import text2num

_SUP_ELEMENT = re.compile(r"<sup>.*?</sup>", re.S | re.I)
_SUP_DIGITS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"\*+|__")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$|<>~])")
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Apply the quote normalisation described in this module's docstring (cached: quotes repeat)."""
    text = _SUP_ELEMENT.sub("", text)
    text = _SUP_DIGITS.sub("", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip()


SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
FRACTIONS = {"half": 0.5, "one-half": 0.5, "one-third": 1 / 3, "two-thirds": 2 / 3,
             "one-quarter": 0.25, "a quarter": 0.25, "three-quarters": 0.75}

_PRINTED = re.compile(
    r"""^(?P<currency>\$)?\s*
        (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+|[A-Za-z][A-Za-z -]*?)
        (?:\s+(?P<scale>thousand|million|billion|trillion))?
        \s*(?P<percent>%|\ percent|\ per\ cent)?$""",
    re.X | re.I,
)


class NumberFormatError(ValueError):
    """A printed number the parser cannot read."""


def parse_printed(printed: str) -> tuple[float, str | None]:
    """Read a number as printed ("1.4 million", "$8.03 billion", "64%", "Thirty-four").

    Returns the value and the unit the printed form implies ("usd", "percent"
    or None when the form says nothing about the unit).
    """
    match = _PRINTED.match(printed.strip())
    if not match:
        raise NumberFormatError(f"cannot read {printed!r} as a number")
    number = match["number"]
    if number[0].isdigit() or number[0] == ".":
        value = Decimal(number.replace(",", ""))  # exact: 8.03 billion is 8030000000, not 8029999999.999999
    else:
        value = Decimal(str(_words_to_number(number, printed)))
    if match["scale"]:
        value *= Decimal(SCALES[match["scale"].lower()])
    value = float(value)
    unit = "usd" if match["currency"] else "percent" if match["percent"] else None
    return value, unit


def _words_to_number(words: str, printed: str) -> float:
    words = words.strip().lower()
    if words in FRACTIONS:
        return FRACTIONS[words]
    if words in {"a", "an"}:
        return 1.0
    try:
        return float(text2num(words, "en"))
    except ValueError as error:
        raise NumberFormatError(f"cannot read {printed!r} as a number") from error


def same_number(a: float, b: float) -> bool:
    """True when two values are the same number, allowing for float rounding."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# Counts as prose writes them, from none to twenty (the pages' counts of the book's own data).
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


# Numbers that are structure, not figures: they may stand in prose and on pages
# without a fact behind them. Shared by the validator (prose fields, coverage) and the
# trace test (built pages), so both apply the same rule. Each form: what it is, with
# examples, as data/README.md lists it (a test keeps the two lists equal), and its pattern.
STRUCTURAL_FORMS: tuple[tuple[str, str], ...] = (
    ("fiscal-year labels: FY 2019, FY2014–FY2019", r"\bFY\s?(?:19|20)\d\d(?:[–-](?:FY\s?)?(?:19|20)?\d\d)?\b"),
    ("ISO dates: 2020-12-01", r"\b(?:19|20)\d\d-\d\d-\d\d\b"),
    ("the months of its fiscal year a partial year covers, counted from its dates: about 10.7 of 12 months",
     r"\babout\s+\d{1,2}\.\d\s+of\s+12\s+months\b"),
    ("spans of years: 2017–2020, 2014-19", r"\b(?:19|20)\d\d[–-](?:19|20)?\d\d\b"),
    ("dates: March 1, 2020", r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
     r"|December)\s+\d{1,2},\s+(?:19|20)\d\d\b"),
    ("a day of a month: July 13", r"\b(?:January|February|March|April|May|June|July|August|September|October"
     r"|November|December)\s+\d{1,2}\b(?![,.]?\d)"),
    ("years: 2020", r"\b(?:19|20)\d\d\b"),
    ("OIG report numbers: OIG-20-13", r"\bOIG-\d\d-\d\d\b"),
    ("the 287(g) program and its statute: 287(g), 287(a)(2)", r"\b287\s?\([a-z]\)(?:\(\d\))?"),
    ("FOIA exemptions: (b)(7)(E)", r"\(b\)\(\d\)(?:\([A-Z]\))?"),
    ("section and item numbers: Figure 3, Table 2, Appendix 1, footnote 9, Recommendation 4, Rec. 2, section 5, "
     "Step 4, Finding 2, Chapter 3, Part 2, Title 8, Quarter 3, page 12, p. 7",
     r"\b(?:Figure|Table|Appendix|footnote|Recommendation|Rec\.|section|Step|Finding|Chapter|Part|Title|Quarter"
     r"|page|p\.)\s+[0-9]+[A-Za-z]?\b"),
    ("names that contain digits: SHA-256, MS-13, COVID-19, 24/7, I-213",
     r"\bSHA-256\b|\bMS-13\b|\bCOVID-19\b|\b24/7\b|\bI-\d{3}[A-Z]?\b"),
    ("hashes and commit ids: 3f2a9c1", r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,64}\b"),
)


# Names a line must not break at their hyphens: document numbers ("OIG-20-13" read as "OIG-" and "20-13" on a
# phone is two things) and names that hold digits ("MS-13", "COVID-19"). Pages keep each on one line.
KEPT_WHOLE = re.compile(r"\b[A-Z]{2,}-\d{2}-\d{2,4}\b|\b(?:MS-13|COVID-19|SHA-256|I-\d{3}[A-Z]?)\b")


def _structural_pattern() -> re.Pattern:
    """One pattern for every form. Those that start a word are tried only where a word starts with a character
    one of them can start with (a digit, a hex letter, or the first letter of a month or of an item's name), and a
    digit stands in that word or the next (every form has one there: "FY 2019", "page 12", "about 10.7 of 12"):
    Python's ``re`` otherwise tries each of them at every character of a long prose field."""
    at_word = "|".join(p for _, p in STRUCTURAL_FORMS if p.startswith(r"\b"))
    other = "|".join(p for _, p in STRUCTURAL_FORMS if not p.startswith(r"\b"))
    digit_near = r"(?=[^\s\d]*+(?:\d|\s++[^\s\d]*+\d))"
    return re.compile(rf"(?<![A-Za-z0-9])(?=[0-9a-fijmnopqrst]){digit_near}(?:{at_word})|{other}", re.I)


STRUCTURAL_NUMBER = _structural_pattern()


_DIGIT = re.compile(r"\d")


def unstructured_numbers(text: str) -> list[str]:
    """The numbers in ``text`` that are not structure (years, report numbers, item numbers). A text with no digit
    has none: the structure pattern, slow over long prose, is not run over it."""
    if not _DIGIT.search(text):
        return []
    remainder = STRUCTURAL_NUMBER.sub(" ", text)
    return re.findall(r"\d[\d,.]*", remainder)

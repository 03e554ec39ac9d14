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
# without a fact behind them. Shared by the validator (prose fields) and the
# trace test (built pages), so both apply the same rule.
STRUCTURAL_NUMBER = re.compile(
    r"""(?ix)
    \bFY\s?(?:19|20)\d\d(?:[–-](?:FY\s?)?(?:19|20)?\d\d)?\b   # FY 2019, FY2014–FY2019
    | \b(?:19|20)\d\d[–-](?:19|20)?\d\d\b                       # 2017–2020, 2014-19
    | \b(?:January|February|March|April|May|June|July|August|September|October|November|December)
      \s+\d{1,2},\s+(?:19|20)\d\d\b                             # a date
    | \b(?:January|February|March|April|May|June|July|August|September|October|November|December)
      \s+\d{1,2}\b(?![,.]?\d)                                     # a day of a month ("July 13 to …")
    | \b(?:19|20)\d\d-\d\d-\d\d\b                               # an ISO date
    | \b(?:19|20)\d\d\b                                         # a year
    | \bOIG-\d\d-\d\d\b                                         # a report number
    | \b287\s?\([a-z]\)(?:\(\d\))?                              # 287(g), 287(a)(2)
    | \(b\)\(\d\)(?:\([A-Z]\))?                                 # FOIA exemption (b)(7)(E)
    | \b(?:Figure|Table|Appendix|footnote|Recommendation|Rec\.|section|Step|Finding|Chapter|Part|Title|Quarter|page|p\.)
      \s+[0-9]+[A-Za-z]?\b                                      # a section or item number
    | \bSHA-256\b | \bMS-13\b | \bCOVID-19\b | \b24/7\b | \bI-\d{3}[A-Z]?\b    # names that contain digits
    | \b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,64}\b       # a hash or commit id
    """
)


def unstructured_numbers(text: str) -> list[str]:
    """The numbers in ``text`` that are not structure (years, report numbers, item numbers)."""
    remainder = STRUCTURAL_NUMBER.sub(" ", text)
    return re.findall(r"\d[\d,.]*", remainder)

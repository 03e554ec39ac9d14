"""Schemas for every data file: the fact table's columns, and the YAML files as pydantic models.

The fact table (CSV) is checked column by column against ``FACT_COLUMNS``; the
YAML files are records with nested parts, which pydantic describes best. Text
fields say what they hold by their type: ``Prose`` (the book's own words: no
typed figures, ``{{fact-id}}`` placeholders), ``Quote`` (verbatim from the
source named by the record or an enclosing one) or plain ``str`` (no markup);
``FactIds`` lists the facts a record rests on. ``text_fields`` and
``fact_lists`` walk a parsed record by those types, so validation follows the
schema rather than guessing at shapes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator
from pydantic_core import PydanticCustomError

ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PROSE, QUOTE, FACT_IDS = "prose", "quote", "fact ids"
FILL_IN = "FILL IN"  # starts a registry field that add-source leaves for the maintainer to fill in
Prose = Annotated[str, PROSE]
Quote = Annotated[str, QUOTE]
FactIds = Annotated[list[str], FACT_IDS]


@dataclass(frozen=True)
class FactColumn:
    """A column of the fact table (data/facts/*.csv): its name, whether it is required, its type, meaning."""

    name: str
    required: bool
    kind: Literal["string", "number", "integer"]
    meaning: str


FACT_COLUMNS: tuple[FactColumn, ...] = (
    FactColumn("id", True, "string", "stable id, lower-case words joined by `-`, starting with the source id: "
               "`ar2020-ero-removals`. Never reuse or rename an id: pages link to it."),
    FactColumn("source", True, "string", "a source id from `sources.yaml`"),
    FactColumn("locator", True, "string", "the section heading(s) as printed, outermost first, joined by ` > `"),
    FactColumn("page", False, "string", "the page number printed on the page where the quote stands; needed in a "
               "copy that prints page numbers, unless *Pages* says how the page is found"),
    FactColumn("quote", True, "string", "the sentence (or table row) that contains the number, copied verbatim; "
               "see *Quote rule*"),
    FactColumn("printed", True, "string", "the number exactly as it stands in the quote, with its `$`, "
               "`%`/`percent` and scale word (`thousand`, `million`, `billion`) but without qualifier words: "
               "`103,603`, `$18.8 million`, `64%`, `1.4 million`, `Thirty-four`, `a million`"),
    FactColumn("value", True, "number", "the number, plain (`103603`, `18800000`, `64`, `1400000`, `34`): ASCII "
               "digits with an optional sign and decimal point, nothing else (no `1.27e5`, `127_000` or other "
               "scripts' digits). Must equal the data module's reading of `printed`, unless `ocr_correction` is "
               "filled"),
    FactColumn("unit", True, "string", "from `vocabulary.yaml`. `$` → `usd`; `%`/`percent` → `percent`"),
    FactColumn("qualifier", True, "string", "from `vocabulary.yaml`: how the source qualifies the number "
               "(`exact`, `more_than`, `about`, `nearly`, …)"),
    FactColumn("fiscal_year", False, "integer", "the federal fiscal year the number belongs to, when it belongs "
               "to one (also for a partial year); within `vocabulary.yaml`'s `fiscal_years`"),
    FactColumn("period_type", True, "string", "from `vocabulary.yaml` (`fiscal_year`, `partial_fiscal_year`, "
               "`multi_year`, `calendar_year`, `point_in_time`, `none`)"),
    FactColumn("period", False, "string", "the period in words, for the reader: `FY 2020`, "
               "`FY 2018 to August 20, 2018`, `FY 2014–FY 2019`, `close of FY 2020`"),
    FactColumn("component", True, "string", "from `vocabulary.yaml` (`ICE`, `ERO`, `IHSC`, `HSI`, `OPLA`, `MA`, "
               "`OPE`, `OPR`, `OI`, `DRO`, `external`)"),
    FactColumn("metric", True, "string", "what the number measures, a snake_case slug (`ero_removals`, "
               "`hsi_fentanyl_seized`); facts that count the same thing share a slug"),
    FactColumn("notes", False, "string", "scope, definition, caveats, ambiguity"),
    FactColumn("ocr_correction", False, "string", "only when the copy garbled the number: what was printed and "
               "why the value differs (`printed \"8.665\", a comma read as a point`)"),
    FactColumn("period_basis", False, "string", "`stated` when the source states the period, `inferred` when the "
               "book worked it out (\"taken as FY 2020\"); pages mark an inferred period \"period not stated\" and "
               "compute no change from it. Empty is read as stated; notes that say the period was taken must say "
               "`inferred`"),
    FactColumn("scope_doubt", False, "string", "a doubt about what the figure counts, in the book's words "
               "(figures as `{{fact-id}}`); no change is computed across it, and the page shows it"),
    FactColumn("scope_deviation", False, "string", "how the quote's wording differs from the scope words its "
               "metric declares in `metrics.yaml` (shown on the page); needed when the quote lacks them"),
    FactColumn("role", False, "string", "how the source uses the number, from `vocabulary.yaml`'s `roles`: "
               "`anecdote` for a count it gives as a detail of one example or of what people told it (\"two\" "
               "officers in one removal's story, \"one field office reported\", \"at these four offices\" as the "
               "offices whose staff spoke), not as a statistic. An anecdote stays a fact, in the fact index and its "
               "section's table, but is never listed as a key figure, put in a measure or charted. Empty is read "
               "as `statistic`"),
)


def fact_columns_table() -> str:
    """The fact columns as the Markdown table data/README.md shows (a test keeps the two equal)."""
    lines = ["| column | required | meaning |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {'yes' if c.required else 'no'} | {c.meaning} |" for c in FACT_COLUMNS]
    return "\n".join(lines)


@dataclass(frozen=True)
class SourceKind:
    """A kind of source document: how the book names it, whether its figures are the agency's own, and who
    speaks in it ("ICE reported", "OIG found"; none: the document's own short name)."""

    label: str
    self_reported: bool
    speaker: str | None


SOURCE_KINDS = {
    "annual_report": SourceKind("Annual report", True, "ICE"),
    "press_release": SourceKind("Press release", True, "DHS"),
    "oig_inspection": SourceKind("OIG inspection", False, "OIG"),
    "oig_audit": SourceKind("OIG audit", False, "OIG"),
    "memorandum": SourceKind("Memorandum", False, None),
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContentsEntry(Strict):
    """One line of a source's own table of contents: a section's title as the contents print it, and the page
    the contents say it starts on."""

    section: str = Field(min_length=1)
    page: str = Field(pattern=r"^[0-9]+$")


class FrontMatter(Strict):
    """The pages a copy prints before it starts numbering its pages (a report's highlights, its transmittal
    memorandum): they carry no page number, so a fact that stands there has none, and says so."""

    sections: list[str] = Field(min_length=1, description="the sections that stand in it, each as the first part "
                                "of its facts' locators starts; each starts a line of the text")
    numbered_from: str = Field(min_length=1, description="the heading the copy's numbered pages start with, as a "
                               "line of the text")


@dataclass(frozen=True)
class SourceDate:
    """A source's date to the precision its copy prints it: a day (2020-12-23), a month (2019-12, "December 2019")
    or a year alone (2019)."""

    year: int
    month: int | None = None
    day: int | None = None

    def isoformat(self) -> str:
        """2020-12-23, 2019-12 or 2019: ISO 8601's forms for a day, a month and a year, which sort as dates do."""
        parts = [f"{self.year:04d}", *(f"{n:02d}" for n in (self.month, self.day) if n is not None)]
        return "-".join(parts)

    __str__ = isoformat

    def words(self) -> str:
        """The date as a reader reads it: "December 23, 2020", "December 2019" or "2019"."""
        if self.month is None:
            return str(self.year)
        month = calendar.month_name[self.month]
        return f"{month} {self.day}, {self.year}" if self.day is not None else f"{month} {self.year}"

    @property
    def fiscal_year(self) -> int | None:
        """The federal fiscal year it falls in (FY 2018 runs from October 1, 2017 to September 30, 2018); None for a
        year alone, whose months fall in two fiscal years."""
        if self.month is None:
            return None
        return self.year + 1 if self.month >= 10 else self.year


SOURCE_DATE_FORMS = ("YYYY-MM-DD for a day (2020-12-23), YYYY-MM for a month (2019-12) or YYYY for a year (2019), "
                     "as precise as the copy prints it; null when it prints none")
_SOURCE_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def source_date(value: Any) -> SourceDate | None:
    """A registry's date as YAML reads it (a date, a number for a year, text, or null) to a SourceDate; a value in
    no accepted form raises the schema error 'source_date' (read.ACCEPTS words it)."""
    if value is None or isinstance(value, SourceDate):
        return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return SourceDate(value.year, value.month, value.day)
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(text, str) and (match := _SOURCE_DATE.fullmatch(text)):
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError:
            pass
        else:
            return SourceDate(year, month, day)
    raise PydanticCustomError("source_date", "not a source's date")


DateAsPrinted = Annotated[SourceDate | None, PlainValidator(source_date),
                          PlainSerializer(SourceDate.isoformat, when_used="unless-none")]


class OriginalMark(Strict):
    """What a copy prints about its original or where it was taken from, quoted from the copy: an address printed
    on its pages, the site's own name ("On DHS.gov"), a third party's archive line, or a third party's framing
    (the header and warning of the site that holds the copy)."""

    kind: Literal["address", "site", "archive", "framing"]
    quote: str = Field(min_length=1, description="as the copy prints it")
    says: Prose = Field(min_length=1, description="what it is, in the book's words; a judgement after 'Our reading:'")


class Source(Strict):
    """A source document: its registry entry in sources.yaml, and the display text the pages use."""

    id: str = Field(pattern=r"^[a-z0-9]+$")
    file: str
    title: str
    short_name: str = Field(description="how tables and charts name it, also its citation label")
    issuer: str
    date_printed: str
    date: DateAsPrinted = Field(description="the date, as precise as the copy prints it: " + SOURCE_DATE_FORMS)
    document_number: str | None
    kind: Literal[tuple(SOURCE_KINDS)]  # type: ignore[valid-type]
    trust: Prose = Field(description="one line: how far to trust its figures")
    missing: Prose = Field(description="what the copy lacks that the original has; empty if nothing known")
    pages_printed: bool = Field(description="whether the copy prints page numbers")
    original: list[OriginalMark] = Field(default=[], description="what the copy prints about its original: every "
                                         "web address it prints is quoted in one of these")
    notes: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    contents: list[ContentsEntry] = Field(
        default_factory=list, description="its own table of contents, where it prints one: a fact with no page of "
        "its own takes the page its section starts on, marked as such")
    front_matter: FrontMatter | None = Field(
        default=None, description="where a copy that prints page numbers prints none: its pages before the "
        "numbered ones")

    @property
    def kind_label(self) -> str:
        return SOURCE_KINDS[self.kind].label

    @property
    def self_reported(self) -> bool:
        return SOURCE_KINDS[self.kind].self_reported

    @property
    def speaker(self) -> str:
        """Who speaks in it, for sentences that attribute ("ICE reported …", "the OI/DRO memo states …")."""
        return SOURCE_KINDS[self.kind].speaker or f"the {self.short_name}"


class Vocabulary(Strict):
    units: dict[str, str]
    qualifiers: dict[str, str]
    period_types: dict[str, str]
    components: dict[str, str]
    fiscal_years: dict[Literal["first", "last"], int]
    roles: dict[str, str] = Field(default_factory=dict)  # how a source uses a number (the facts' role column)


class Derived(Strict):
    """A figure computed from facts by a declared formula."""

    id: str = Field(pattern=ID)
    label: str
    formula: str
    inputs: dict[str, str]
    unit: str
    kind: Literal["computed", "implied"] = "computed"
    decimals: int = Field(default=0, ge=0, le=4)
    fiscal_year: int | None = None
    component: str
    notes: str = ""
    metric: str | None = None  # an implied figure: the metric it is a figure of, so pages set it beside its facts
    doubt: Prose = ""  # the book's doubt about an implied figure, shown wherever the figure is


class Series(Strict):
    """One metric's figures within a measure: what they count (the metric's scope words included), and the line
    a page sets them side by side in. Whether two figures may be compared is the comparability rule's to say
    (comparability.judge), never a series'."""

    metric: str
    counts: str
    line: str = ""  # the line its figures are set side by side in; empty: the measure's main line


class Metric(Strict):
    """What a metric counts, in plain words, and the words that define its scope (each fact's quote carries them)."""

    label: str
    scope: list[str] = []


class Measure(Strict):
    """A measure of the FY2017-FY2020 chapter: the metrics that count it and how comparable they are."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    theme: str
    unit: str
    definition: str
    series: list[Series]
    notes: str = ""


class Claim(Strict):
    """A percentage, change or total a source states, and how to recompute it from its parts."""

    id: str = Field(pattern=ID)
    fact: str
    kind: Literal["percentage", "change", "total", "sum", "ratio", "repeat", "count"]
    formula: str | None = None
    inputs: dict[str, str] = {}
    # kind "count": the items the source lists after a stated count, as printed; the count is recomputed
    # as how many there are, and each must stand in the fact's source text.
    listed: list[str] = []
    rounding: str
    tolerance: float = Field(ge=0)
    implies: str | None = None
    notes: str = ""


class Passage(Strict):
    """A passage quoted from a named source."""

    source: str
    locator: str
    quote: Quote
    page: int | None = None


class Located(Strict):
    """A part of an OIG report (its source is the report): what it says in our words, and its quote."""

    summary: Prose = ""
    quote: Quote
    locator: str
    page: int | None = None
    facts: FactIds = []


class BearsOn(Strict):
    summary: Prose
    facts: FactIds = []


@dataclass(frozen=True)
class Speaker:
    """Who says what a finding's quote says, as OIG's report gives it: the label a page shows, the words a
    finding's brief and summary open with (a pattern), the words its title carries (a pattern, or none: OIG's own
    headings state its findings), and whether the quote's own words must report speech ("According to ICE staff",
    "staff ... said")."""

    label: str
    opens: str
    titled: str
    reported: bool


SPEAKERS = {
    "oig": Speaker("OIG's own analysis", r"^OIG (found|concluded|determined|judged)\b", "", False),
    "ice_staff": Speaker("ICE staff or officials, as OIG reports them",
                         r"^ICE (staff|officials|personnel)\b[^.]*\btold OIG\b", r"\btold OIG\b", True),
    "ice_comments": Speaker("ICE's comments on the draft report", r"^ICE (stated|said|commented)\b",
                            r"\bICE (states|stated|says|said)\b", False),
    "dhs_page": Speaker("a DHS page", r"^The DHS page (says|states)\b", r"\bDHS page (says|states)\b", False),
}


class Finding(Located):
    id: str = Field(pattern=ID)
    speaker: Literal[tuple(SPEAKERS)]  # type: ignore[valid-type]  # who says what the quote says
    title: Prose
    brief: Prose = ""  # one or two sentences opening with the speaker's verb: the home page and oversight summary
    bears_on: BearsOn | None = None


class IceResponse(Strict):
    concurred: bool
    summary: Prose
    quote: Quote
    locator: str
    page: int | None = None


class OigStatus(Strict):
    resolved: bool
    open: bool
    quote: Quote
    locator: str
    page: int | None = None


class Completion(Strict):
    as_printed: str | None = None
    quote: Quote | None = None
    locator: str | None = None
    page: int | None = None


class Recommendation(Strict):
    id: str = Field(pattern=ID)
    number: int
    text: str
    asks: Prose = ""  # what it asks, in a short phrase, for the recommendation tracker
    locator: str
    page: int | None = None
    ice_response: IceResponse
    oig_status: OigStatus
    estimated_completion: Completion


class Findings(Strict):
    """An OIG report as a record (data/findings/<source>.yaml)."""

    report: str
    title: Prose
    objective: Located | None = None
    scope_and_method: list[Located] = []
    findings: list[Finding] = []
    recommendations: list[Recommendation] = []


class Agency(Strict):
    id: str
    name: str
    mission: list[Passage]


class Component(Strict):
    id: str
    name: str
    abbreviation: str
    parent: str | None
    current: bool
    earlier_names: list[str] = []
    successor: str | None = None
    missions: list[Passage] = []
    size_facts: FactIds = []
    parent_evidence: list[Passage] = []


class Lineage(Strict):
    summary: Prose
    quotes: list[Passage]


class Protocol(Strict):
    theme: str
    summary: Prose
    asks_of_oi: Prose
    asks_of_dro: Prose
    quotes: list[Passage]
    facts: FactIds = []
    redacted: bool = False


class PipelineStep(Strict):
    step: str
    label: Prose
    actor: Prose
    summary: Prose
    quote: Quote
    locator: str


class Pipeline(Strict):
    source: str
    steps: list[PipelineStep]


class Program(Strict):
    summary: Prose
    quotes: list[Passage]
    facts: FactIds = []


class Structure(Strict):
    """ICE's components, lineage, protocols, the CAP pipeline and 287(g) (data/structure.yaml)."""

    agency: Agency
    components: list[Component]
    lineage: Lineage
    protocols: list[Protocol]
    cap_pipeline: Pipeline
    program_287g: Program


class RegisterEntry(Strict):
    """One entry of the discrepancy register (data/register.yaml)."""

    id: str = Field(pattern=ID)
    kind: Literal["disagreement", "internal", "ocr", "missing"]
    title: Prose
    summary: Prose
    quotes: list[Passage]
    what_it_means: Prose
    facts: FactIds = []


@dataclass(frozen=True)
class TextField:
    """A text field met while walking a record: its role (prose, quote or plain), where it is, its source."""

    role: str
    text: str
    field: str
    record: str
    source: str | None


def _role(info: Any) -> str | None:
    """The role a field's type gives it (``Prose``, ``Quote``, ``FactIds``), also inside ``X | None``."""
    for mark in info.metadata:
        if mark in (PROSE, QUOTE, FACT_IDS):
            return mark
    pending = list(get_args(info.annotation))
    while pending:
        arg = pending.pop()
        if arg in (PROSE, QUOTE, FACT_IDS):
            return arg
        pending.extend(get_args(arg))
    return None


@functools.cache
def _roles(model: type[BaseModel]) -> tuple[tuple[str, str | None], ...]:
    """Each field of a record type with its role (``_role``): found once per type, not per record."""
    return tuple((name, _role(info)) for name, info in model.model_fields.items())


def _models(value: Any) -> list[BaseModel]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, BaseModel)]


@functools.cache
def _may_have(model: type[BaseModel], name: str) -> bool:
    """Whether a record of this type may have an attribute ``name``: a field, or anything its class has. (Asking a
    record for an attribute it has not is slow: pydantic looks for it in several places before it gives up.)"""
    return name in model.model_fields or hasattr(model, name) or model.model_config.get("extra") == "allow"


def _attribute(record: BaseModel, name: str) -> Any:
    """``getattr(record, name, None)``, without asking where the record's type has no such attribute."""
    return getattr(record, name, None) if _may_have(type(record), name) else None


def text_fields(record: BaseModel, source: str | None = None, label: str = "",
                prefix: str = "") -> Iterator[TextField]:
    """Every text field of a parsed record, with the role its type gives it and the source its quotes are from."""
    source = _attribute(record, "source") or _attribute(record, "report") or source
    own_id = _attribute(record, "id")
    label = own_id if isinstance(own_id, str) else label
    for name, role in _roles(type(record)):
        value = getattr(record, name)
        path = f"{prefix}{name}"
        if isinstance(value, str):
            yield TextField(role or "plain", value, path, label, source)
        for i, part in enumerate(_models(value)):
            yield from text_fields(part, source, label, f"{path}.{i}." if isinstance(value, list) else f"{path}.")


def fact_lists(record: BaseModel) -> set[str]:
    """Every fact id a record lists in a ``FactIds`` field, at any depth."""
    found: set[str] = set()
    for name, role in _roles(type(record)):
        value = getattr(record, name)
        if role == FACT_IDS:
            found.update(value)
        for part in _models(value):
            found |= fact_lists(part)
    return found


class Verdict(Strict):
    """A reviewer's verdict on one candidate a consistency detector found (data/verdicts.yaml)."""

    id: str = Field(pattern=ID)
    verdict: Literal["inconsistent", "ambiguous", "explained"]
    reason: Prose = Field(min_length=1)
    in_register: str | None = None


class Correction(Strict):
    """A correction of the book's own data, recorded when it is made (data/corrections.yaml): the Changes page
    lists it with its date, beside what changed since the last edition."""

    id: str = Field(pattern=ID)
    date: dt.date = Field(description="the day the correction was made")
    facts: FactIds = Field(min_length=1, description="the facts (or derived figures) it corrects")
    what: Prose = Field(min_length=1, description="what was wrong and what was done, in the book's words")

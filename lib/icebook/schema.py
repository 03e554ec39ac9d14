"""Record schemas for the YAML data files, as pydantic models.

The fact table (CSV) is checked column by column in ``validate.py``; the smaller
YAML files are records with nested parts, which pydantic describes best.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    id: str = Field(pattern=r"^[a-z0-9]+$")
    file: str
    title: str
    issuer: str
    date_printed: str
    date: dt.date | None
    document_number: str | None
    kind: Literal["annual_report", "press_release", "oig_inspection", "oig_audit", "memorandum"]
    notes: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Vocabulary(Strict):
    units: dict[str, str]
    qualifiers: dict[str, str]
    period_types: dict[str, str]
    components: dict[str, str]
    fiscal_years: dict[Literal["first", "last"], int]


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


class Series(Strict):
    metric: str
    counts: str
    comparable: Literal["yes", "caveat", "no"]
    caveat: str = ""


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
    kind: Literal["percentage", "change", "total", "sum", "ratio", "repeat"]
    formula: str | None = None
    inputs: dict[str, str] = {}
    rounding: str
    tolerance: float = Field(ge=0)
    implies: str | None = None
    notes: str = ""

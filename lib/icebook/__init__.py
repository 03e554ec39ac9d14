"""The shared data module of the ICE FY2017–FY2020 book: load, validate, derive, format, chart, build."""

from .data import Book, book, load
from .errors import DataError, ParameterError, Problem

__all__ = ["Book", "DataError", "ParameterError", "Problem", "book", "load"]

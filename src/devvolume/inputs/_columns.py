"""A source's cells as columns of codes into their distinct values.

Every reader (CSV, Excel, Parquet, a DataFrame) gives a :class:`RawTable`: one
:class:`RawColumn` per column position, each an integer code per record into the column's
distinct raw values. Checking a column then reads each distinct value once, and the canonical
frame is built by taking from the read values. Records are every row of the file, title and
header rows included, each with the row number a person sees in Excel.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd

from devvolume.inputs._distinct import blank_flags


@dataclass
class RawColumn:
    """One column: ``codes[i]`` is record i's index into ``values``.

    ``arrow`` holds the same distinct values as an Arrow string array when the column came
    through Arrow, for the vectorised readers.
    """

    codes: np.ndarray
    values: list[Any]
    arrow: Any = None
    _blank: np.ndarray | None = field(default=None, repr=False)

    def blank_values(self) -> np.ndarray:
        """For each distinct value, whether the cell is blank."""
        if self._blank is None:
            self._blank = blank_flags(self.values, self.arrow)
        return self._blank

    def cell(self, record: int) -> Any:
        """Return the raw value of one record."""
        return self.values[int(self.codes[record])]

    def grow(self, records: int) -> None:
        """Add blank records at the end, up to ``records`` in all."""
        extra = records - len(self.codes)
        if extra > 0:
            self.values.append(None)
            blank = np.full(extra, len(self.values) - 1, dtype=self.codes.dtype)
            self.codes = np.concatenate([self.codes, blank])
            self.arrow, self._blank = None, None

    def put(self, record: int, value: Any) -> None:
        """Replace one record's value (used for markers: merged cells, unsaved formulas)."""
        self.values.append(value)
        self.codes[record] = len(self.values) - 1
        self.arrow, self._blank = None, None


@dataclass
class RawTable:
    """The cells of one source, as read, before any header is looked for."""

    name: str
    columns: list[RawColumn]
    rows: np.ndarray
    kind: str
    sheet: str | None = None
    encoding: str | None = None
    #: The header, when the source carries it apart from its rows (DataFrame, Parquet).
    header: list[Any] | None = None
    #: The 0-based Excel column of ``columns[0]`` (a sheet whose cells start in column C).
    first_column: int = 0

    @property
    def records(self) -> int:
        """How many records (rows of the file) were read."""
        return len(self.rows)

    def grow(self, records: int) -> None:
        """Add blank records at the end (rows the fast reader did not see), up to ``records``."""
        if records > self.records:
            for column in self.columns:
                column.grow(records)
            first = int(self.rows[-1]) + 1 if self.records else 1
            self.rows = np.concatenate(
                [self.rows, np.arange(first, first + records - self.records, dtype=np.int64)])

    def record(self, index: int) -> list[Any]:
        """Return the raw cells of one record, in column order."""
        return [column.cell(index) for column in self.columns]

    def drop_trailing_blank(self) -> None:
        """Forget blank records at the end (cell formatting below the data, not rows entered)."""
        if not self.records:
            return
        blank = np.ones(self.records, dtype=bool)
        for column in self.columns:
            blank &= column.blank_values()[column.codes]
        filled = np.flatnonzero(~blank)
        keep = int(filled[-1]) + 1 if len(filled) else 0
        self.rows = self.rows[:keep]
        for column in self.columns:
            column.codes = column.codes[:keep]


class _Wrapped:
    """A cell pandas' hashing must not merge with another: a bool (True == 1.0), an unhashable."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _Wrapped) and type(other.value) is type(self.value)
                and _same(other.value, self.value))

    def __hash__(self) -> int:
        try:
            return hash((type(self.value), self.value))
        except TypeError:
            return id(self.value)


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a is b or a == b)
    except (TypeError, ValueError):
        return False


# Cells pandas' hashing keeps apart as Python does; others (bools, numpy scalars) are wrapped.
_PLAIN_TYPES = {str, float, int, date, datetime, time, timedelta, pd.Timestamp, type(None)}


class _Distinct:
    """One column being encoded: the codes of each batch into that batch's distinct values."""

    def __init__(self, before: int) -> None:
        self.parts: list[tuple[np.ndarray, np.ndarray]] = []
        if before:
            self.parts.append((np.full(before, -1, dtype=np.int64), np.empty(0, dtype=object)))

    def add(self, cells: Sequence[Any]) -> None:
        array = np.empty(len(cells), dtype=object)
        array[:] = list(cells)
        if not set(map(type, cells)) <= _PLAIN_TYPES:
            array[:] = [v if type(v) in _PLAIN_TYPES else _Wrapped(v) for v in cells]
        local, uniques = pd.factorize(array)
        self.parts.append((local, np.asarray(uniques, dtype=object)))

    def column(self) -> RawColumn:
        """Join the batches: codes into one list of distinct values (code 0 is ``None``)."""
        every = np.concatenate([u for _, u in self.parts]) if self.parts else np.empty(0, object)
        merged, distinct = pd.factorize(every)
        values = [None, *(v.value if isinstance(v, _Wrapped) else v for v in distinct)]
        codes, offset = [], 0
        for local, uniques in self.parts:
            translate = merged[offset:offset + len(uniques)] + 1
            offset += len(uniques)
            codes.append(np.where(local < 0, 0, translate[local] if len(uniques) else 0))
        return RawColumn(np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64), values)


def encode_grid(rows: Iterable[Sequence[Any]], *, batch: int = 10_000) -> list[RawColumn]:
    """Encode rows of cells (a sheet) column by column, a batch of rows at a time.

    Only a batch of cells is held as Python objects at once; the columns keep codes and the
    distinct values.
    """
    iterator = iter(rows)
    columns: list[_Distinct] = []
    count = 0
    while chunk := list(itertools.islice(iterator, batch)):
        widths = set(map(len, chunk))
        width = max(widths)
        if len(widths) > 1:
            chunk = [list(row) + [None] * (width - len(row)) for row in chunk]
        while len(columns) < width:
            columns.append(_Distinct(count))
        for column, cells in zip(columns, zip(*chunk, strict=True), strict=False):
            column.add(cells)
        for column in columns[width:]:
            column.parts.append((np.full(len(chunk), -1, dtype=np.int64),
                                 np.empty(0, dtype=object)))
        count += len(chunk)
    return [column.column() for column in columns]


def encode_series(series: pd.Series) -> RawColumn:
    """Encode one column of a DataFrame; missing values (NaN, NaT, None, NA) become ``None``."""
    column = _Distinct(0)
    column.add(series.astype(object).tolist())
    return column.column()


def memory_pool() -> Any:
    """Return the allocator for Arrow buffers made while loading: the system's.

    It gives freed memory back for pandas and numpy to reuse (Arrow's default pool keeps it),
    which lowers the peak.
    """
    import pyarrow as pa

    return pa.system_memory_pool()


def encode_arrow(column: Any) -> RawColumn:
    """Encode one Arrow column (CSV read by Arrow, Parquet); nulls become ``None``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pool = memory_pool()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks(memory_pool=pool)
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if len(column) == 0:
        return RawColumn(np.zeros(0, dtype=np.int32), [None])
    encoded = pc.dictionary_encode(column, null_encoding="encode", memory_pool=pool)
    dictionary = encoded.dictionary
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    text = pa.types.is_string(dictionary.type) or pa.types.is_large_string(dictionary.type)
    return RawColumn(codes, dictionary.to_pylist(), dictionary if text else None)


def encode_arrow_columns(columns: Sequence[Any]) -> list[RawColumn]:
    """:func:`encode_arrow` for every column, on a few threads (Arrow releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    if len(columns) < 2 or sum(len(c) for c in columns) < 100_000:
        return [encode_arrow(c) for c in columns]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(encode_arrow, columns))

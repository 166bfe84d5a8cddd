"""Read a CSV work log: its encoding, its delimiter, then every record, fast.

Encodings: UTF-8 (with or without BOM), UTF-16 ("Unicode text"), GBK/GB18030 as Excel saves
CSV on simplified-Chinese Windows, and Big5 (code page 950) from Taiwan and Hong Kong. GB18030
decodes almost any bytes, so a Big5 file would load as nonsense; the choice goes to the
encoding whose text holds the work-log headers, else whose characters are the common ones of
its script, and a file that fits none is refused with a clear message. Records are read by
Arrow's CSV reader; files it declines (rows of different lengths) by Python's ``csv`` module,
which gives the same records.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from pathlib import Path
from typing import Any

import numpy as np

from devvolume.core import REQUIRED
from devvolume.inputs._columns import (
    RawColumn,
    RawTable,
    encode_arrow_columns,
    encode_grid,
    memory_pool,
)
from devvolume.inputs._errors import fail
from devvolume.inputs._headers import HEADER_SEARCH_ROWS, find_header_in

#: Encodings tried for CSV files without a byte-order mark, in order.
CSV_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030", "cp950")

#: How each encoding is named in messages and in ``WorklogCheck.encoding``.
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GBK/GB18030",
                  "cp950": "Big5", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
                  "utf-16-be": "UTF-16"}

#: A legacy encoding is accepted only if at least this share of its non-ASCII characters are
#: common characters of its script (real GBK text: nearly all; Big5 read as GBK: about 0.25).
PLAUSIBLE_SHARE = 0.5

_HEAD = 1 << 16
_DELIMITERS = (",", "\t", ";")
_REFUSE_HINT = ("用 Excel 或 WPS 打开后“另存为” CSV UTF-8 或 .xlsx。/ "
                "Open it in Excel or WPS and save it as CSV UTF-8 or .xlsx.")


def read_csv(path: Path, data: bytes, known: dict[str, str | None]) -> RawTable:
    """Read every record of a CSV file's bytes."""
    name = str(path)
    text, encoding = _decode_marked(name, data)
    payload = data[3:] if encoding == "utf-8-sig" else data
    if text is not None:
        payload = text.encode("utf-8")
    elif not _utf8_head(payload):
        text, encoding = decode(name, data, known)
        payload = text.encode("utf-8")
    delimiter, width = _sniff(payload[:_HEAD].decode("utf-8", "ignore"), known)
    columns = _read_arrow(payload, delimiter, width)
    if columns is None and text is None:  # bytes past the head may not be UTF-8 after all
        text, encoding = decode(name, data, known)
        if encoding not in {"utf-8", "utf-8-sig"}:
            payload = text.encode("utf-8")
            columns = _read_arrow(payload, delimiter, width)
    if columns is None:
        columns = _read_python(name, text if text is not None else payload.decode(), delimiter)
    records = len(columns[0].codes) if columns else 0
    return RawTable(name, columns, np.arange(1, records + 1, dtype=np.int64), "csv",
                    encoding=ENCODING_NAMES.get(encoding, encoding))


def _decode_marked(name: str, data: bytes) -> tuple[str | None, str]:
    """Decode UTF-16 (with a byte-order mark, or the telltale zero bytes); spot a UTF-8 BOM."""
    if data.startswith(codecs.BOM_UTF8):
        return None, "utf-8-sig"
    encoding = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data[:4096]:
        sample = data[:4096]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        encoding = "utf-16-le" if odd > even else "utf-16-be"
    if encoding is None:
        return None, "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:
        fail(name, "这不是文本文件，或者编码无法识别 / this is not a text file, or its encoding is "
             "unknown", _REFUSE_HINT)
    return text, encoding


def _utf8_head(payload: bytes) -> bool:
    if b"\x00" in payload:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(payload[:_HEAD], final=False)
    except UnicodeDecodeError:
        return False
    return True


def decode(name: str, data: bytes, known: dict[str, str | None]) -> tuple[str, str]:
    """Decode a CSV file's bytes: UTF-8 if they are, else the legacy encoding that fits best."""
    candidates: list[tuple[tuple[int, float], str, str]] = []
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        if encoding == "utf-8-sig":
            return text, encoding
        head = text[:_HEAD]
        candidates.append(((_header_hits(head, known), _plausibility(head, encoding)),
                           encoding, text))
    if candidates:
        (hits, share), encoding, text = max(candidates, key=lambda c: c[0])
        if hits >= len(REQUIRED) or share >= PLAUSIBLE_SHARE:
            return text, encoding
    fail(name, "无法识别文件编码（试过 UTF-8、GBK/GB18030、Big5、UTF-16）/ unknown text encoding "
         "(tried UTF-8, GBK/GB18030, Big5, UTF-16)", _REFUSE_HINT)


def _header_hits(head: str, known: dict[str, str | None]) -> int:
    best = 0
    for delimiter in _DELIMITERS:
        header = find_header_in(_top_records(head, delimiter), known)
        if header is not None:
            best = max(best, header.recognised)
    return best


def _common(ch: str, encoding: str) -> bool:
    code = ord(ch)
    if 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF:  # CJK punctuation, full width
        return True
    if not 0x4E00 <= code <= 0x9FFF:
        return False
    try:
        encoded = ch.encode("gb2312" if encoding == "gb18030" else "cp950")
    except UnicodeEncodeError:
        return False
    # Big5 orders characters by use: A440-C67E are the 5,401 frequently used ones.
    return encoding == "gb18030" or 0xA4 <= encoded[0] <= 0xC6


def _plausibility(text: str, encoding: str) -> float:
    """Return the share of non-ASCII characters that are common in the encoding's script."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return 1.0
    return sum(_common(ch, encoding) for ch in wide) / len(wide)


def _top_records(text: str, delimiter: str) -> list[list[str]]:
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return list(itertools.islice(reader, HEADER_SEARCH_ROWS))
    except csv.Error:
        return []


def _sniff(head: str, known: dict[str, str | None]) -> tuple[str, int]:
    """Pick the delimiter (the one that shows the headers); count the first record's cells."""
    best: tuple[Any, ...] | None = None
    for order, delimiter in enumerate(_DELIMITERS):
        records = _top_records(head, delimiter)
        header = find_header_in(records, known)
        width = len(records[0]) if records else 1
        score = (bool(header and header.complete), header.recognised if header else 0,
                 max((len(r) for r in records), default=0) > 1, -order, delimiter, width)
        if best is None or score > best:
            best = score
    assert best is not None
    return best[4], max(best[5], 1)


def _read_arrow(payload: bytes, delimiter: str, width: int) -> list[RawColumn] | None:
    """Every record by Arrow's reader, or None where it declines (it never guesses)."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    if not payload:
        return []
    names = [f"f{i}" for i in range(width)]
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(payload), memory_pool=memory_pool(),
            read_options=pa_csv.ReadOptions(column_names=names),
            # A line break inside a cell needs quotes; without any quote, lines are records.
            parse_options=pa_csv.ParseOptions(delimiter=delimiter,
                                              newlines_in_values=b'"' in payload,
                                              ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False, null_values=[]),
        )
    except pa.ArrowException:
        return None
    return encode_arrow_columns(table.columns)


def _read_python(name: str, text: str, delimiter: str) -> list[RawColumn]:
    try:
        columns = encode_grid(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        fail(name, f"CSV 格式错误 / malformed CSV: {exc}",
             "用 Excel 打开后重新“另存为” CSV。/ Open it in Excel and save it as CSV again.")
    return columns

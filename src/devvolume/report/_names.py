r"""File names for reports: readable, safe on every system, unique, and stable from run to run.

A team or rep name becomes part of a file name (``team_华东一组.html``), so it must never leave
the output folder, never be a name a system reserves, and never meet another name in the same
file, on any file system the folder may be copied to:

- path separators, the characters Windows reserves (``\ / : * ? " < > |``), control characters,
  the invisible characters that reorder or hide text (a bidirectional override would make
  ``team_abc\u202etxt.exe.html`` look like it ends in ``.txt``: see
  :data:`~devvolume.inputs._errors.HIDDEN_CHARACTERS`) and ``..`` become ``_``; leading and
  trailing dots and spaces go;
- two names are the same file when they are equal after Unicode compatibility folding and case
  folding (``Ａ`` and ``a``, ``ﬁ`` and ``fi``, NFC and NFD): Windows and macOS ignore case, and
  macOS and some network shares fold widths and normalisation forms;
- the whole file name, with the longest suffix a report gets (``.html``, ``.pdf`` and the
  temporary name used while writing), stays within the 255-byte limit of ext4, APFS and NTFS.

A short hash of the original name is added whenever the name had to change or two names would
meet; if a name that already looks like ``a_b-<hash>`` meets one, it gets its own hash too, and
hashes grow until every file is distinct. The names are computed over every name in the source,
not only the ones a run selects, so ``--only`` gives a report the file it gets in a full run.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

from devvolume.inputs._errors import HIDDEN_CHARACTERS

#: The most bytes (UTF-8) a file name may have on ext4, APFS and NTFS (255 UTF-16 units there).
NAME_BYTES = 255
#: Bytes kept free for the temporary name used while a file is written (``.<name>.<pid>.tmp``).
TEMP_BYTES = 24
#: Suffixes a report file gets.
SUFFIXES = (".html", ".pdf")
#: Hex digits of the hash added to a changed or colliding name (grows on a clash).
HASH_CHARS = 8
#: Longest readable part of a file name, in bytes of UTF-8 (about 40 Chinese characters).
MAX_STEM_BYTES = 120

_SHA1_DIGITS = 40
_UNSAFE = re.compile(rf'(?:[\\/:*?"<>|{HIDDEN_CHARACTERS}]|\.\.)+')


def safe_file_names(names: Iterable[str], *, prefix: str,
                    reserved: Mapping[str, str] | None = None) -> dict[str, str]:  # fmt: skip
    r"""Map each name to a file name that is safe on every system, unique and still readable.

    Parameters
    ----------
    names : iterable of str
        Every team or rep name that may get a report (the whole roster, so a name's file does
        not depend on which names a run selects).
    prefix : str
        The report kind, e.g. ``"team"``: it starts every file name, which also keeps Windows
        device names (``CON``, ``NUL``) harmless.
    reserved : mapping, optional
        Files already in the folder → the name each belongs to (from earlier runs). A name
        keeps its file; no other name gets a file that one of them has.

    Returns
    -------
    dict
        Name → file name ending in ``.html`` (the PDF, if any, swaps the suffix).

    Examples
    --------
    >>> safe_file_names(["华东一组", "../../x", "a/b"], prefix="team")
    {'华东一组': 'team_华东一组.html', '../../x': 'team__x-9bdbf20b.html', 'a/b': 'team_a_b-3ec69c85.html'}
    >>> files = safe_file_names(["a/b", "a_b-3ec69c85"], prefix="team")
    >>> len({key(file) for file in files.values()})
    2
    """
    names = list(dict.fromkeys(str(name) for name in names))
    kept = {owner: file for file, owner in sorted((reserved or {}).items())}
    taken = {key(file): owner for file, owner in (reserved or {}).items()}
    stems = {name: _clean(name) for name in names}
    counts: dict[str, int] = {}
    for stem in stems.values():
        counts[key(stem)] = counts.get(key(stem), 0) + 1
    hashed = {name for name, stem in stems.items() if stem != name or counts[key(stem)] > 1}
    digits = HASH_CHARS
    while True:
        files = {name: kept.get(name) or _file(prefix, stems[name], name if name in hashed else None,
                                               digits)
                 for name in names}  # fmt: skip
        owners: dict[str, set[str]] = {}
        for name, file in files.items():
            owners.setdefault(key(file), set()).add(name)
        for file_key, owner in taken.items():
            owners.setdefault(file_key, set()).add(owner)
        # in a clash, every name that is not keeping its own earlier file must move
        clashes = [sorted(name for name in group if name in files and kept.get(name) != files[name])
                   for group in owners.values() if len(group) > 1]  # fmt: skip
        clashes = [group for group in clashes if group]
        if not clashes:
            return files
        fresh = {name for group in clashes for name in group} - hashed
        if fresh:  # a plain name met a hashed one: hash it too
            hashed |= fresh
        elif digits < _SHA1_DIGITS:  # two hashes met: longer hashes
            digits = min(digits + 4, _SHA1_DIGITS)
        else:  # pragma: no cover - needs a SHA-1 collision
            msg = f"cannot give distinct file names to {clashes}"
            raise RuntimeError(msg)


def key(file_name: str) -> str:
    """Give the file name as a case- and width-insensitive file system compares it.

    Examples
    --------
    >>> key("Team_ＡＢ.html") == key("team_ab.HTML")
    True
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", file_name).casefold())


def _file(prefix: str, stem: str, hash_of: str | None, digits: int) -> str:
    if hash_of is not None:
        digest = hashlib.sha1(hash_of.encode("utf-8")).hexdigest()[:digits]
        stem = f"{stem}-{digest}"
    return f"{prefix}_{stem}.html"


def _clean(name: str) -> str:
    text = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" .")
    return _cut(text, MAX_STEM_BYTES).strip(" .") or "_"


def _cut(text: str, limit: int) -> str:
    """Cut text to at most ``limit`` bytes of UTF-8, never inside a character or a cluster."""
    if len(text.encode("utf-8")) <= limit:
        return text
    kept = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    # do not leave a combining mark, variation selector or zero-width joiner dangling
    while kept and (unicodedata.combining(kept[-1]) or kept[-1] in "\u200d\ufe0e\ufe0f"):
        kept = kept[:-1]
    return kept


def longest_name_bytes(prefix: str) -> int:
    """Give the longest a report's file name can be, in bytes, with its longest suffix.

    Examples
    --------
    >>> longest_name_bytes("meeting") + TEMP_BYTES <= NAME_BYTES
    True
    """
    longest_suffix = max(len(suffix) for suffix in SUFFIXES)
    return len(prefix) + 1 + MAX_STEM_BYTES + 1 + 40 + longest_suffix

"""Report file names: safe, unique on case- and width-insensitive file systems, short enough, stable."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import given, settings

from devvolume.inputs._errors import HIDDEN_CHARACTERS
from devvolume.report import safe_file_names
from devvolume.report._folder import Entry
from devvolume.report._index import write_index
from devvolume.report._names import NAME_BYTES, TEMP_BYTES, key

#: Names that collide once sanitised, by case, by width or by looking like another's hash.
COLLIDING = ["a/b", "a:b", "a_b", "A_B", "ａ_ｂ", "Ａ_Ｂ", "a_b-3ec69c85", "a_b-3EC69C85",
             "café", "cafe\u0301", "CAFÉ"]
HOSTILE = ["<script>alert(1)</script>", "../../x", "..", ".", "", " ", "CON", "nul", "a\x00b",
           "tab\there", "新\nline", "😀" * 70, "华东" * 200, "👨‍👩‍👧‍👦" * 30, "x" * 300]


def _check(files: dict[str, str]) -> None:
    assert len({key(file) for file in files.values()}) == len(files), files
    for file in files.values():
        assert len(file.encode("utf-8")) + TEMP_BYTES <= NAME_BYTES, file
        assert len(file.replace(".html", ".pdf").encode("utf-8")) <= NAME_BYTES
        assert not set(file) & set('/\\:*?"<>|'), file
        assert not any(ord(ch) < 32 for ch in file), file
        assert ".." not in file
        assert not file.startswith(".")
        assert unicodedata.normalize("NFC", file) == file


def test_colliding_names_get_distinct_files_on_every_file_system() -> None:
    files = safe_file_names(COLLIDING, prefix="team")
    _check(files)
    # the plain name that looks like another's hash gets its own hash too
    assert files["a/b"] == "team_a_b-3ec69c85.html"
    assert files["a_b-3ec69c85"] != files["a/b"]


def test_hostile_names_stay_in_the_folder_and_under_the_byte_limit(tmp_path: Path) -> None:
    files = safe_file_names(HOSTILE, prefix="meeting")
    _check(files)
    for file in files.values():  # the file system accepts every one of them
        (tmp_path / file).write_text("x", encoding="utf-8")
        (tmp_path / f".{file}.12345678.tmp").write_text("x", encoding="utf-8")
        assert (tmp_path / file).resolve().parent == tmp_path.resolve()
    assert files["CON"] == "meeting_CON.html"
    assert re.fullmatch(r"meeting_(😀)+-[0-9a-f]{8}\.html", files["😀" * 70])


def test_a_name_keeps_its_file_whatever_else_is_selected() -> None:
    everyone = safe_file_names(COLLIDING, prefix="team")
    for name in COLLIDING:
        assert safe_file_names(COLLIDING, prefix="team")[name] == everyone[name]


def test_files_of_earlier_runs_are_kept_and_never_given_to_another_name() -> None:
    # an earlier run of another source made team_a_b-3ec69c85.html for a team named that way
    earlier = {"team_a_b-3ec69c85.html": "a_b-3ec69c85", "team_X.html": "X"}
    files = safe_file_names(["a/b", "X", "x"], prefix="team", reserved=earlier)
    assert files["X"] == "team_X.html"
    assert files["a/b"] != "team_a_b-3ec69c85.html"
    assert key(files["x"]) != key("team_X.html")
    assert len({key(file) for file in [*files.values(), *earlier]}) == len(files) + 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=80), min_size=1, max_size=12, unique=True))
def test_any_names_give_distinct_safe_files(names: list[str]) -> None:
    _check(safe_file_names(names, prefix="rep"))


def test_control_and_bidi_characters_never_reach_a_file_name() -> None:
    names = ["abc\u202etxt.exe", "a\u2066b", "a\u200fb", "a\x85b", "a\u2028b", "a\ufeffb"]
    files = safe_file_names(names, prefix="team")
    _check(files)
    assert files["abc\u202etxt.exe"].startswith("team_abc_txt.exe-")
    for file in files.values():
        assert not re.search(f"[{HIDDEN_CHARACTERS}]", file), file


def test_pages_and_csvs_show_them_escaped(tmp_path: Path) -> None:
    name = "abc\u202etxt.exe"
    entry = Entry(name, "team", safe_file_names([name], prefix="team")[name], "ok", "2026-02-05",
                  "M", "log.csv", figures={"won": 1},
                  evidence=[{"measure": "contacts", "value": 0.5, "verdict": "similar"}])  # fmt: skip
    (tmp_path / entry.file).write_text("<html></html>", encoding="utf-8")
    run = {"source": "log.csv", "by": "team", "kind": "team", "lang": "zh", "as_of": "2026-02-05",
           "period": "M"}  # fmt: skip
    index, summary, evidence = write_index(tmp_path, {"team:x": entry}, unknown=[], run=run)
    for path in (index, summary, evidence):
        text = path.read_text(encoding="utf-8-sig")
        assert "\u202e" not in text
        assert "abc\\u202etxt.exe" in text

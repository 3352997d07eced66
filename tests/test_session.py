"""The session step every door uses: the file's own profile, the --profile override, one placement."""

from __future__ import annotations

import json

import pytest

from macros.cli import main
from macros.session import open_session
from workbook.builder import build_workbook


@pytest.mark.parametrize("profile", ["hubei", "yitihua"])
def test_workbook_profile_is_used_by_the_cli(tmp_path, corrected_data, profile, capsys):
    path = build_workbook(corrected_data, tmp_path / "主工作簿.xlsx", profile=profile)
    session = open_session(path)
    assert session.profile.name == profile
    assert session.choice.origin == "workbook" and not session.choice.note
    # the workbook computed its own cells under its profile: no D3 on them, so the CLI exits 0
    assert not [f for f in session.findings if f.rule == "D3"]
    assert main(["validate", str(path)]) == 0


def test_option_overrides_the_workbook_profile_and_says_so(tmp_path, corrected_data, capsys):
    path = build_workbook(corrected_data, tmp_path / "主工作簿.xlsx", profile="hubei")
    session = open_session(path, "default")
    assert session.profile.name == "default"
    assert session.choice.origin == "option"
    assert "hubei" in session.choice.note and "default" in session.choice.note
    main(["validate", str(path), "--profile", "default"])
    assert "覆盖了工作簿自带的“hubei”" in capsys.readouterr().err


def test_filing_profile_field_is_the_filings_own(tmp_path, corrected_data):
    path = tmp_path / "filing.json"
    path.write_text(json.dumps({**corrected_data, "profile": "hubei"}, ensure_ascii=False), encoding="utf-8")
    assert open_session(path).profile.name == "hubei"
    assert open_session(path, "yitihua").profile.name == "yitihua"
    assert open_session(tmp_path / "filing.json", None).choice.origin == "filing"


def test_reader_findings_keep_their_own_cell(tmp_path, seed_data):
    from macros.session import place
    from xlfuncs.findings import Finding

    located = Finding("W1", "warning", "/department/total/score", "m", sheet="附件1", cell="H26")
    loose = Finding("D2", "error", "/department/total/score", "m")
    placed = place([located, loose], lambda pointer: ("附件1", "B14"))
    assert (placed[0].sheet, placed[0].cell) == ("附件1", "H26")
    assert (placed[1].sheet, placed[1].cell) == ("附件1", "B14")


def test_option_naming_the_workbooks_own_profile_file_is_no_override(tmp_path, corrected_data, monkeypatch):
    (tmp_path / "湖南.toml").write_text('extends = "hubei"\nname = "hubei"\ntitle = "湖南（同湖北）"\n', encoding="utf-8")
    path = build_workbook(corrected_data, tmp_path / "主工作簿.xlsx", profile=str(tmp_path / "湖南.toml"))
    monkeypatch.chdir(tmp_path)
    assert open_session(path, "./湖南.toml").choice.note == ""  # the same file, named relative to here
    note = open_session(path, "hubei").choice.note  # the shipped hubei is another profile, same name
    assert "覆盖了工作簿自带的" in note and "湖南.toml" in note

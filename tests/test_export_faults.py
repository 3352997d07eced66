"""Issue 15, export faults: LibreOffice never outlives perfeval (kill -9, SIGTERM), stale temporaries
of a killed run are removed by the next, names in 4-byte characters fit the file system.

A fake ``soffice`` (a shell script on PATH) stands in for LibreOffice: it starts a grandchild
that keeps writing into the output folder, as a real conversion does, and then waits.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from package_support import export_filing

from macros.tempfiles import LO_PATTERN, LO_PREFIX, clean_stale, clean_stale_work

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and a shell-script soffice")
ROOT = Path(__file__).parents[1]
FAKE = """#!/bin/sh
out=""; prev=""
for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done
echo $$ >> "$FAKE_PIDS"
( while true; do date +%s%N > "$out/late-write.txt"; sleep 0.05; done ) &
echo $! >> "$FAKE_PIDS"
touch "$FAKE_STARTED"
sleep 60
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state != "Z"


def _start(tmp_path: Path, corrected_path: Path) -> tuple[subprocess.Popen, dict[str, str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(FAKE, encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "TMPDIR": str(temp),
           "FAKE_PIDS": str(tmp_path / "pids.txt"), "FAKE_STARTED": str(tmp_path / "started"),
           "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "macros", "export", str(corrected_path), "-o",
                                str(tmp_path / "out")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "started").exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the fake soffice never started"
        time.sleep(0.05)
    time.sleep(0.2)
    return process, env


def _fake_pids(tmp_path: Path) -> list[int]:
    return [int(line) for line in (tmp_path / "pids.txt").read_text().split()]


def _all_gone(pids: list[int], within: float = 3.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def _late_writes(out: Path) -> list[Path]:
    return list(out.rglob("late-write.txt"))


def test_kill_9_during_pdf_conversion_ends_libreoffice_and_the_next_run_cleans_up(tmp_path, corrected_path):
    process, env = _start(tmp_path, corrected_path)
    pids = _fake_pids(tmp_path)
    assert pids and all(_alive(pid) for pid in pids)
    process.kill()  # SIGKILL: perfeval cannot clean anything itself
    process.communicate()
    assert _all_gone(pids), "LibreOffice (the fake) kept running after perfeval was killed"
    out = tmp_path / "out"
    writes = _late_writes(out)
    assert writes  # the abandoned hidden work folder is still there …
    before = writes[0].read_text()
    time.sleep(0.3)
    assert writes[0].read_text() == before  # … but nothing writes into it any more
    temp = Path(env["TMPDIR"])
    assert [p.name for p in temp.iterdir() if p.name.startswith(LO_PREFIX)]  # and the stale profile
    # the next run (no LibreOffice this time) removes both, then exports normally
    (tmp_path / "bin" / "soffice").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "macros", "export", str(corrected_path), "-o", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["株洲市渌口区机关事务服务中心_2022_绩效自评材料",
                                                     "株洲市渌口区机关事务服务中心_2022_绩效自评材料.zip"]
    assert not [p for p in temp.iterdir() if p.name.startswith(LO_PREFIX)]


def test_sigterm_during_pdf_conversion_unwinds_and_leaves_nothing(tmp_path, corrected_path):
    process, env = _start(tmp_path, corrected_path)
    pids = _fake_pids(tmp_path)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM and "Traceback" not in err
    assert _all_gone(pids)
    assert not list((tmp_path / "out").iterdir())  # the hidden work folder and zip were removed
    assert not [p for p in Path(env["TMPDIR"]).iterdir() if p.name.startswith(LO_PREFIX)]


def test_only_stale_temporaries_of_our_own_shape_are_removed(tmp_path):
    dead = 2 ** 22 + 12345  # above the usual pid_max: no such process
    ours = tmp_path / f".单位_2022_绩效自评材料.{dead}.abc123_x.tmp"
    ours.mkdir()
    ours_zip = tmp_path / f".单位_2022_绩效自评材料.{dead}.abc123_x.tmp.zip"
    ours_zip.write_bytes(b"")
    running = tmp_path / f".单位_2022_绩效自评材料.{os.getpid()}.abc123_x.tmp"
    running.mkdir()
    theirs = [tmp_path / f".notes.{dead}.abc.tmp", tmp_path / "单位_2022_绩效自评材料", tmp_path / f"{LO_PREFIX}{dead}-x"]
    for path in theirs:
        path.mkdir()
    assert sorted(clean_stale_work(tmp_path)) == sorted([ours, ours_zip])
    assert running.exists() and all(p.exists() for p in theirs)
    assert clean_stale(tmp_path, LO_PATTERN) == [tmp_path / f"{LO_PREFIX}{dead}-x"]


def test_names_in_four_byte_characters_export(tmp_path, corrected):
    corrected["unit"] = "𠀀𠀁𪜀" * 40 + "😀" * 30  # CJK Extension B and emoji: 4 bytes each in UTF-8
    corrected["projects"][0]["name"] = "🏗️维修" * 40
    result = export_filing(corrected, tmp_path)
    names = [result.folder.name, result.zip_path.name, *(p.name for p in result.folder.iterdir())]
    assert all(len(name.encode("utf-8")) <= 255 for name in names)
    assert result.folder.name.startswith("𠀀𠀁𪜀") and result.folder.name.endswith("_2022_绩效自评材料")
    assert any(p.name.startswith("附件4-1 🏗") for p in result.folder.iterdir())

"""Run perfeval command lines in forked children with bounded time and memory (hostile-input suite).

    python tests/hostile_runner.py cases.json results.json

``cases.json`` is a list of ``{"name", "argv", "cwd"}``. The command line and its libraries are
imported once here; each case then runs in a child forked from this process, so it costs what the
command costs and nothing else is shared. A child gets an address-space limit (this process's own
size plus :data:`EXTRA_BYTES`) and a CPU-time limit; the parent kills it after
:data:`WALL_SECONDS`. For each case ``results.json`` holds the exit code, stdout and stderr (a
traceback the command let escape is caught and written to stderr, as the console script would
print it), the seconds it took, its peak resident memory, and whether it was killed.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

EXTRA_BYTES = 1536 * 1024 * 1024
CPU_SECONDS = 60
WALL_SECONDS = 90
OUTPUT_CHARS = 200_000


def _address_space() -> int:
    """This process's virtual size in bytes (the child starts with the same mappings)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _child(case: dict, write_fd: int, limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    os.chdir(case["cwd"])
    out, err = io.StringIO(), io.StringIO()
    code = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            from macros.cli import main

            code = main(case["argv"])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # noqa: BLE001 - the console script would print exactly this
            traceback.print_exc()
            code = 1
    payload = json.dumps({"code": code, "stdout": out.getvalue()[:OUTPUT_CHARS],
                          "stderr": err.getvalue()[:OUTPUT_CHARS]}, ensure_ascii=False).encode("utf-8")
    with os.fdopen(write_fd, "wb") as pipe:
        pipe.write(payload)
    os._exit(0)


def run_case(case: dict, limit: int) -> dict:
    """Run one case in a forked child; its result, timing and peak memory."""
    read_fd, write_fd = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            _child(case, write_fd, limit)
        finally:
            os._exit(3)
    os.close(write_fd)
    chunks, killed = [], False
    while True:  # read until the child closes the pipe (it ends), or kill it at the deadline
        remaining = start + WALL_SECONDS - time.monotonic()
        if remaining <= 0:
            os.kill(pid, signal.SIGKILL)
            killed = True
            break
        ready, _, _ = select.select([read_fd], [], [], min(remaining, 1.0))
        if ready:
            block = os.read(read_fd, 1 << 16)
            if not block:
                break
            chunks.append(block)
    _, status, usage = os.wait4(pid, 0)
    os.close(read_fd)
    try:
        result = json.loads(b"".join(chunks).decode("utf-8"))
    except ValueError:
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"status {os.WEXITSTATUS(status)}"
        result = {"code": None, "stdout": "", "stderr": f"child ended without a result ({how})"}
    result.update(seconds=round(time.monotonic() - start, 3), peak_mb=round(usage.ru_maxrss / 1024, 1),
                  killed=killed)
    return result


def main() -> None:
    cases = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    import macros.cli  # noqa: F401 - loaded once, shared by every child
    import workbook.reader  # noqa: F401
    from macros.cli import build_parser

    build_parser()  # imports every command module
    limit = _address_space() + EXTRA_BYTES
    baseline = run_case({"name": "baseline", "argv": ["rules"], "cwd": str(ROOT)}, limit)
    results = {"baseline": baseline}
    for case in cases:
        results[case["name"]] = run_case(case, limit)
    Path(sys.argv[2]).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

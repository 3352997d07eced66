"""UDF benchmark (run by hand): µs per call of PERF_SCORE and EXEC_RATE through xlwings' server code path.

Each call goes the way xlwings Lite / xlwings Server runs a custom function: an Office.js
shaped payload (every argument a 2-D list) into ``xlwings.server.custom_functions_call``,
argument conversion, our adapter, the cell function, the result conversion. Every figure is
printed with ratios against two baselines measured in the same run on the same machine:

- the direct ``xlfuncs.cellfuncs`` call with the same arguments (what the adapter wraps);
- a trivial UDF (returns its first argument) with the same number of arguments through the
  same server path, i.e. the cost of xlwings' own dispatch and conversion, which our code
  cannot reduce.

The server path is xlwings PRO code, used here only as a test harness under its PolyForm
Noncommercial licence (docs/runtimes.md).

    python bench/bench_udfs.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import types

os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw  # noqa: E402
import xlwings.server as server  # noqa: E402
from timing import median_seconds  # noqa: E402

from xlfuncs import cellfuncs, udfs  # noqa: E402
from xlfuncs.filing import embedded_seed, view  # noqa: E402


def payload(func: str, *args) -> dict:
    return {"client": "Office.js", "func_name": func, "args": [[[a]] for a in args],
            "caller_address": "[主工作簿.xlsx]附件3-1!H12", "session_id": "bench",
            "culture_info_name": "zh-CN", "date_format": "yyyy/m/d",
            "version": xw.__version__, "runtime": "1.4"}


def trivial_module() -> types.ModuleType:
    module = types.ModuleType("bench_trivial")

    @xw.func
    def ECHO(value, second=None, third=None):
        """Returns its first argument."""
        return value

    module.ECHO = ECHO
    return module


def main() -> None:
    rows = [(i.target.raw, i.actual.raw, i.points.raw) for t in view(embedded_seed()).tables
            for i in t.indicators]
    loop = asyncio.new_event_loop()
    trivial = trivial_module()
    perf_bodies = [payload("PERF_SCORE", t, a, p) for t, a, p in rows]
    rate_bodies = [payload("EXEC_RATE", 523.12, 31.6), payload("EXEC_RATE", 400, 400),
                   payload("EXEC_RATE", 40, 0)]
    echo3_bodies = [payload("ECHO", t, a, p) for t, a, p in rows]
    echo2_bodies = [payload("ECHO", 523.12, 31.6), payload("ECHO", 400, 400), payload("ECHO", 40, 0)]

    def through_server(bodies, module):
        def run():
            for body in bodies:
                loop.run_until_complete(server.custom_functions_call(body, module))
        return run

    def direct_perf():
        for t, a, p in rows:
            cellfuncs.perf_score(t, a, p)

    def direct_rate():
        cellfuncs.exec_rate(523.12, 31.6)
        cellfuncs.exec_rate(400, 400)
        cellfuncs.exec_rate(40, 0)

    n_perf, n_rate = len(rows), 3
    print(f"xlwings {xw.__version__}, server code path (custom_functions_call), {n_perf} seed indicator rows")
    perf_direct = median_seconds(direct_perf, number=50) / n_perf
    rate_direct = median_seconds(direct_rate, number=2000) / n_rate
    print(f"baselines: cellfuncs.perf_score {perf_direct * 1e6:.1f} µs, cellfuncs.exec_rate {rate_direct * 1e6:.2f} µs")
    for label in ("as installed", "pyodide import short-circuited"):
        if label != "as installed":
            # xlwings tries `from pyodide.ffi import JsNull` once per argument; on CPython that is a
            # failed import each time. A None entry makes it fail at once, as cheap as the cached
            # import inside Pyodide, so this row is closer to what xlwings Lite pays.
            sys.modules["pyodide"] = None
        perf = median_seconds(through_server(perf_bodies, udfs), number=20) / n_perf
        echo3 = median_seconds(through_server(echo3_bodies, trivial), number=20) / n_perf
        rate = median_seconds(through_server(rate_bodies, udfs), number=200) / n_rate
        echo2 = median_seconds(through_server(echo2_bodies, trivial), number=200) / n_rate
        print(f"[{label}]")
        print(f"  PERF_SCORE via server: {perf * 1e6:7.1f} µs/call  ratio vs direct cellfuncs "
              f"{perf / perf_direct:5.1f}×  vs trivial 3-argument UDF ({echo3 * 1e6:.1f} µs) {perf / echo3:5.2f}×")
        print(f"  EXEC_RATE  via server: {rate * 1e6:7.1f} µs/call  ratio vs direct cellfuncs "
              f"{rate / rate_direct:5.1f}×  vs trivial 2-argument UDF ({echo2 * 1e6:.1f} µs) {rate / echo2:5.2f}×")
    loop.close()

if __name__ == "__main__":
    main()

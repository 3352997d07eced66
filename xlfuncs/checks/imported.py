"""Checks about how a filing was imported (I1–I4), read from the filing's own ``import`` record,
``form`` and ``money_unit``: `perfeval import` and a later `perfeval validate` say the same.
The findings themselves are made in :mod:`xlfuncs.recognise.problems`."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..recognise import problems
from .context import Context, check


@check("I1")
def unplaced_cells(ctx: Context) -> Iterator[Finding]:
    yield from problems.unplaced(ctx.view.raw)


@check("I2")
def unrecognised_tables(ctx: Context) -> Iterator[Finding]:
    yield from problems.unrecognised(ctx.view.raw)


@check("I3")
def money_unit_label(ctx: Context) -> Iterator[Finding]:
    yield from problems.unit_mismatch(ctx.view.raw)


@check("I4")
def year_found(ctx: Context) -> Iterator[Finding]:
    if "import" in ctx.view.raw:  # only an imported filing can lack its year for this reason
        yield from problems.missing_year(ctx.view.raw)

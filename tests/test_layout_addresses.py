"""The official forms' addresses against a golden map (tests/data/form_addresses.json): a label,
an input or a result that moves fails here, in one place, with the address it moved from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbook.layouts.forms import department_form, project_form

GOLDEN = json.loads((Path(__file__).parent / "data" / "form_addresses.json").read_text(encoding="utf-8"))


def _addresses(form) -> dict:
    fields = {f.pointer: f.ref for f in form.all_fields()
              if "/indicators/" not in f.pointer or f.pointer.split("/indicators/")[1].startswith("0/")}
    labels = {s.ref: s.text for s in form.statics if s.text and s.ref[0] <= "I" and len(s.ref.split(":")[0]) <= 3}
    rows = {"funds": form.funds_row, "header": form.header_row, "total": form.total_row, "footer": form.footer_row}
    return {"fields": fields, "labels": labels, "rows": rows}


@pytest.mark.parametrize("form", [department_form(15, 1, summary_rows=(4, 4)), project_form(1, 15)],
                         ids=["附件1", "附件3-1"])
@pytest.mark.parametrize("part", ["fields", "labels", "rows"])
def test_form_addresses_match_the_golden_map(form, part):
    got, want = _addresses(form)[part], GOLDEN[form.sheet][part]
    moved = {key: (want.get(key), got.get(key)) for key in set(got) | set(want) if got.get(key) != want.get(key)}
    assert not moved, f"{form.sheet} {part}: (golden, now) {moved}"


def test_locator_and_summary_take_the_addresses_from_the_forms():
    """A field moved in the form layout moves everywhere: the locator and 项目汇总 read it there."""
    from workbook.layouts.locate import Locator, WorkbookShape
    from workbook.layouts.sheets import summary_sheet

    shape = WorkbookShape(1, 15)
    forms = shape.forms()
    project = forms[1]
    project.fields = [f if not f.pointer.endswith("/funds/total/full_year") else type(f)(f.pointer, "E9", *(
        getattr(f, k) for k in ("kind", "style", "formula", "claim_style", "validation", "filed_when_formula")))
        for f in project.fields]
    assert Locator(shape, forms).locate("/projects/0/funds/total/full_year") == ("附件3-1", "E9")
    links = {c.cell: c.formula.render("项目汇总") for c in summary_sheet(forms[0], forms[1:]).calcs}
    assert "'附件3-1'!E9" in links["E4"]

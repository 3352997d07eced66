"""Shared fixtures. xlwings' server code path is the test harness for UDFs and scripts, so its
switches must be set before anything imports xlwings (runtime-notes.md)."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def seed_data() -> dict:
    """The seed filing as filed (the package's embedded copy)."""
    from xlfuncs.filing import embedded_seed

    return embedded_seed()


@pytest.fixture
def seed(seed_data: dict) -> dict:
    """A fresh deep copy of the seed filing, safe to modify."""
    return copy.deepcopy(seed_data)


@pytest.fixture(scope="session")
def corrected_data() -> dict:
    """The seed with its errors corrected by hand (a correct filing)."""
    return json.loads((DATA / "lukou-2022-corrected.json").read_text(encoding="utf-8"))


@pytest.fixture
def corrected(corrected_data: dict) -> dict:
    """A fresh deep copy of the corrected filing."""
    return copy.deepcopy(corrected_data)


@pytest.fixture(scope="session")
def corrected_path() -> Path:
    """Path of the corrected filing JSON."""
    return DATA / "lukou-2022-corrected.json"


@pytest.fixture
def clean() -> dict:
    """A filing that validates with no finding at all."""
    from factories import make_clean_filing

    return make_clean_filing()

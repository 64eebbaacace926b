"""The participation tests' county, built once per test module.

Each module's county is written inside a transaction that is rolled back after the module's
last test; every test runs in a savepoint within it (pytest-django's ``db``), so tests see the
county as built and never each other's changes. (Built per test, the county cost 2–3 s of each
of some 150 tests.)
"""

import pytest

from .helpers import build_people, built_once, fresh

county_once = built_once(build_people)


@pytest.fixture
def county(county_once, db):
    return fresh(county_once)

"""The alerts tests' county, built once per test module (as participation's): each test runs in a
savepoint within it and sees the county as built."""

import pytest

from tests.factories import built_once, fresh

from .helpers import build_county

county_once = built_once(build_county)


@pytest.fixture
def county(county_once, db):
    return fresh(county_once)

"""The alerts tests' county, built once per test module (as participation's): each test runs in a
savepoint within it and sees the county as built."""

import pytest

from tests.factories import built_once, fresh, make_item

from .helpers import build_county, outbox_senders

county_once = built_once(build_county)


@pytest.fixture
def county(county_once, db):
    return fresh(county_once)


@pytest.fixture
def outbox():
    """Messages of every kind go to the test double's outbox (``OutboxSender.outbox``)."""
    from participation.senders import OutboxSender

    with outbox_senders():
        yield OutboxSender.outbox


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish an item as the factories do, with the commit's work (the fan-out task) run."""

    def publish(unit, title, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return make_item(unit, title, **fields)

    return publish

"""Province scale (issue 19): supervision's county pages read their per-unit figures in a fixed
number of queries. Each is asked in the small county, then after the county has grown to four times
its units: the number of queries must not move, and the figures must still be right."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure_pages.choices import UnitType
from disclosure_pages.models import UnitPage
from tests.factories import make_member, make_unit, reload

from .evaluation_county import county, county_once, make_round, today  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("today")


def queries(client, url):
    """(number of queries, page) of ``url``, asked a second time (the first warms the caches)."""
    cache.clear()
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def grow(county):
    """Three townships of five villages (four times the six units), each unit with one member."""
    for number in range(3):
        township = make_unit(reload(county.county), f"中共新区{number}镇委员会", f"QX-XQ{number}", UnitType.TOWNSHIP,
                             f"新区{number}镇党委", county.catalogue)
        make_member(township, f"xq{number}-member")
        for village in range(5):
            unit = make_unit(township, f"新区{number}镇{village}村党支部", f"QX-XQ{number}-{village}", UnitType.VILLAGE, "", county.catalogue)
            make_member(unit, f"xq{number}-{village}-member")
    return UnitPage.objects.count()


def eligible(page, title):
    return int(re.search(rf'<td class="title">{title}</td><td>(\d+)</td>', page).group(1))


def test_the_turnout_of_a_round_reads_the_same_number_of_queries_for_four_times_the_units(client, county):
    evaluation_round = make_round(county.satisfaction)
    client.force_login(county.people.county_officer)
    url = reverse("supervision_evaluation:round", args=[evaluation_round.pk])
    small, page = queries(client, url)
    # Two members and a supervisor (also a member of a village: counted there too); the officer does not vote.
    assert eligible(page, "中共城关镇委员会") == 3
    assert eligible(page, "东关村党支部") == 1

    assert grow(county) == 6 * 4
    large, page = queries(client, url)
    assert large == small
    assert eligible(page, "中共城关镇委员会") == 3
    assert eligible(page, "新区2镇4村党支部") == 1


def test_the_board_and_the_ranking_read_the_same_number_of_queries_for_four_times_the_units(client, county):
    client.force_login(county.people.county_officer)
    pages = [reverse("supervision_board:board"), reverse("supervision_assessment:ranking")]
    small = [queries(client, url)[0] for url in pages]
    grow(county)
    assert [queries(client, url)[0] for url in pages] == small
    assert "新区2镇党委" in queries(client, pages[0])[1]  # a section of its own on the board

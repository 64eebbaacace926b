"""Measure the item edit view at two sizes (not part of the suite)."""
import os, re, time, json
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from disclosure_pages.choices import UnitType
from tests.factories import build_tree, make_item, make_unit, make_user, reload
from tests.workflows.helpers import add_url, edit_url

SIZES = [int(s) for s in os.environ.get("SIZES", "100,400").split(",")]

def parts(html):
    out = {}
    for name in ("named_units", "named_groups", "named_people", "catalogue_entry"):
        m = re.search(r'<select[^>]*name="%s".*?</select>' % name, html, re.S)
        out[name] = len(m.group(0)) if m else 0
    out["options_total"] = sum(len(x) for x in re.findall(r"<option[^>]*>[^<]*</option>", html))
    for m in re.finditer(r'<script[^>]*>(.*?)</script>', html, re.S):
        if len(m.group(1)) > 5000:
            out["script:" + m.group(0)[:80]] = len(m.group(1))
    for m in re.finditer(r'data-[\w-]+="([^"]{5000,})"', html):
        out["attr:" + m.group(0)[:60]] = len(m.group(1))
    return out

@pytest.mark.django_db
def test_measure(client):
    t = build_tree()
    township = reload(t.township)
    officer = make_user("officer", township.officers_group)
    approver = make_user("approver", township.leading_group)
    admin = make_user("admin", is_superuser=True, is_staff=True)
    item = make_item(township, "测试事项", publish=True)
    made = 0
    results = []
    for size in SIZES:
        start = time.time()
        while made < size:
            made += 1
            make_unit(reload(t.county), f"测试第{made}党支部", f"QX-T{made}", UnitType.VILLAGE)
        print(f"built {size} units in {time.time()-start:.1f}s")
        for user in (officer, approver, admin):
            client.force_login(user)
            for label, url in (("edit", edit_url(item)), ("add", add_url(township))):
                client.get(url)
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    r = client.get(url)
                    elapsed = time.perf_counter() - start
                html = r.content.decode()
                results.append((size, user.username, label, r.status_code, len(r.content), len(ctx), round(elapsed, 3)))
                print(results[-1], json.dumps(parts(html), ensure_ascii=False) if user is admin and label=="edit" else "")
                if user is admin and label == "edit":
                    open(f"/tmp/hch/edit-{size}.html", "w").write(html)
    print("load", os.getloadavg())

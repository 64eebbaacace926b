"""Drive the review workflow through the admin the way a browser does.

The item form is the exact POST data of the item editor (``tests.factories.item_form``);
workflow actions are posted to Wagtail's action
dialog with the ``X-Requested-With`` header its JavaScript sends.
"""

import re

from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import TaskState

from disclosure_pages.models import DisclosureItemPage
from tests.factories import item_form, make_user

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def edit_form(item, **fields):
    """The editor's POST data for an existing item, with ``fields`` changed."""
    draft = item.get_latest_revision_as_object()
    data = item_form(
        title=draft.title, slug=draft.slug, summary=draft.summary, scope=draft.scope, importance=draft.importance
    )
    data.update(fields)
    return data


def add_url(unit):
    return reverse("wagtailadmin_pages:add", args=["disclosure_pages", "disclosureitempage", unit.pk])


def edit_url(item):
    return reverse("wagtailadmin_pages:edit", args=[item.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def submit_new_item(client, unit, title="关于2024年第一季度党费收缴情况的公示", **fields):
    """Create an item in the editor and press 提交审核; returns the item."""
    data = item_form(title=title, **fields)
    data["action-submit"] = "提交审核"
    response = client.post(add_url(unit), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return DisclosureItemPage.objects.get(slug=data["slug"])


def resubmit(client, item, **fields):
    data = edit_form(item, **fields)
    data["action-submit"] = "提交审核"
    return client.post(edit_url(item), data)


def current_state(item):
    state = item.current_workflow_state
    return state.current_task_state.specific if state and state.current_task_state else None


def act(client, item, action, task_state=None, follow=True, **data):
    """Post a workflow action from Wagtail's dialog; returns (JSON of the dialog, messages shown after)."""
    task_state = task_state or current_state(item)
    url = reverse("wagtailadmin_pages:workflow_action", args=[item.pk, action, task_state.pk])
    response = client.post(url, data, **XHR)
    if response.status_code in (302, 403):
        # Refused before reaching the task: Wagtail's own checks (not in review, no action for this user).
        return {"step": "refused", "status": response.status_code}, messages_of(response)
    payload = response.json()
    if payload.get("step") != "success" or not follow:
        return payload, []
    outcome = client.get(payload["redirect"])
    return payload, messages_of(outcome)


def approve(client, item, comment="", **kwargs):
    return act(client, item, "approve", confidentiality_confirmed="on", comment=comment, **kwargs)


def reject(client, item, comment, **kwargs):
    return act(client, item, "reject", comment=comment, **kwargs)


def task_states(item, **filters):
    return TaskState.objects.filter(workflow_state__object_id=str(item.pk), **filters).order_by("pk")


def people(t):
    """The people of the small county: officers and approvers of two townships, the county office, a superuser."""
    from tests.factories import reload

    township, township2, county = reload(t.township), reload(t.township2), reload(t.county)
    return {
        "officer": make_user("cgz-officer", township.officers_group, email="officer@cgz.example", first_name="李晓芸"),
        "approver": make_user("cgz-approver", township.leading_group, email="approver@cgz.example", first_name="杨建华"),
        "approver2": make_user("cgz-approver2", township.leading_group, email="approver2@cgz.example"),
        "officer2": make_user("sqz-officer", township2.officers_group, email="officer@sqz.example"),
        "approver_b": make_user("sqz-approver", township2.leading_group, email="approver@sqz.example"),
        "reviewer": make_user("county-reviewer", county.leading_group, email="reviewer@county.example", first_name="赵明远"),
        "county_officer": make_user("county-officer", county.officers_group, email="officer@county.example"),
        "admin": make_user("admin", is_superuser=True, is_staff=True, email="admin@county.example"),
    }


def action_buttons(response):
    """The labels of the editor's footer actions, the primary button first."""
    html = response.content.decode()
    footer = html[html.find('<footer'):]
    footer = footer[: footer.find("</footer>")]
    labels = []
    for match in re.finditer(r"<(button|a)\b[^>]*>(.*?)</\1>", footer, re.S):
        text = re.sub(r"<[^>]+>", "", match.group(2)).strip()
        if text and text != "更多动作":  # the toggle of the menu
            labels.append(re.sub(r"\s+", " ", text))
    return labels

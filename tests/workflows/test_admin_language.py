"""The admin in the user's language: no English left on the screens our users see (issue 14).

Wagtail's own Chinese catalogues have gaps ("35 Pages", "Search all pages…", "Autosave is
paused"); ``locale/zh_Hans`` fills them and ``make_traditional_catalogue`` converts them, with
our own messages, into ``locale/zh_Hant``. Each screen is read as an officer and as an approver
whose admin language is 简体 and then 繁體.
"""

import json
import re
from html.parser import HTMLParser

from django.urls import reverse
from wagtail.users.models import UserProfile

from .helpers import act, add_url, approve, edit_url, item_form, submit_new_item
from .test_models import ReviewTestCase

# English seen on these screens before the catalogues were filled in.
SEEN_IN_ENGLISH = [
    "Pages",
    "Search all pages",
    "could not be created due to validation errors",
    "could not be saved",
    "Autosave is",
    "is awaiting",
    "workflow",
    "Page types usage",
    "Privacy and access",
    "Shortcuts",
    "Keyboard shortcuts are currently",
    "Go to the first error",
    "Schedule to publish",
    "second ago",
    "None",
    "Actions",
]

# Latin words that belong in a Chinese admin: keys, brands, examples and our test data.
LATIN_ALLOWED = re.compile(
    r"^(Alt|Ctrl|Shift|Esc|Wagtail|JavaScript|URL|http|domain|com|work|my-work|testserver|QX[-A-Z]*"
    r"|Moderators|Editors|admin|[a-z]+-(officer|approver|reviewer)|Link)$"
)


class VisibleText(HTMLParser):
    """What a user reads or a screen reader announces: text, titles, labels and placeholders."""

    def __init__(self):
        super().__init__()
        self.hidden, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.hidden.append(tag)
        self.parts += [value for name, value in attrs if name in ("title", "aria-label", "placeholder", "alt") and value]

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(response):
    parser = VisibleText()
    # Elements hidden until needed (e.g. the side panel's error counter) are not read.
    parser.feed(re.sub(r"<(\w+)\b[^>]*\shidden\b[^>]*>[^<]*</\1>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def english_in(text):
    words = re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text)
    return sorted({word for word in words if not LATIN_ALLOWED.match(word)})


class AdminLanguageTests(ReviewTestCase):
    def as_user(self, name, language):
        profile = UserProfile.get_for_user(self.p[name])
        profile.preferred_language = language
        profile.save()
        self.client.force_login(self.p[name])

    def screens(self, language):
        """(screen, visible text) as the officer, then as the approver, one item waiting at each tier."""
        self.as_user("officer", language)
        waiting = submit_new_item(self.client, self.t.township, title="城关镇2024年第一季度党费收缴情况")
        important = submit_new_item(self.client, self.t.township, title="城关镇党委关于调整班子分工的决定", importance="important")
        yield "dashboard", self.client.get(reverse("wagtailadmin_home"))
        yield "explorer", self.client.get(reverse("wagtailadmin_explore", args=[self.t.township.pk]))
        invalid = item_form(title="")
        invalid["action-submit"] = "提交审核"
        yield "editor with a validation error", self.client.post(add_url(self.t.township), invalid)
        yield "editor of an item in review", self.client.get(edit_url(waiting))
        self.as_user("approver", language)
        approve(self.client, important)
        yield "approver's dashboard", self.client.get(reverse("wagtailadmin_home"))
        yield "approver's editor", self.client.get(edit_url(waiting))
        self.as_user("officer", language)
        yield "editor of an item at the county", self.client.get(edit_url(important))

    def check(self, language, chinese):
        seen = {}
        for screen, response in self.screens(language):
            self.assertEqual(response.status_code, 200, screen)
            text = visible_text(response)
            seen[screen] = text
            for english in SEEN_IN_ENGLISH:
                self.assertNotIn(english, text, f"{screen} ({language})")
            self.assertEqual(english_in(text), [], f"{screen} ({language})")
        for screen, phrase in chinese:
            self.assertIn(phrase, seen[screen], f"{screen} ({language})")

    def test_simplified(self):
        self.check(
            "zh-hans",
            [
                ("dashboard", "个页面"),
                ("dashboard", "键盘快捷键"),
                ("dashboard", "搜索全部页面"),
                ("editor with a validation error", "存在校验错误，页面未能创建。"),
                ("editor with a validation error", "自动保存已暂停"),
                ("editor of an item at the county", "审核流程中等待"),
                ("editor of an item in review", "审核"),
                ("approver's dashboard", "待我审核"),
            ],
        )

    def test_traditional(self):
        self.check(
            "zh-hant",
            [
                ("dashboard", "個頁面"),
                ("dashboard", "鍵盤快捷鍵"),
                ("dashboard", "搜索全部頁面"),
                ("editor with a validation error", "存在校驗錯誤，頁面未能創建。"),
                ("editor with a validation error", "自動保存已暫停"),
                ("editor of an item at the county", "審核流程中等待"),
                ("approver's dashboard", "待我審核"),
            ],
        )

    def test_our_own_messages_in_traditional(self):
        """Validation and workflow messages of the apps, written in Simplified, reach a 繁體 user converted."""
        self.as_user("officer", "zh-hant")
        data = item_form(title="城关镇2024年第二季度党费收缴情况", document_number="城组〔2024〕1号")
        data["document_date"] = ""
        response = self.client.post(add_url(self.t.township), data)
        self.assertContains(response, "填寫文號時須同時填寫成文日期。")
        self.assertNotContains(response, "填写文号时须同时填写成文日期。")

        item = submit_new_item(self.client, self.t.township)
        self.as_user("approver", "zh-hant")
        payload, _ = act(self.client, item, "approve", comment="")
        self.assertIn("審核通過前須完成保密審查並勾選確認。", payload["html"])
        _, shown = approve(self.client, item)
        self.assertTrue(any("審核通過" in message and "您已在" in message for message in shown), shown)

    def test_the_admin_javascript_catalogue(self):
        for language, phrase in (("zh-hans", "正在自动保存…"), ("zh-hant", "正在自動保存…")):
            self.as_user("officer", language)
            response = self.client.get("/admin/jsi18n/")
            catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S).group(1))
            self.assertEqual(catalogue["Autosave in progress…"], phrase)
            self.assertNotIn("Write something or type", json.dumps(catalogue, ensure_ascii=False).split(":")[-1])


class FieldLabelsInTraditionalTests(ReviewTestCase):
    """Field labels, panel headings, help texts and the catalogue admin, written in Simplified, reach a 繁體 user converted."""

    LABELS = {
        "editor": ["所属目录", "公开阶段", "事项类别", "意见征集截止日期", "撤回/撤除（须申请并经审核）", "更新记录", "更新说明"],
        "catalogue entries": ["目录条目", "公开时限"],
    }

    def screens(self):
        yield "editor", self.client.get(add_url(self.t.township))
        yield "catalogue entries", self.client.get(reverse("wagtailsnippets_disclosure_pages_catalogueentry:list"))

    def test_labels_follow_the_admin_language(self):
        from chinese.conversion import convert

        for language in ("zh-hans", "zh-hant"):
            profile = UserProfile.get_for_user(self.p["officer"])
            profile.preferred_language = language
            profile.save()
            self.client.force_login(self.p["officer"])
            for screen, response in self.screens():
                text = visible_text(response)
                for label in self.LABELS[screen]:
                    shown, other = (label, convert(label, "s2tw")) if language == "zh-hans" else (convert(label, "s2tw"), label)
                    self.assertNotEqual(shown, other, label)  # each label differs between the scripts
                    with self.subTest(screen=screen, language=language, label=label):
                        self.assertIn(shown, text)
                        self.assertNotIn(other, text)

"""The content model: validation (messages in Chinese), unit groups, the unit tree, change notes, validity."""

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.test import RequestFactory, TestCase
from django.utils import timezone
from wagtail.models import GroupPagePermission, PageViewRestriction

from disclosure_pages.choices import Scope, Stage, UnitType, Validity
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, ItemChangeNote, UnitPage
from disclosure_pages.visibility import user_can_view
from tests.factories import build_tree, d, edit_and_publish, make_catalogue, make_item, make_member, make_unit, make_user, reload


def validation_errors(unit, **fields):
    """The errors the admin shows for a new item under ``unit`` (the form sets the unit first)."""
    fields.setdefault("title", "待校验事项")
    fields.setdefault("slug", "to-validate")
    item = DisclosureItemPage(**{k: v for k, v in fields.items() if not k.startswith("named_")})
    item.unit = unit
    for name in ("named_units", "named_groups", "named_people"):
        setattr(item, name, fields.get(name, []))
    try:
        # Like the admin form: tree fields are set when the page is added, not typed in.
        item.full_clean(exclude=["path", "depth"])
    except ValidationError as error:
        return error.message_dict
    return {}


def can_open(item, user):
    """Whether Wagtail's own check lets ``user`` open the item page (every restriction passes)."""
    request = RequestFactory().get(item.url)
    request.user = user
    return all(restriction.accept_request(request) for restriction in item.get_view_restrictions())


class ItemValidationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.numbered = make_item(
            cls.t.township, "关于调整城关镇党委班子成员分工的通知", document_number="城党发〔2024〕3号", document_date=d("2024-03-01")
        )

    def test_expiry_before_effective_date(self):
        errors = validation_errors(self.t.township, effective_date=d("2024-03-01"), expiry_date=d("2024-02-28"))
        self.assertEqual(errors["expiry_date"], ["失效日期不能早于生效日期。"])

    def test_expiry_on_or_after_effective_date_is_accepted(self):
        self.assertEqual(validation_errors(self.t.township, effective_date=d("2024-03-01"), expiry_date=d("2024-03-01")), {})

    def test_expired_needs_an_expiry_date(self):
        errors = validation_errors(self.t.township, validity=Validity.EXPIRED)
        self.assertEqual(errors["expiry_date"], ["标记为“已失效”时须填写失效日期。"])

    def test_publish_date_before_document_date(self):
        errors = validation_errors(self.t.township, document_date=d("2024-03-01"), publish_date=d("2024-02-01"))
        self.assertEqual(errors["publish_date"], ["发布日期不能早于成文日期。"])

    def test_duplicate_document_number_in_same_unit_and_year(self):
        errors = validation_errors(self.t.township, document_number="城党发〔2024〕3号", document_date=d("2024-11-20"))
        self.assertEqual(
            errors["document_number"],
            ["本单位2024年已有文号为“城党发〔2024〕3号”的事项：“关于调整城关镇党委班子成员分工的通知”。"],
        )

    def test_duplicate_document_number_is_refused_when_saving_too(self):
        item = DisclosureItemPage(
            title="重复文号的事项", slug="dup", document_number="城党发〔2024〕3号", document_date=d("2024-05-01")
        )
        item.unit = self.t.township
        with self.assertRaises(ValidationError) as raised:
            self.t.township.add_child(instance=item)
        self.assertIn("document_number", raised.exception.message_dict)
        self.assertFalse(DisclosureItemPage.objects.filter(title="重复文号的事项").exists())

    def test_same_document_number_in_another_year_is_accepted(self):
        self.assertEqual(validation_errors(self.t.township, document_number="城党发〔2024〕3号", document_date=d("2025-01-10")), {})
        item = make_item(self.t.township, "次年同号事项", document_number="城党发〔2024〕3号", document_date=d("2025-01-10"))
        self.assertTrue(item.live)
        self.assertEqual(item.document_year, 2025)

    def test_same_document_number_in_another_unit_is_accepted(self):
        self.assertEqual(validation_errors(self.t.township2, document_number="城党发〔2024〕3号", document_date=d("2024-03-01")), {})
        item = make_item(self.t.township2, "他单位同号事项", document_number="城党发〔2024〕3号", document_date=d("2024-03-01"))
        self.assertTrue(item.live)

    def test_editing_an_item_keeps_its_own_document_number(self):
        item = edit_and_publish(self.numbered, title="关于调整城关镇党委班子成员分工的通知（修订）")
        self.assertEqual(item.document_number, "城党发〔2024〕3号")
        self.assertEqual(item.title, "关于调整城关镇党委班子成员分工的通知（修订）")

    def test_document_number_needs_a_document_date(self):
        errors = validation_errors(self.t.township, document_number="城党发〔2024〕9号")
        self.assertEqual(errors["document_date"], ["填写文号时须同时填写成文日期。"])

    def test_stage_link_to_another_units_item(self):
        other = make_item(self.t.township2, "石桥镇村级活动场所建设方案（征求意见稿）", stage=Stage.PRE_DISCLOSURE)
        errors = validation_errors(self.t.township, stage=Stage.DECISION, previous_stage=other)
        self.assertEqual(
            errors["previous_stage"],
            ["所关联的上一阶段事项属于其他单位，只能关联本单位同一事项的其他阶段。"],
        )

    def test_wrong_stage_order(self):
        decision = make_item(self.t.township, "城关镇集体资产处置决定", stage=Stage.DECISION)
        errors = validation_errors(self.t.township, stage=Stage.DECISION, previous_stage=decision)
        self.assertEqual(
            errors["previous_stage"],
            ["“决策公开”不能接在“决策公开”之后：决策公开应关联预公开事项，结果公开应关联决策或预公开事项。"],
        )
        errors = validation_errors(self.t.township, stage=Stage.PRE_DISCLOSURE, previous_stage=decision)
        self.assertIn("“预公开”不能接在“决策公开”之后", errors["previous_stage"][0])

    def test_right_stage_order_is_accepted(self):
        pre = make_item(self.t.township, "城关镇集体资产处置方案（征求意见）", stage=Stage.PRE_DISCLOSURE, comment_deadline=d("2024-04-01"))
        self.assertEqual(validation_errors(self.t.township, stage=Stage.DECISION, previous_stage=pre), {})
        decision = make_item(self.t.township, "城关镇集体资产处置决定（正式）", stage=Stage.DECISION, previous_stage=pre)
        self.assertEqual(validation_errors(self.t.township, stage=Stage.RESULT, previous_stage=decision), {})

    def test_comment_deadline_only_for_pre_disclosure(self):
        errors = validation_errors(self.t.township, stage=Stage.RESULT, comment_deadline=d("2024-04-01"))
        self.assertEqual(errors["comment_deadline"], ["只有预公开事项才设置意见征集截止日期。"])

    def test_named_scope_without_names(self):
        errors = validation_errors(self.t.township, scope=Scope.NAMED)
        self.assertEqual(errors["scope"], ["公开范围为“向指定组织或人员公开”时，须至少指定一个组织、用户组或人员。"])

    def test_named_scope_with_a_unit_or_a_person_is_accepted(self):
        self.assertEqual(validation_errors(self.t.township, scope=Scope.NAMED, named_units=[self.t.township2]), {})
        person = make_user("zhangsan")
        self.assertEqual(validation_errors(self.t.township, scope=Scope.NAMED, named_people=[person]), {})

    def test_catalogue_entry_not_in_units_catalogue(self):
        _, _, other_entries = make_catalogue("邻县党务公开目录")
        errors = validation_errors(self.t.township, catalogue_entry=other_entries["党费收缴使用"])
        self.assertEqual(errors["catalogue_entry"], ["所选目录条目不在本单位的公开目录中。"])

    def test_another_units_local_entry_is_not_in_this_units_catalogue(self):
        area = self.t.areas["组织建设"]
        local = CatalogueEntry.objects.create(area=area, unit=self.t.township2, name="石桥镇“三会一课”记录", timing="standing")
        errors = validation_errors(self.t.township, catalogue_entry=local)
        self.assertEqual(errors["catalogue_entry"], ["所选目录条目不在本单位的公开目录中。"])
        self.assertEqual(validation_errors(self.t.township2, catalogue_entry=local), {})

    def test_county_entry_is_in_every_adopting_units_catalogue(self):
        entry = self.t.entries["党费收缴使用"]
        for unit in (self.t.county, self.t.township, self.t.village1, self.t.department):
            self.assertEqual(validation_errors(unit, catalogue_entry=entry), {}, unit.title)

    def test_invalid_draft_is_not_saved_as_a_revision(self):
        draft = self.numbered.get_latest_revision_as_object()
        draft.effective_date, draft.expiry_date = d("2024-05-01"), d("2024-04-01")
        revisions = self.numbered.revisions.count()
        with self.assertRaises(ValidationError):
            draft.save_revision()
        self.assertEqual(self.numbered.revisions.count(), revisions)

    def test_duplicate_unit_code(self):
        unit = UnitPage(title="另一个城关镇", slug="another", code="QX-CGZ", unit_type=UnitType.TOWNSHIP)
        with self.assertRaises(ValidationError) as raised:
            unit.full_clean(exclude=["path", "depth"])
        self.assertEqual(raised.exception.message_dict["code"], ["单位编码“QX-CGZ”已被“中共城关镇委员会”使用。"])

    def test_bad_unit_code(self):
        unit = UnitPage(title="某村", slug="some", code="某村", unit_type=UnitType.VILLAGE)
        with self.assertRaises(ValidationError) as raised:
            unit.full_clean(exclude=["path", "depth"])
        self.assertEqual(raised.exception.message_dict["code"], ["单位编码只能包含字母、数字和连字符，长度 2–32 位。"])


class UnitGroupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()

    def test_groups_are_created_with_the_unit_and_named_after_it(self):
        unit = make_unit(self.t.county, "中共白沙乡委员会", "QX-BSX", UnitType.TOWNSHIP, "白沙乡党委")
        names = {
            "officers_group": "白沙乡党委（QX-BSX）公开专员",
            "leading_group": "白沙乡党委（QX-BSX）领导小组",
            "members_group": "白沙乡党委（QX-BSX）党员",
            "supervisors_group": "白沙乡党委（QX-BSX）监督员",
        }
        unit = reload(unit)
        for field, name in names.items():
            self.assertEqual(getattr(unit, field).name, name)
        self.assertEqual(Group.objects.filter(name__in=names.values()).count(), 4)

    def test_a_unit_without_short_name_uses_its_title(self):
        self.assertEqual(reload(self.t.village1).members_group.name, "东关村党支部（QX-CGZ-DGC）党员")

    def test_page_permissions_of_the_groups(self):
        unit = reload(self.t.township)

        def codenames(group):
            return set(GroupPagePermission.objects.filter(group=group, page=unit).values_list("permission__codename", flat=True))

        self.assertEqual(codenames(unit.officers_group), {"add_page", "change_page"})
        self.assertEqual(codenames(unit.leading_group), {"add_page", "change_page"})
        self.assertEqual(codenames(unit.members_group), set())
        self.assertEqual(codenames(unit.supervisors_group), set())
        access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        self.assertIn(access_admin, unit.officers_group.permissions.all())
        self.assertIn(access_admin, unit.leading_group.permissions.all())
        self.assertNotIn(access_admin, unit.members_group.permissions.all())

    def test_officers_edit_in_their_unit_and_below_only(self):
        officer = make_user("cgz-officer", reload(self.t.township).officers_group)
        leader = make_user("cgz-leader", reload(self.t.township).leading_group)
        self.assertTrue(self.t.township.permissions_for_user(officer).can_edit())
        # Their villages' sections only with SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES (workflows' policy).
        self.assertFalse(reload(self.t.village1).permissions_for_user(officer).can_edit())
        with self.settings(SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES=True):
            officer = type(officer).objects.get(pk=officer.pk)  # its unit reach is cached per user object
            self.assertTrue(reload(self.t.village1).permissions_for_user(officer).can_edit())
        self.assertFalse(self.t.township.permissions_for_user(officer).can_publish())
        self.assertFalse(self.t.township.permissions_for_user(leader).can_publish())  # publishing is the workflow's
        self.assertFalse(self.t.township2.permissions_for_user(officer).can_edit())
        self.assertFalse(self.t.county.permissions_for_user(leader).can_edit())

    def test_deleting_a_unit_deletes_its_groups_and_its_sub_units_groups(self):
        township = reload(self.t.township)
        person = make_user("named-person")
        make_item(township, "城关镇定向公开事项", scope=Scope.NAMED, named_people=[person])
        audience_group_id = DisclosureItemPage.objects.get(title="城关镇定向公开事项").audience_group_id
        self.assertIsNotNone(audience_group_id)
        doomed = {g.pk for unit in (township, reload(self.t.village1), reload(self.t.village2)) for g in unit.groups()}
        doomed.add(audience_group_id)
        kept = {g.pk for unit in (reload(self.t.township2), reload(self.t.county)) for g in unit.groups()}
        self.assertEqual(len(doomed), 13)

        township.delete()

        self.assertFalse(Group.objects.filter(pk__in=doomed).exists())
        self.assertFalse(Group.objects.filter(name__contains="QX-CGZ").exists())
        self.assertEqual(Group.objects.filter(pk__in=kept).count(), 8)

    def test_moving_a_unit_keeps_its_groups(self):
        before = {field: getattr(reload(self.t.village1), f"{field}_id") for field, _ in UnitPage.GROUP_ROLES}
        reload(self.t.village1).move(reload(self.t.township2), pos="last-child")
        village = reload(self.t.village1)
        self.assertEqual(village.get_parent().pk, self.t.township2.pk)
        self.assertEqual({field: getattr(village, f"{field}_id") for field, _ in UnitPage.GROUP_ROLES}, before)
        self.assertEqual(village.members_group.name, "东关村党支部（QX-CGZ-DGC）党员")

    def test_moving_a_unit_changes_who_sees_unit_scoped_items(self):
        cgz_item = make_item(self.t.township, "城关镇党委会议纪要（本单位及下级）", scope=Scope.UNIT_MEMBERS)
        sqz_item = make_item(self.t.township2, "石桥镇党委会议纪要（本单位及下级）", scope=Scope.UNIT_MEMBERS)
        mover = make_member(self.t.village1, "dgc-member")
        stayer = make_member(self.t.village2, "xgc-member")
        self.assertTrue(user_can_view(cgz_item, mover))
        self.assertTrue(can_open(cgz_item, mover))
        self.assertFalse(user_can_view(sqz_item, mover))
        self.assertFalse(can_open(sqz_item, mover))

        reload(self.t.village1).move(reload(self.t.township2), pos="last-child")

        self.assertFalse(user_can_view(cgz_item, mover))
        self.assertFalse(can_open(reload(cgz_item), mover))
        self.assertTrue(user_can_view(sqz_item, mover))
        self.assertTrue(can_open(reload(sqz_item), mover))
        self.assertTrue(user_can_view(cgz_item, stayer))
        self.assertFalse(user_can_view(sqz_item, stayer))

    def test_a_new_village_joins_the_audience_of_its_townships_unit_items_and_party_items(self):
        unit_item = make_item(self.t.township, "城关镇年度工作要点（本单位及下级）", scope=Scope.UNIT_MEMBERS)
        party_item = make_item(self.t.department, "县财政局党组理论学习安排（全体党员）", scope=Scope.ALL_MEMBERS)
        other_item = make_item(self.t.township2, "石桥镇年度工作要点（本单位及下级）", scope=Scope.UNIT_MEMBERS)
        village = make_unit(self.t.township, "南关村党支部", "QX-CGZ-NGC", UnitType.VILLAGE)
        member = make_member(reload(village), "ngc-member")
        self.assertTrue(user_can_view(unit_item, member))
        self.assertTrue(user_can_view(party_item, member))
        self.assertFalse(user_can_view(other_item, member))

    def test_moving_an_item_to_another_unit_moves_its_audience(self):
        item = make_item(self.t.township, "城关镇党建工作台账", scope=Scope.UNIT_MEMBERS, catalogue_entry=self.t.entries["发展党员"])
        old_member = make_member(self.t.township, "cgz-member")
        new_member = make_member(self.t.township2, "sqz-member")
        self.assertTrue(user_can_view(item, old_member))

        reload(item).move(reload(self.t.township2), pos="last-child")

        item = reload(item)
        self.assertEqual(item.unit_id, self.t.township2.pk)
        self.assertFalse(user_can_view(item, old_member))
        self.assertFalse(can_open(item, old_member))
        self.assertTrue(user_can_view(item, new_member))
        self.assertTrue(can_open(item, new_member))


    def test_moving_an_item_with_the_old_units_local_entry_still_moves_its_audience(self):
        local = CatalogueEntry.objects.create(
            area=self.t.areas["组织建设"], unit=self.t.township, name="城关镇“红色物业”工作", timing="standing"
        )
        item = make_item(self.t.township, "城关镇红色物业工作情况", scope=Scope.UNIT_MEMBERS, catalogue_entry=local)
        old_member = make_member(self.t.township, "cgz-member")
        new_member = make_member(self.t.township2, "sqz-member")

        reload(item).move(reload(self.t.township2), pos="last-child")

        item = reload(item)
        self.assertEqual(item.unit_id, self.t.township2.pk)
        self.assertFalse(user_can_view(item, old_member))
        self.assertFalse(can_open(item, old_member))
        self.assertTrue(user_can_view(item, new_member))
        # The entry no longer fits: the next edit asks for one of the new unit's entries.
        self.assertEqual(validation_errors(self.t.township2, catalogue_entry=local)["catalogue_entry"], ["所选目录条目不在本单位的公开目录中。"])


class ItemLifecycleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.item = make_item(
            cls.t.township, "城关镇2024年党费收缴使用情况", catalogue_entry=cls.t.entries["党费收缴使用"], document_date=d("2024-04-05")
        )

    def test_the_unit_is_the_parent_unit(self):
        self.assertEqual(self.item.unit_id, self.t.township.pk)

    def test_publish_date_defaults_to_the_first_publication_day(self):
        self.assertEqual(self.item.publish_date, timezone.localdate())
        draft = make_item(self.t.township, "未发布事项", publish=False)
        self.assertIsNone(draft.publish_date)

    def test_change_notes_are_public_only_once_published(self):
        draft = self.item.get_latest_revision_as_object()
        draft.summary = "更正了第二季度的收缴金额"
        draft.change_notes.add(ItemChangeNote(date=d("2024-07-02"), note="更正第二季度党费收缴金额"))
        draft.save_revision()
        self.assertFalse(ItemChangeNote.objects.filter(item=self.item).exists())

        reload(self.item).get_latest_revision().publish()

        notes = list(ItemChangeNote.objects.filter(item=self.item).values_list("date", "note"))
        self.assertEqual(notes, [(d("2024-07-02"), "更正第二季度党费收缴金额")])
        self.assertEqual(reload(self.item).summary, "更正了第二季度的收缴金额")

    def test_change_notes_accumulate_across_republications(self):
        draft = self.item.get_latest_revision_as_object()
        draft.change_notes.add(ItemChangeNote(date=d("2024-07-02"), note="第一次更正"))
        draft.save_revision().publish()
        draft = reload(self.item).get_latest_revision_as_object()
        draft.change_notes.add(ItemChangeNote(date=d("2024-08-15"), note="第二次更正"))
        draft.save_revision().publish()
        self.assertEqual(
            list(ItemChangeNote.objects.filter(item=self.item).order_by("date").values_list("note", flat=True)),
            ["第一次更正", "第二次更正"],
        )

    def test_current_validity_is_expired_after_the_expiry_date(self):
        today = timezone.localdate()
        item = edit_and_publish(self.item, effective_date=today - timedelta(days=30), expiry_date=today - timedelta(days=1))
        self.assertEqual(item.validity, Validity.VALID)
        self.assertEqual(item.current_validity, Validity.EXPIRED)
        self.assertEqual(item.get_current_validity_display(), "已失效")

    def test_current_validity_is_valid_up_to_and_on_the_expiry_date(self):
        today = timezone.localdate()
        item = edit_and_publish(self.item, effective_date=today - timedelta(days=30), expiry_date=today)
        self.assertEqual(item.current_validity, Validity.VALID)
        self.assertEqual(item.get_current_validity_display(), "有效")

    def test_a_repealed_item_stays_repealed(self):
        today = timezone.localdate()
        item = edit_and_publish(self.item, validity=Validity.REPEALED, expiry_date=today + timedelta(days=30))
        self.assertEqual(item.current_validity, Validity.REPEALED)
        self.assertEqual(item.get_current_validity_display(), "已废止")

    def test_stage_chain_runs_first_to_last(self):
        pre = make_item(self.t.township, "城关镇老旧小区改造方案（征求意见）", stage=Stage.PRE_DISCLOSURE)
        decision = make_item(self.t.township, "城关镇老旧小区改造决定", stage=Stage.DECISION, previous_stage=pre)
        result = make_item(self.t.township, "城关镇老旧小区改造结果", stage=Stage.RESULT, previous_stage=decision)
        for item in (pre, decision, result):
            self.assertEqual([i.pk for i in item.stage_chain()], [pre.pk, decision.pk, result.pk])

    def test_public_item_has_no_view_restriction(self):
        self.assertFalse(PageViewRestriction.objects.filter(page=self.item).exists())

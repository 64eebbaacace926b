"""``manage.py seed_demo``: build the fictional 云溪县 demo county (see demo_county)."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError

from ...builder import DemoBuilder, DemoDataExists, Options
from ...conf import app_settings


class Command(BaseCommand):
    help = "生成演示数据：虚构的云溪县（单位、公开目录、公开事项、权力清单，开发环境下还有演示账号）。"

    def add_arguments(self, parser):
        parser.add_argument("--townships", type=int, default=12, help="乡镇数（默认 12）")
        parser.add_argument("--villages-per-township", type=int, default=4, help="每个乡镇的村（社区）数（默认 4）")
        parser.add_argument("--departments", type=int, default=22, help="县直部门数（默认 22）")
        parser.add_argument("--items-per-unit", type=int, default=4, help="每个单位的公开事项数（默认 4）")
        parser.add_argument(
            "--bulk-items",
            type=int,
            default=0,
            metavar="N",
            help="代替 --items-per-unit：共生成 N 条公开事项，均分到各单位，批量写入数据库（每秒上千条，供性能测试）；"
            "不重建搜索索引和引用索引，之后请运行 update_index 和 rebuild_references_index",
        )
        parser.add_argument("--seed", type=int, default=20240601, help="随机种子，相同种子生成相同内容")
        parser.add_argument("--no-files", action="store_true", help="不生成演示附件和图片（默认每个单位各有公开和党内的附件、图片）")
        parser.add_argument("--no-opinions", action="store_true", help="不生成意见建议演示数据（默认在几个乡镇、村和部门有各办理环节的意见）")
        parser.add_argument("--no-supervision", action="store_true", help="不生成督办考核演示数据（默认上季度有按时、逾期、未公开的单位，及催办、评议、责任追究、督查意见）")
        parser.add_argument("--no-alerts", action="store_true", help="不生成订阅提醒演示数据（默认有邮件和短信订阅人，即时、每日、每周各一）")
        parser.add_argument("--if-empty", action="store_true", help="已有门户首页时什么也不做（供 make seed 使用）")
        parser.add_argument("--skip-index", action="store_true", help="不在最后重建搜索索引和引用索引")
        parser.add_argument("--quiet", action="store_true", help="只输出结果摘要")

    def handle(self, *args, **options):
        for name in ("townships", "villages_per_township", "departments", "items_per_unit", "bulk_items"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} 不能为负数。")
        quiet = options["quiet"]
        builder = DemoBuilder(
            Options(
                townships=options["townships"],
                villages_per_township=options["villages_per_township"],
                departments=options["departments"],
                items_per_unit=options["items_per_unit"],
                bulk_items=options["bulk_items"],
                seed=options["seed"],
                skip_index=options["skip_index"],
                demo_files=not options["no_files"],
                demo_opinions=not options["no_opinions"],
                demo_supervision=not options["no_supervision"],
                demo_alerts=not options["no_alerts"],
            ),
            log=None if quiet else self.stdout.write,
        )
        started = time.monotonic()
        # Wagtail logs each page it creates at INFO: hundreds of lines that would bury the seed's own progress.
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(max(level, logging.WARNING))
        try:
            report = builder.run()
        except DemoDataExists as exists:
            if options["if_empty"]:
                self.stdout.write(f"已有门户首页“{exists}”，跳过生成演示数据。")
                return
            raise CommandError(
                f"演示数据已存在（门户首页“{exists}”）。seed_demo 不会重复生成；"
                "如需重建，请删除数据库后重新执行 migrate 和 seed_demo，或加 --if-empty 跳过。"
            ) from None
        finally:
            wagtail_log.setLevel(level)
        elapsed = time.monotonic() - started
        rate = report.items / report.item_seconds if report.item_seconds else 0
        self.stdout.write(self.style.SUCCESS(
            f"演示数据已生成：{report.units} 个单位、{report.items} 条公开事项、{report.power_lists} 份权力清单、"
            f"{report.local_entries} 个村级自选目录条目。"
        ))
        if builder.options.rebuilds_indexes:
            index = f"，索引 {report.index_seconds:.1f} 秒"
        elif options["bulk_items"]:
            index = "（未重建索引：请运行 manage.py update_index 和 manage.py rebuild_references_index）"
        else:
            index = "（未重建索引）"
        self.stdout.write(
            f"用时 {elapsed:.1f} 秒：单位 {report.unit_seconds:.1f} 秒，事项 {report.item_seconds:.1f} 秒"
            f"（{rate:.0f} 条/秒），意见 {report.opinion_seconds:.1f} 秒{index}。"
        )
        if app_settings.SUNSHINE_DEMO_LOGINS and report.logins:
            self.stdout.write("\n演示账号（仅开发环境，SUNSHINE_DEMO_LOGINS = True）：")
            self.stdout.write(f"  {'username':<10} {'password':<19} 姓名 · 角色")
            for username, password, full_name, role in report.logins:
                self.stdout.write(f"  {username:<10} {password:<19} {full_name} · {role}")

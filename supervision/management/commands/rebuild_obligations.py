"""Recompute every county's obligations (run nightly from cron: new periods begin, deadlines pass)."""

from django.core.management.base import BaseCommand, CommandError

from supervision import obligations


class Command(BaseCommand):
    help = "重新计算各单位的应公开事项（每天运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--county", help="只计算这个县（单位编码）")

    def handle(self, *args, county=None, **options):
        counties = obligations.counties()
        if county:
            counties = counties.filter(code=county)
            if not counties.exists():
                raise CommandError(f"没有编码为 {county} 的县")
        for unit in counties:
            created, updated, deleted = obligations.rebuild(unit)
            self.stdout.write(f"{unit.title}：新增 {created}，更新 {updated}，删除 {deleted}")

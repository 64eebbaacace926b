"""Give every unit its file collections and put their permissions right (also run after ``migrate``)."""

from django.core.management.base import BaseCommand

from disclosure_pages.files import sync_unit_files


class Command(BaseCommand):
    help = "每个单位的文件库及其权限：补建缺少的文件库，按当前设置（如乡镇专员管理村级）校正权限。"

    def handle(self, *args, **options):
        sync_unit_files(log=self.stdout.write)
        self.stdout.write("Unit file collections and permissions are up to date.")

"""rebuild_scorecards --county CODE --year 2026 [--quarter 3]: recompute a county's scorecard rows (考核) for a period."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from disclosure_pages.choices import UnitType
from disclosure_pages.models import UnitPage

from ...scorecard import AssessmentPeriod, compute


class Command(BaseCommand):
    help = "Recompute a county's scorecard rows for a year or one of its quarters."

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="The county unit's code")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, choices=(1, 2, 3, 4))

    def handle(self, *args, county, year, quarter, **options):
        unit = UnitPage.objects.filter(code=county, unit_type=UnitType.COUNTY, locale=Locale.get_default()).first()
        if unit is None:
            raise CommandError(f"No county with the code {county!r}")
        period = AssessmentPeriod(year, quarter)
        rows = compute(unit, period.start, period.end)
        self.stdout.write(f"{unit.title} {period.label}: {len(rows)} scorecard rows, {sum(1 for row in rows if row.rated)} rated")

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from forpost.centres.models import Centre
from forpost.reports.render import as_json, render_html, render_pdf, render_xlsx
from forpost.reports.status import build_status


class Command(BaseCommand):
    help = "Write the annual status (suppressed, as published) for the city or one centre."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--centre", help="A centre's slug; the whole city when left out.")
        parser.add_argument("--format", choices=["html", "pdf", "xlsx", "json"], default="html")
        parser.add_argument("--out", required=True, help="The file to write, or - for standard output.")
        parser.add_argument("--language", default="da", choices=["da", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["centre"]:
            try:
                centres = [Centre.objects.get(slug=options["centre"])]
            except Centre.DoesNotExist as exc:
                raise CommandError(f"No centre with the slug {options['centre']!r}") from exc
        else:
            centres = list(Centre.objects.order_by("name"))
        with translation.override(options["language"]):
            title = (
                _("Annual status %(year)s for %(centre)s") % {"year": options["year"], "centre": centres[0].name}
                if options["centre"]
                else _("Annual status %(year)s for the family counselling centres") % {"year": options["year"]}
            )
            status = build_status(
                year=options["year"],
                centres=centres,
                city_wide=not options["centre"],
                suppress=True,
                title=title,
                for_file=options["format"] != "html",
            )
            fmt = options["format"]
            if fmt == "pdf":
                data: bytes = render_pdf(status)
            elif fmt == "xlsx":
                data = render_xlsx(status)
            elif fmt == "json":
                data = json.dumps(as_json(status), ensure_ascii=False, indent=2).encode()
            else:
                data = render_html(status).encode()
        if options["out"] == "-":
            self.stdout.write(data.decode() if fmt in ("html", "json") else "(binary output; use --out FILE)")
        else:
            Path(options["out"]).write_bytes(data)
            self.stdout.write(f"Wrote {options['out']} ({len(data):,} bytes, {len(status.sections)} sections).")

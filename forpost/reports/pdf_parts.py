"""`python -m forpost.reports.pdf_parts DIR`: the city's PDF in parts, in a process of its own.

Started by `render.PdfProcess`, as a rule before the status is built: it loads Django,
WeasyPrint and the fonts, then waits for "go" on its standard input. DIR then holds job.pickle
(the status, the cover, the language and the centres per part); the joined PDF is written to
DIR/out.pdf, and each part's peak memory and this process's (MB) to DIR/peaks.json. Nothing
is read from the database.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path


def main(directory: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forpost.settings")
    import django

    django.setup()
    from django.utils import translation

    from forpost.reports import render

    # Ready before the status is: Django, WeasyPrint and the fonts load while it is built.
    fonts = render.warmed_fonts()
    if sys.stdin.readline().strip() != "go":
        return  # not needed after all
    folder = Path(directory)
    with (folder / "job.pickle").open("rb") as handle:
        job = pickle.load(handle)  # noqa: S301 - written by this worker a moment ago, in its own temp directory
    with translation.override(job["language"]):
        render.render_pdf_in_parts(
            job["status"],
            part_centres=job["part_centres"],
            cover_context=job["cover"],
            out_path=folder / "out.pdf",
            font_config=fonts,
        )
    (folder / "peaks.json").write_text(json.dumps({"parts": render.PART_PEAKS_MB, "process": render.peak_rss_mb()}))


if __name__ == "__main__":
    main(sys.argv[1])

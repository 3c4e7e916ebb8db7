"""Renderers of an AnnualStatus: HTML (page), PDF (WeasyPrint), XLSX (openpyxl) and JSON."""

from __future__ import annotations

import datetime
import io
import mimetypes
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forpost.core.exports import neutralise
from forpost.core.formats import values
from forpost.core.formats.values import Shown
from forpost.core.suppression import SECONDARY_MARK, Cell

from . import pdf_join
from .status import AnnualStatus, Chart, Section, Table


def cover(status: AnnualStatus) -> dict[str, Any]:
    """What the cover carries: the municipality's name and logo (settings) and, on the city's
    status, central staff's foreword for the year."""
    from django.templatetags.static import static

    from forpost.centres.models import Municipality

    from .models import Foreword

    name = settings.MUNICIPALITY_NAME or (Municipality.objects.values_list("name", flat=True).first() or "")
    foreword = Foreword.objects.filter(year=status.year).first() if status.city_wide else None
    return {
        "municipality": name,
        "logo": static(settings.MUNICIPALITY_LOGO) if settings.MUNICIPALITY_LOGO else "",
        "foreword": foreword if foreword and foreword.text.strip() else None,
    }


def legend(threshold: int) -> list[dict[str, str]]:
    """What the marks of hidden numbers mean (page, PDF, workbook and JSON)."""
    return [
        {
            "mark": f"<{threshold}",
            "kind": "primary",
            "meaning": _("a count from 1 to %(n)s, hidden so that no family can be recognised") % {"n": threshold - 1},
        },
        {
            "mark": SECONDARY_MARK,
            "kind": "secondary",
            "meaning": _(
                "hidden so that another hidden number cannot be worked out (a count of 1 or more), "
                "or a share computed from a hidden count"
            ),
        },
    ]


def render_html(status: AnnualStatus, *, request: Any = None) -> str:
    return render_to_string(
        "reports/annual_status_print.html", {"status": status, "cover": cover(status)}, request=request
    )


# The page links its stylesheet and fonts by their static URLs, as a browser would load them;
# WeasyPrint reads those from the static files on disk (never over the network), so the same
# references work in development (finders) and after collectstatic (hashed names in STATIC_ROOT).
PDF_BASE_URL = "https://forpost.invalid/"


def _static_file(url: str) -> Path | None:
    from urllib.parse import unquote, urlsplit

    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    path = unquote(urlsplit(url).path)
    prefix = urlsplit(settings.STATIC_URL).path
    if not url.startswith(PDF_BASE_URL) or not path.startswith(prefix):
        return None
    name = path.removeprefix(prefix)
    found = finders.find(name)
    if isinstance(found, str):
        return Path(found)
    try:
        stored = Path(staticfiles_storage.path(name))
    except (NotImplementedError, ValueError):
        return None
    return stored if stored.is_file() else None


def _static_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            found = _static_file(url)
            if found is None:
                raise ValueError(f"Only Forpost's static files are read: {url}")
            content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, found.read_bytes(), headers={"Content-Type": content_type})

    return StaticFetcher()


# PDF/UA-1: tagged (headings, tables with header cells, figures with alt text), with the
# document's title and language; the webtilgængelighedslov covers published documents.
PDF_VARIANT = "pdf/ua-1"


def pdf_document(status: AnnualStatus) -> Any:
    """The status laid out in pages (WeasyPrint's Document): what render_pdf writes, and what
    the layout tests read."""
    from weasyprint import HTML

    html = render_to_string(
        "reports/annual_status_print.html", {"status": status, "cover": cover(status), "print": True}
    )
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_static_fetcher()).render(pdf_variant=PDF_VARIANT)


# A file with more centre pages than this is rendered in parts of this many centres and joined:
# WeasyPrint holds a whole document's layout in memory (2.4 GB for 1,000 centres in one go).
PDF_PART_CENTRES = 40
PDF_PART_MATRICES = 8


def render_pdf(status: AnnualStatus, process: PdfProcess | None = None) -> bytes:
    """The status as a PDF. A file with many centre pages is rendered in parts, by `process`
    (started while the status was built: see PdfProcess) or by one started now."""
    centre_pages = [s for s in status.sections if s.key.startswith("centre-")]
    if len(centre_pages) > PDF_PART_CENTRES:
        return (process or PdfProcess()).render(status, part_centres=PDF_PART_CENTRES)
    if process is not None:
        process.close()
    pdf: bytes = pdf_document(status).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def _render_part(
    status: AnnualStatus, part: dict[str, Any], cover_context: dict[str, Any], font_config: Any = None
) -> tuple[bytes, int, dict[str, int]]:
    """One part laid out and written: its PDF, its number of pages, the page (1-based, in the
    part) of each section it holds. A part's pages carry
    no page numbers: the whole file's are stamped on when the parts are joined."""
    from weasyprint import HTML

    if "numbers" in part:
        return page_number_samples(part["numbers"], font_config)
    html = render_to_string(
        "reports/annual_status_print.html", {"status": status, "cover": cover_context, "print": True, "part": part}
    )
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_static_fetcher()).render(
        pdf_variant=PDF_VARIANT, font_config=font_config
    )
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    count = len(document.pages)
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    del document, html
    return pdf, count, pages


# The peak memory (MB) of each part's child process, and of the process that rendered them
# (PdfProcess), for the benchmark (benchmarks/status.py).
PART_PEAKS_MB: list[float] = []
RENDERER_PEAK_MB: list[float] = []


def peak_rss_mb() -> float:
    """This process's peak resident memory (MB). Linux's VmHWM, not getrusage's ru_maxrss: a
    process started by another (fork and exec) reports in ru_maxrss the memory its parent had
    when it was started, not its own peak (a worker started by a process of 455 MB reported
    455 MB however little it used)."""
    import resource

    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm_up(font_config: Any) -> None:
    """Lay out and write a one-line page with the status's stylesheet in this process before the
    parts are forked: the fonts, the stylesheet's font faces and WeasyPrint's and fontTools'
    modules are then loaded once and shared, not loaded again in every part's child (under
    load that was most of a small part's time)."""
    from weasyprint import HTML

    html = render_to_string("reports/pdf_warm_up.html")
    HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_static_fetcher()).render(
        pdf_variant=PDF_VARIANT, font_config=font_config
    ).write_pdf(pdf_variant=PDF_VARIANT)


def pdf_processes() -> int:
    """How many parts are laid out at once: PDF_PROCESSES, or one for each core this process
    may run on (WeasyPrint lays out on one core, and the parts don't depend on each other)."""
    import os

    if settings.PDF_PROCESSES:
        return max(1, settings.PDF_PROCESSES)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _render_parts(
    status: AnnualStatus,
    parts: Sequence[dict[str, Any]],
    cover_context: dict[str, Any],
    font_config: Any,
    folder: Path,
    processes: int,
    on_done: Any = None,
) -> list[dict[str, Any]]:
    """Each part laid out and written in a forked child process, `processes` at a time, the
    heaviest first: WeasyPrint's layout of a part, and whatever it keeps after, goes with the
    child, so this process's memory stays that of the status. Part i's PDF is written to
    folder/i.pdf; `on_done(i, found)` is called as each is made, while the next are laid out.
    Returned, for each part: its PDF's path, pages and sections' pages."""
    import gc
    import json
    import os
    import signal
    import traceback

    waiting = sorted(range(len(parts)), key=lambda i: -int(parts[i].get("weight", 1)))
    running: dict[int, int] = {}
    done: dict[int, dict[str, Any]] = {}

    def start() -> None:
        while waiting and len(running) < processes:
            i = waiting.pop(0)
            pid = os.fork()
            if pid == 0:  # the child: lay out, write, and leave without running the parent's exit code
                code = 1
                # WeasyPrint makes a great many objects: collected less often, a part takes a
                # fifth less time (it is thrown away whole when the child leaves).
                gc.set_threshold(20_000, 20, 100)
                try:
                    pdf, count, pages = _render_part(status, parts[i], cover_context, font_config)
                    (folder / f"{i}.pdf").write_bytes(pdf)
                    (folder / f"{i}.json").write_text(json.dumps({"count": count, "pages": pages}))
                    code = 0
                except BaseException:
                    traceback.print_exc()  # on standard error, which PdfProcess reports
                finally:
                    os._exit(code)
            running[pid] = i

    # What this process holds (the status, Django, the fonts) is never collected in a child:
    # frozen, it is not walked (and so not copied page by page) by the children's collections.
    gc.collect()
    gc.freeze()
    try:
        start()
        while running:
            pid, status_code, usage = os.wait4(-1, 0)
            i = running.pop(pid)
            PART_PEAKS_MB.append(usage.ru_maxrss / 1024)
            if status_code != 0:
                raise RuntimeError("A part of the PDF could not be rendered")
            meta = json.loads((folder / f"{i}.json").read_text())
            done[i] = {**meta, "path": folder / f"{i}.pdf"}
            start()  # the next part is laid out while this one is used
            if on_done is not None:
                on_done(i, done[i])
    finally:
        gc.unfreeze()
        for pid in running:  # a part failed: the others' work is of no use
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return [done[i] for i in range(len(parts))]


def _weight(sections: Sequence[Section]) -> int:
    """Roughly how long a part takes to lay out: its rows and key figures."""
    return sum(
        20 + len(s.facts) + sum(len(t.rows) * max(1, len(t.columns) // 3) for t in s.tables) + 30 * len(s.charts)
        for s in sections
    )


class PdfProcess:
    """A fresh Python process (`python -m forpost.reports.pdf_parts`) that renders the city's
    file in parts, given the status pickled. A part forked from the worker would start with all
    the worker's memory (building the status of 1,000 centres leaves it at some 330 MB); forked
    from this process, which holds only the status, a part adds its own layout to far less.

    Started before the status is built (`with PdfProcess() as process: ... render_pdf(status,
    process)`), it loads Django, WeasyPrint and the fonts on the other core meanwhile; unused,
    it is stopped."""

    def __init__(self) -> None:
        import os
        import subprocess
        import sys
        import tempfile

        self._folder = tempfile.TemporaryDirectory()
        self.folder = Path(self._folder.name)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "forpost.settings")}
        self._process: Any = subprocess.Popen(  # noqa: S603 - this Python, this module, a directory it made
            [sys.executable, "-m", "forpost.reports.pdf_parts", str(self.folder)],
            env=env,
            cwd=str(Path(__file__).resolve().parent.parent.parent),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def render(self, status: AnnualStatus, *, part_centres: int) -> bytes:
        import json
        import pickle

        try:
            job = {
                "status": status,
                "cover": cover(status),
                "language": translation.get_language() or settings.LANGUAGE_CODE,
                "part_centres": part_centres,
            }
            with (self.folder / "job.pickle").open("wb") as handle:
                pickle.dump(job, handle, protocol=pickle.HIGHEST_PROTOCOL)
            del job
            _out, errors = self._process.communicate(b"go\n")
            if self._process.returncode != 0:
                raise RuntimeError(f"The PDF's parts could not be rendered: {errors.decode(errors='replace')[-2000:]}")
            peaks = json.loads((self.folder / "peaks.json").read_text())
            PART_PEAKS_MB[:] = [float(v) for v in peaks["parts"]]
            RENDERER_PEAK_MB[:] = [float(peaks["process"])]
            return (self.folder / "out.pdf").read_bytes()
        finally:
            self.close()

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._process.stdin is not None:
            self._process.stdin.close()
        if self._process.stderr is not None:
            self._process.stderr.close()
        self._folder.cleanup()

    def __enter__(self) -> PdfProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def warmed_fonts() -> Any:
    """WeasyPrint's font configuration with the status's fonts loaded (see _warm_up)."""
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    _warm_up(fonts)
    return fonts


def render_pdf_in_parts(
    status: AnnualStatus,
    *,
    part_centres: int,
    cover_context: dict[str, Any] | None = None,
    processes: int | None = None,
    out_path: Path | None = None,
    font_config: Any = None,
) -> bytes:
    """The city's file for many centres: the cover and summary, the contents, the city's
    sections and the centre pages `part_centres` at a time, each laid out on its own (so only
    a part's layout is ever in memory) and `processes` parts at once, then joined with their
    tags (PDF/UA). A part's pages don't depend on the parts before it: the page numbers are
    stamped on when they are joined, and the contents are written last, with the pages the
    parts found. Returns the file's bytes, or writes them to `out_path` (and returns b"")."""
    import tempfile

    cover_context = cover_context if cover_context is not None else cover(status)
    processes = processes or pdf_processes()
    # One font configuration for every part: each new one loads the fonts again and keeps them.
    fonts = font_config or warmed_fonts()
    PART_PEAKS_MB.clear()
    summary = list(status.sections[:1])
    city = [s for s in status.sections[1:] if not s.key.startswith("centre-")]
    centres = [s for s in status.sections if s.key.startswith("centre-")]
    # The summary's centre × requirement tables, a few at a time (1,000 centres make 84).
    found_summary = summary[0].extra.get("summary") if summary else None
    matrices = list(found_summary.matrices) if found_summary is not None else []
    # In the status's order: the city's sections before the centre pages, the centres, then
    # the city's sections after them (the definitions close the file). Each of the city's
    # sections is a part of its own (with 1,000 centres, a table of centres is long).
    first_centre = next((i for i, s in enumerate(status.sections) if s.key.startswith("centre-")), None)
    before = [s for s in city if first_centre is None or status.sections.index(s) < first_centre]
    after = [s for s in city if s not in before]
    front = [{"cover": True, "sections": summary, "weight": _weight(summary)}]
    front += [
        {"sections": [], "matrices": matrices[i : i + PDF_PART_MATRICES], "summary": found_summary, "weight": 400}
        for i in range(0, len(matrices), PDF_PART_MATRICES)
    ]
    # The contents' length does not depend on its numbers: laid out with a stand-in number
    # beside the other parts, it tells where the detail begins.
    toc = {"toc": [(s.title, 9999) for s in status.sections], "sections": [], "weight": 1}
    detail = [
        {"sections": sections, "weight": _weight(sections)}
        for sections in [
            *([section] for section in before),
            *(centres[i : i + part_centres] for i in range(0, len(centres), part_centres)),
            *([section] for section in after),
        ]
    ]
    all_parts = [*front, toc, *detail]
    toc_index = len(front)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        target = out_path or folder / "joined.pdf"
        join = pdf_join.TaggedJoin(target)
        try:

            def joined(i: int, found: dict[str, Any]) -> None:
                if i != toc_index:  # the contents' stand-in: laid out only to be counted
                    join.add(i, found["path"])
                found["path"].unlink()

            made = _render_parts(status, all_parts, cover_context, fonts, folder, processes, joined)
            made_front, made_toc, made_detail = made[:toc_index], made[toc_index], made[toc_index + 1 :]
            # Each section's page in the whole file: its page in its part, after the parts before.
            pages: dict[str, int] = {}
            first = 1
            for m in [*made_front, made_toc, *made_detail]:
                for key, page in m["pages"].items():
                    pages.setdefault(key, first - 1 + page)
                first += m["count"]
            numbered = [(s.title, pages.get(s.key, "")) for s in status.sections]
            # The contents with their numbers, and the page numbers' samples, beside each other.
            (folder / "last").mkdir()
            contents, numbers = _render_parts(
                status,
                [{"toc": numbered, "sections": []}, {"numbers": first - 1}],
                cover_context,
                fonts,
                folder / "last",
                processes,
            )
            if contents["count"] != made_toc["count"]:
                raise RuntimeError("The contents changed length when their page numbers were written in")
            join.add(toc_index, contents["path"])
        except BaseException:
            join.abort()
            raise
        join.finish(range(len(all_parts)), numbers["path"])
        return b"" if out_path else target.read_bytes()


def page_number_samples(total: int, font_config: Any) -> tuple[bytes, int, dict[str, int]]:
    """The page numbers of a file of `total` pages rendered in parts, as samples for
    pdf_join to stamp on its pages: a page whose footer shows the digits 0 to 9, then for each
    number of digits up to total's a portrait and a landscape page whose footer shows such a
    number ("00 / 140"), where a file laid out in one go has its page number (print.css).
    Laid out untagged: the numbers go in as artifacts (pagination). Eleven pages, however
    long the file (WeasyPrint takes some 5 ms for each page, even a blank one)."""
    from weasyprint import HTML

    samples = [("0123456789", False)]
    for digits in range(1, len(str(total)) + 1):
        samples += [(f"{'0' * digits} / {total}", False), (f"{'0' * digits} / {total}", True)]
    html = render_to_string("reports/pdf_page_numbers.html", {"samples": samples})
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_static_fetcher()).render(font_config=font_config)
    found = [page.width > page.height for page in document.pages]
    if found != [flag for _text, flag in samples]:
        raise RuntimeError("The page numbers' samples were not laid out a page each")
    pdf: bytes = document.write_pdf()
    return pdf, len(found), {}


# Sheet names are designed, not cut: Excel allows 31 characters, and a name cut mid-word
# ("Resultatkort i forhold til k") reads as a mistake. A section whose title is longer has a
# short name of its own here; test_workbook proves every name fits in every language.
SHEET_NAMES: dict[str, Any] = {
    "about": gettext_lazy("About the status"),
    "summary": gettext_lazy("Summary"),
    "trends": gettext_lazy("Five years"),
    "own_text": gettext_lazy("The centre's own words"),
    "volume": gettext_lazy("Inquiries"),
    "target_group": gettext_lazy("Target group"),
    "population": gettext_lazy("Population served"),
    "representativeness": gettext_lazy("Representativeness"),
    "districts": gettext_lazy("Where families live"),
    "themes": gettext_lazy("Themes"),
    "courses": gettext_lazy("Courses and outcomes"),
    "actions": gettext_lazy("Actions and referrals"),
    "referrals": gettext_lazy("Referrals and the bridge"),
    "visibility": gettext_lazy("How families found us"),
    "collaboration": gettext_lazy("Collaboration"),
    "volunteers": gettext_lazy("Volunteers and rooms"),
    "resources": gettext_lazy("Resources"),
    "scorecard": gettext_lazy("Scorecard"),
    "theory_of_change": gettext_lazy("Theory of change"),
    "comparison": gettext_lazy("Earlier years"),
    "centres": gettext_lazy("The centres"),
    "centre_pages": gettext_lazy("The centres one by one"),
    "data": gettext_lazy("Data for pivot tables"),
    "definitions": gettext_lazy("Definitions"),
    "families_voice": gettext_lazy("The families' own voice"),
    "offer_referrals": gettext_lazy("Guided to other offers"),
    "methods": gettext_lazy("Methods and programmes"),
    "staff_roster": gettext_lazy("The centre's own staff"),
}
SHEET_NAME_LIMIT = 31


def sheet_name(key: str, title: str) -> str:
    """The sheet's designed name: its own short name, or the section's title when it fits."""
    name = str(SHEET_NAMES[key]) if key in SHEET_NAMES else title
    name = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip()
    if len(name) > SHEET_NAME_LIMIT:
        raise ValueError(f"The sheet name {name!r} is longer than {SHEET_NAME_LIMIT}: give {key!r} a short name")
    return name


def _plain(value: Any) -> Any:
    """A cell's number as the workbook stores it (None for text or a hidden cell)."""
    if isinstance(value, Cell):
        return None if value.suppressed else value.value
    if isinstance(value, Shown):
        return value.value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    return None


class _SheetPlan:
    """A sheet's rows laid out before it is written (a write-only sheet writes its frozen
    pane and widths before its first row): each cell a value with its number format."""

    def __init__(self, name: str, threshold: int) -> None:
        self.name = name
        self.threshold = threshold
        self.rows: list[list[tuple[Any, str, bool]]] = []  # (value, number format, bold)
        self.freeze: int | None = None  # the last header row
        self.widths: dict[int, float] = {}
        self.charts: list[tuple[str, int, int, int, str]] = []  # title, first row, last row, column, kind
        self.title_sizes: dict[int, int] = {}

    def add(self, cells: list[Any], *, bold: bool = False, size: int = 0) -> int:
        row = [self._cell(v, bold) for v in cells]
        self.rows.append(row)
        n = len(self.rows)
        if size:
            self.title_sizes[n] = size
        for i, (value, _fmt, _b) in enumerate(row, start=1):
            if isinstance(value, str) and (i > 1 or len(value) < 60):
                self.widths[i] = max(self.widths.get(i, 0), min(60, len(value) * 1.1 + 2))
            elif isinstance(value, int | float):
                self.widths[i] = max(self.widths.get(i, 0), 12)
        return n

    def _cell(self, value: Any, bold: bool) -> tuple[Any, str, bool]:
        if isinstance(value, Cell):
            if value.suppressed:
                return (neutralise(value.display(self.threshold)), "@", bold)
            return (value.value, values.COUNT if isinstance(value.value, int) else values.ONE_DECIMAL, bold)
        if isinstance(value, Shown):
            return (value.value, value.number_format, bold)
        if isinstance(value, bool) or value is None:
            return (None if value is None else str(value), "General", bold)
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
            return (int(value), values.COUNT, bold)  # a bare whole number is stored as a number
        if isinstance(value, int):
            return (value, values.COUNT, bold)
        if isinstance(value, float):
            return (value, values.ONE_DECIMAL, bold)
        if isinstance(value, datetime.date):
            return (value, values.DATE, bold)
        return (neutralise(str(value)), "General", bold)


def _interval_columns(table: Table) -> set[int]:
    """The columns (0-based, after the label) whose numbers come with an interval."""
    found = set()
    for row in table.rows:
        for i, v in enumerate(row.cells):
            if isinstance(v, Shown) and v.low is not None:
                found.add(i)
    return found


def _expand(cells: Sequence[Any], intervals: set[int]) -> list[Any]:
    out: list[Any] = []
    for i, v in enumerate(cells):
        out.append(v)
        if i in intervals:
            low = v.low if isinstance(v, Shown) else None
            high = v.high if isinstance(v, Shown) else None
            out.append(values.decimal(low, 2) if low is not None else None)
            out.append(values.decimal(high, 2) if high is not None else None)
    return out


def _plan_table(plan: _SheetPlan, table: Table, charts: dict[str, Chart]) -> None:
    if plan.rows:
        plan.add([])
    plan.add([table.title], bold=True)
    intervals = _interval_columns(table)
    columns: list[Any] = [table.columns[0]]
    for i, c in enumerate(table.columns[1:]):
        columns.append(c)
        if i in intervals:
            columns += [_("%(column)s, lower bound") % {"column": c}, _("%(column)s, upper bound") % {"column": c}]
    header = plan.add(columns, bold=True)
    if plan.freeze is None:
        plan.freeze = header
    first = header + 1
    for row in table.rows:
        # A row that is a year (the trend's) is the number, so the column sorts and pivots.
        label: Any = int(row.label) if row.label.isdigit() else row.label
        plan.add([label, *_expand(row.cells, intervals)])
    last = len(plan.rows)
    if table.total is not None:
        plan.add([table.total.label, *_expand(table.total.cells, intervals)], bold=True)
    if table.note:
        plan.add([table.note])
    chart = charts.get(table.title)
    if chart is not None and table.rows:
        plan.charts.append((chart.title, first, last, 2, chart.kind))


def _plan_section(plan: _SheetPlan, section: Section, *, heading_size: int = 14) -> None:
    plan.add([section.title], bold=True, size=heading_size)
    if section.intro:
        plan.add([section.intro])
    if section.no_data:
        return
    if section.facts:
        plan.add([])
        header = plan.add([_("Key figure"), _("Value")], bold=True)
        if plan.freeze is None:
            plan.freeze = header
        for label, value in section.facts:
            plan.add([label, value])
    charts = {c.title: c for c in section.charts}
    for table in section.tables:
        _plan_table(plan, table, charts)
    for heading, text in section.texts:
        plan.add([])
        plan.add([heading], bold=True)
        plan.add([text])
    for note in section.notes:
        plan.add([note])


def _write_plan(book: Any, plan: _SheetPlan) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(plan.name)
    # Below the first header row (the title row when a section has no table).
    ws.freeze_panes = f"B{(plan.freeze or 1) + 1}"
    ws.column_dimensions["A"].width = max(36, min(60, plan.widths.get(1, 36)))
    for i, width in plan.widths.items():
        if i > 1:
            ws.column_dimensions[get_column_letter(i)].width = max(12, width)
    bold = Font(bold=True)
    fonts = {size: Font(bold=True, size=size) for size in set(plan.title_sizes.values())}
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, row in enumerate(plan.rows, start=1):
        out = []
        for value, fmt, is_bold in row:
            cell = WriteOnlyCell(ws, value=value)
            if fmt != "General":
                cell.number_format = fmt
            if n in plan.title_sizes:
                cell.font = fonts[plan.title_sizes[n]]
            elif is_bold:
                cell.font = bold
            if isinstance(value, str) and len(value) > 60:
                cell.alignment = wrap
            out.append(cell)
        ws.append(out)
    width = max((len(r) for r in plan.rows), default=1)
    anchor_column = get_column_letter(width + 2)
    for title, first, last, column, kind in plan.charts:
        chart = BarChart()
        chart.type = "col" if kind == "column" else "bar"
        chart.title = title
        chart.legend = None
        chart.style = 10
        data = Reference(ws, min_col=column, min_row=first - 1, max_row=last)
        labels = Reference(ws, min_col=1, min_row=first, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(labels)
        if kind != "column":
            chart.y_axis.scaling.orientation = "minMax"
            chart.x_axis.scaling.orientation = "maxMin"  # the first category on top, as in the table
        chart.height = max(6.0, 0.6 * (last - first + 1) + 2)
        chart.width = 16
        ws.add_chart(chart, f"{anchor_column}{first - 1}")


def _data_rows(status: AnnualStatus) -> Any:
    """Every number of the status in long form: what an analyst pivots."""
    for section in status.sections:
        for label, value in section.facts:
            if _plain(value) is not None or isinstance(value, Cell):
                yield (section.title, _("Key figures"), label, _("Value"), value)
        for table in section.tables:
            for row in (*table.rows, *((table.total,) if table.total else ())):
                for column, value in zip(table.columns[1:], row.cells, strict=False):
                    if _plain(value) is not None or (isinstance(value, Cell) and value.suppressed):
                        yield (section.title, table.title, row.label, column, value)


def _write_data(book: Any, status: AnnualStatus) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws = book.create_sheet(sheet_name("data", ""))
    ws.freeze_panes = "A2"
    headers = (
        _("Section"),
        _("Table"),
        _("Row"),
        _("Column"),
        _("Value"),
        _("Shown as"),
        _("Lower bound"),
        _("Upper bound"),
    )
    for letter, width in zip("ABCDEFGH", (30, 40, 36, 24, 12, 16, 12, 12), strict=True):
        ws.column_dimensions[letter].width = width
    bold = Font(bold=True)
    header = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    n = 1
    for section_title, table_title, row_label, column, value in _data_rows(status):
        number_cell = WriteOnlyCell(ws, value=_plain(value))
        if isinstance(value, Shown):
            number_cell.number_format = value.number_format
        elif _plain(value) is not None:
            number_cell.number_format = values.COUNT
        shown = value.display(status.threshold) if isinstance(value, Cell) and value.suppressed else None
        bounds = []
        for bound in (getattr(value, "low", None), getattr(value, "high", None)):
            cell = WriteOnlyCell(ws, value=bound if isinstance(value, Shown) else None)
            cell.number_format = values.TWO_DECIMALS
            bounds.append(cell)
        ws.append(
            [
                neutralise(section_title),
                neutralise(table_title),
                neutralise(row_label),
                neutralise(column),
                number_cell,
                neutralise(shown),
                *bounds,
            ]
        )
        n += 1
    ws.auto_filter.ref = f"A1:H{n}"


def render_xlsx(status: AnnualStatus) -> bytes:
    """A workbook an analyst can use without retyping a number: a sheet per section with
    numbers stored as numbers (formats 0%, #,##0, 0.0), header rows frozen, columns with
    widths, native charts beside their tables, and one long "data" sheet to pivot. Hidden
    (small) cells are text ("<5")."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.properties.title = status.title
    book.properties.language = translation.get_language()
    book.properties.creator = settings.SITE_NAME
    about = _SheetPlan(sheet_name("about", ""), status.threshold)
    about.add([status.title], bold=True, size=14)
    about.add([])
    header = about.add([_("About"), _("Value")], bold=True)
    about.freeze = header
    about.add([_("Year"), status.year])
    about.rows[-1][1] = (status.year, "0", False)
    if status.preliminary_note:
        about.add([_("The year is not over."), status.preliminary_note])
    about.add([_("Made"), timezone.localtime(status.generated_at).date()])
    if status.suppressed:
        for item in legend(status.threshold):
            about.add([item["mark"], item["meaning"]])
    about.add([])
    about.add([_("Sheet"), _("Contents")], bold=True)
    plans: list[_SheetPlan] = []
    centres_plan: _SheetPlan | None = None
    for section in status.sections:
        if section.key.startswith("centre-"):
            # The city file's page per centre: one sheet for them all, a block per centre.
            if centres_plan is None:
                centres_plan = _SheetPlan(sheet_name("centre_pages", ""), status.threshold)
                plans.append(centres_plan)
                about.add([centres_plan.name, _("A page for each centre")])
            elif centres_plan.rows:
                centres_plan.add([])
            _plan_section(centres_plan, section, heading_size=13)
            continue
        plan = _SheetPlan(sheet_name(section.key, section.title), status.threshold)
        _plan_section(plan, section)
        plans.append(plan)
        about.add([plan.name, section.title])
    about.add([sheet_name("data", ""), _("Every number above in one table, to pivot")])
    about.widths[1] = 36
    about.widths[2] = 60
    for plan in (about, *plans):
        _write_plan(book, plan)
    _write_data(book, status)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_json(status: AnnualStatus) -> dict[str, Any]:
    def value(v: Any) -> Any:
        if isinstance(v, Cell):
            if v.suppressed:
                return {"suppressed": True, "display": v.display(status.threshold), "kind": v.kind}
            return v.value
        return v

    return {
        "year": status.year,
        "title": status.title,
        "language": translation.get_language(),
        "centres": [c.slug for c in status.centres],
        "suppressed": status.suppressed,
        "threshold": status.threshold,
        "legend": legend(status.threshold) if status.suppressed else [],
        "generated_at": status.generated_at.isoformat(),
        "preliminary": status.preliminary_until is not None,
        "data_until": status.preliminary_until.isoformat() if status.preliminary_until else None,
        "period_note": status.preliminary_note,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "no_data": s.no_data,
                "facts": [{"label": f.label, "value": value(f.value), "metric": f.metric} for f in s.facts],
                "tables": [
                    {
                        "key": t.key,
                        "title": t.title,
                        "columns": list(t.columns),
                        "metrics": list(t.metrics),
                        "dimension": t.dimension,
                        "adds_up": t.adds_up,
                        "rows": [
                            {"label": r.label, "key": r.key, "metric": r.metric, "cells": [value(c) for c in r.cells]}
                            for r in t.rows
                        ],
                        "total": None
                        if t.total is None
                        else {"label": t.total.label, "cells": [value(c) for c in t.total.cells]},
                        "note": t.note,
                    }
                    for t in s.tables
                ],
                "texts": [{"heading": h, "text": t} for h, t in s.texts],
                "notes": list(s.notes),
            }
            for s in status.sections
        ],
    }

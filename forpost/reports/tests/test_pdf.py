"""The annual status as a PDF fit to publish: PDF/UA-1 tagged, and laid out so that no caption
stands alone and no table row is split."""

import io
import itertools
import re

import pikepdf
import pytest
from django.utils import translation

from forpost.reports.models import Foreword
from forpost.reports.queries import city_status
from forpost.reports.render import pdf_document, render_pdf

from .status_data import year_of_inquiries


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def status(cast):
    year_of_inquiries(cast)
    with translation.override("da"):
        yield city_status(user=cast.erin, year=2025, for_file=True)


def _structure(pdf):
    """Every structure element's type, and the figures' alt texts, from the structure tree."""
    kinds, alts, seen = [], [], set()

    def walk(element):
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        if element.objgen != (0, 0):
            if element.objgen in seen:
                return
            seen.add(element.objgen)
        kinds.append(str(element.S))
        if str(element.S) == "/Figure":
            alts.append(str(element.get("/Alt", "")))
        children = element.get("/K")
        for child in children if isinstance(children, pikepdf.Array) else [children]:
            walk(child)

    top = pdf.Root.StructTreeRoot.K
    for element in top if isinstance(top, pikepdf.Array) else [top]:
        walk(element)
    return kinds, alts


def test_the_pdf_is_tagged_pdf_ua_with_title_language_headings_tables_and_figures(status):
    with translation.override("da"):
        data = render_pdf(status)
    pdf = pikepdf.open(io.BytesIO(data))
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "da"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo["/Title"]) == status.title
    with pdf.open_metadata() as meta:
        assert meta.get("pdfuaid:part") == "1"
    kinds, alts = _structure(pdf)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Caption", "/Figure"} <= set(kinds)
    # Each figure's alt text says what the chart shows: its title and its numbers in words.
    assert alts and all(alt for alt in alts)
    assert any(alt.startswith("Henvendelser pr. måned: jan. ") for alt in alts)


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def test_no_caption_is_left_alone_at_a_page_foot_and_no_table_row_is_split(status):
    from weasyprint.formatting_structure import boxes

    with translation.override("da"):
        document = pdf_document(status)
    rows_on_pages: dict[int, set[int]] = {}
    lonely_captions = []
    for number, page in enumerate(document.pages, start=1):
        for box in _boxes(page._page_box):
            if isinstance(box, boxes.TableRowGroupBox) and not (box.is_header or box.is_footer):
                # A body row on two pages is split (a header row repeats on each page by design).
                for row in box.children:
                    rows_on_pages.setdefault(id(row.element), set()).add(number)
            if getattr(box, "is_table_wrapper", False):
                captions = [c for c in box.children if isinstance(c, boxes.TableCaptionBox)]
                body_rows = [
                    r
                    for t in box.children
                    if isinstance(t, boxes.TableBox)
                    for group in t.children
                    if not group.is_header
                    for r in group.children
                ]
                if captions and not body_rows:
                    lonely_captions.append((number, "".join(_text(captions[0]))))
    assert lonely_captions == []
    assert [pages for pages in rows_on_pages.values() if len(pages) > 1] == []


def _text(box):
    for b in _boxes(box):
        if hasattr(b, "text"):
            yield b.text


def test_key_figure_tiles_are_wide_enough_to_read(status):
    from weasyprint.formatting_structure import boxes

    with translation.override("da"):
        document = pdf_document(status)
    tiles = [
        box
        for page in document.pages
        for box in _boxes(page._page_box)
        if box.element_tag == "dt" and isinstance(box, boxes.BlockBox)
    ]
    assert tiles
    # 45 mm at least (1 mm = 96 / 25.4 px): a label such as "Andel af henvendelser om et barn
    # på 0–12 år" wraps in whole words on two or three lines, never one word a line.
    assert min(t.width for t in tiles) >= 45 * 96 / 25.4


def test_prose_is_left_aligned_and_only_numbers_right_aligned(status):
    from forpost.reports.render import render_html

    with translation.override("da"):
        html = render_html(status)
    theory = html[html.index('id="theory_of_change"') :]
    theory = theory[: theory.index("</section>")]
    # Numbers in its table are right-aligned; its prose never is.
    assert not re.search(r'<(p|li|div|span)[^>]*class="[^"]*fp-num', theory)
    volume = html[html.index('id="volume"') :]
    assert re.search(r'<td class="fp-num"', volume[: volume.index("</section>")])


def test_the_cover_carries_the_municipality_its_logo_and_the_foreword(status, settings):
    settings.MUNICIPALITY_NAME = "Københavns Kommune"
    settings.MUNICIPALITY_LOGO = "public/logo.svg"
    Foreword.objects.create(year=2025, text="Rådgivningerne tog imod flere familier end året før.", signed="Kontorchef")
    with translation.override("da"):
        document = pdf_document(status)
    cover = document.pages[0]._page_box
    text = " ".join(t for t in _text(cover) if t)
    assert "Københavns Kommune" in text
    assert "Forord" in text and "Rådgivningerne tog imod flere familier" in text and "Kontorchef" in text
    images = [b for b in _boxes(cover) if b.element_tag == "img"]
    assert images and images[0].element.get("alt") == "Københavns Kommune"


def test_a_file_rendered_in_parts_keeps_its_tags_contents_and_page_numbers(status, monkeypatch):
    from forpost.reports import render

    toc_seen = {}
    real = render._render_parts

    def spy(status, parts, *args, **kwargs):
        for part in parts:
            if part.get("toc") and all(page != 9999 for _title, page in part["toc"]):
                toc_seen["toc"] = part["toc"]
        return real(status, parts, *args, **kwargs)

    monkeypatch.setattr(render, "_render_parts", spy)
    with translation.override("da"):
        data = render.render_pdf_in_parts(status, part_centres=1)  # two centres: two centre parts
    pdf = pikepdf.open(io.BytesIO(data))
    assert str(pdf.Root.Lang) == "da" and pdf.Root.MarkInfo.Marked is True
    with pdf.open_metadata() as meta:
        assert meta.get("pdfuaid:part") == "1"
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    # Every structure element points at a page of this file, and each part's headings are there.
    heading_pages = []
    seen = set()

    def page_of(element):
        if "/Pg" in element:
            return element.Pg
        children = element.get("/K")
        for child in children if isinstance(children, pikepdf.Array) else [children]:
            if isinstance(child, pikepdf.Dictionary):
                found = page_of(child)
                if found is not None:
                    return found
        return None

    def walk(element):
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        if element.is_indirect:
            if element.objgen in seen:
                return
            seen.add(element.objgen)
        if "/Pg" in element:
            assert element.Pg.objgen in pages
        if str(element.S) in ("/H1", "/H2"):
            page = page_of(element)
            assert page is not None and page.objgen in pages
            heading_pages.append(pages[page.objgen])
        children = element.get("/K")
        for child in children if isinstance(children, pikepdf.Array) else [children]:
            walk(child)

    top = pdf.Root.StructTreeRoot.K
    for element in top if isinstance(top, pikepdf.Array) else [top]:
        walk(element)
    # Each page's marked content finds its elements under a key of its own in the parent tree.
    keys = [int(page.obj.StructParents) for page in pdf.pages if "/StructParents" in page.obj]
    assert len(keys) == len(set(keys)) == len(pdf.pages)
    tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    assert all(key in tree for key in keys)
    # The contents give each section the page its heading is on, the centres' pages too.
    numbers = [page for _title, page in toc_seen["toc"]]
    assert numbers == sorted(numbers) and numbers[-1] <= len(pdf.pages)
    assert set(numbers) <= set(heading_pages)
    titles = [title for title, _page in toc_seen["toc"]]
    # The centres one by one, then the definitions that close the status.
    assert titles[-3:-1] == ["Familierådgivningen Nørrebro", "Familierådgivningen Valby"]
    assert titles[-1] == "Definitioner"
    # Bookmarks survive the join: one for every section and every centre, each pointing at the
    # page its heading is on, under the cover's title as in a file laid out in one go.
    marks: dict[str, int] = {}

    def collect(items, depth):
        for item in items:
            marks.setdefault(str(item.title), pages[item.destination[0].objgen])
            if depth == 0:
                assert str(item.title) == status.title
            collect(item.children, depth + 1)

    with pdf.open_outline() as outline:
        assert len(outline.root) == 1
        collect(outline.root, 0)
    for title, page in toc_seen["toc"]:
        assert marks.get(title) == page, title
    assert pdf.Root.PageMode == pikepdf.Name.UseOutlines


def test_a_file_with_many_centres_is_rendered_in_parts_in_a_fresh_process(status, monkeypatch):
    """Past PDF_PART_CENTRES centre pages the parts are laid out by `python -m
    forpost.reports.pdf_parts`, given the status pickled, so a part does not start with the
    worker's memory; the file it returns is the joined, tagged one with every bookmark."""
    from forpost.reports import render

    monkeypatch.setattr(render, "PDF_PART_CENTRES", 1)
    with translation.override("da"):
        data = render.render_pdf(status)
    pdf = pikepdf.open(io.BytesIO(data))
    assert str(pdf.Root.Lang) == "da" and pdf.Root.MarkInfo.Marked is True
    titles = _bookmark_titles(pdf)
    centres = [s.title for s in status.sections if s.key.startswith("centre-")]
    assert len(centres) == 2 and set(centres) <= set(titles)
    assert {s.title for s in status.sections} <= set(titles)
    assert len(render.PART_PEAKS_MB) > len(centres)  # each part was laid out in a process of its own


def _bookmark_titles(pdf):
    """Every bookmark's title, depth first, in the outline's order."""
    titles = []

    def collect(items):
        for item in items:
            titles.append(str(item.title))
            collect(item.children)

    with pdf.open_outline() as outline:
        collect(outline.root)
    return titles


def _page_texts(data, tmp_path):
    """Each page's text as a reader's copy and paste finds it (poppler's pdftotext)."""
    import shutil
    import subprocess

    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed to read the PDF's pages"
    path = tmp_path / "read.pdf"
    path.write_bytes(data)
    found = subprocess.run(  # noqa: S603 - poppler's pdftotext on a file this test wrote
        [shutil.which("pdftotext") or "pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    out = found.stdout
    return out.split("\f")[:-1]


def test_a_file_in_parts_numbers_every_page_as_a_file_made_in_one_go(status, tmp_path):
    """The parts are laid out without knowing where they begin (so they can be laid out at
    once): the whole file's numbers, "12 / 40", are stamped on when they are joined, on every
    page but the cover, landscape pages too, and as artifacts the structure tree does not hold."""
    from forpost.reports import render

    with translation.override("da"):
        data = render.render_pdf_in_parts(status, part_centres=1, processes=2)
    texts = _page_texts(data, tmp_path)
    total = len(texts)
    assert total > 10
    assert not re.search(r"\d+ / \d+\s*$", texts[0])  # the cover
    for number, text in enumerate(texts[1:], start=2):
        assert re.search(rf"(?<!\d){number} / {total}\s*$", text), (number, text[-200:])
    pdf = pikepdf.open(io.BytesIO(data))
    assert any(page.mediabox[2] > page.mediabox[3] for page in pdf.pages)  # the matrix: landscape
    for page in pdf.pages[1:]:
        contents = page.obj.Contents
        last = (contents[-1] if isinstance(contents, pikepdf.Array) else contents).read_bytes()
        assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in last
        assert b"/FpPageNumber Do" in last
        form = page.Resources.XObject.FpPageNumber
        assert b"BDC" not in form.read_bytes() and b"BMC" not in form.read_bytes()  # no tags inside the artifact
        # The number's own page size: a landscape page gets a landscape number.
        assert [float(v) for v in form.BBox] == [float(v) for v in page.mediabox]


def test_parts_joined_in_the_order_they_are_made_come_out_in_the_files_order(status, tmp_path):
    """The parts are joined as they are made, the longest laid out first: whatever order they
    arrive in, the file's pages, structure and bookmarks follow the parts' order."""
    from forpost.reports import pdf_join, render

    with translation.override("da"):
        pieces = [status.sections[1:2], status.sections[2:3], status.sections[3:4]]
        paths, titles = [], []
        for i, sections in enumerate(pieces):
            pdf, _count, _pages = render._render_part(status, {"sections": sections}, {}, None)
            paths.append(tmp_path / f"{i}.pdf")
            paths[-1].write_bytes(pdf)
            titles.append(sections[0].title)
        total = sum(len(pikepdf.open(path).pages) for path in paths)
        numbers, _count, _p = render.page_number_samples(total, None)
    (tmp_path / "numbers.pdf").write_bytes(numbers)
    join = pdf_join.TaggedJoin(tmp_path / "joined.pdf")
    for i in (2, 0, 1):
        join.add(i, paths[i])
    join.finish([0, 1, 2], tmp_path / "numbers.pdf")
    data = (tmp_path / "joined.pdf").read_bytes()
    texts = _page_texts(data, tmp_path)
    firsts = [next(n for n, text in enumerate(texts) if title in text) for title in titles]
    assert firsts == sorted(firsts)
    pdf = pikepdf.open(io.BytesIO(data))
    kinds, _alts = _structure(pdf)
    assert kinds.count("/H2") >= 3
    headings = []

    def walk(element):
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        if str(element.S) == "/H2":
            headings.append(element)
        children = element.get("/K")
        for child in children if isinstance(children, pikepdf.Array) else [children]:
            walk(child)

    walk(pdf.Root.StructTreeRoot.K[0])
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    heading_pages = [pages[h.Pg.objgen] if "/Pg" in h else None for h in headings]
    assert [p for p in heading_pages if p is not None] == sorted(p for p in heading_pages if p is not None)
    marks = _bookmark_titles(pdf)
    assert [m for m in marks if m in titles] == titles


def test_parts_are_laid_out_side_by_side(status, monkeypatch, tmp_path):
    """With two processes, two parts are laid out at the same time (each in its own child)."""
    import time

    from forpost.reports import render

    real = render._render_part
    log = tmp_path / "log"

    def timed(*args, **kwargs):
        started = time.monotonic()
        made = real(*args, **kwargs)
        time.sleep(0.3)
        with open(log, "a") as handle:
            handle.write(f"{started} {time.monotonic()}\n")
        return made

    monkeypatch.setattr(render, "_render_part", timed)
    with translation.override("da"):
        render.render_pdf_in_parts(status, part_centres=1, processes=2)
    spans = sorted(tuple(map(float, line.split())) for line in log.read_text().splitlines())
    assert len(spans) >= 6
    assert any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans))

"""Join tagged PDFs made by WeasyPrint into one, written as it goes, with the page numbers
stamped on.

A long file (the city's status with 1,000 centres: some 1,100 pages and 400,000 structure
elements) is laid out in parts (render.render_pdf_in_parts). Joining them in pikepdf would hold
every object of every part in memory at once, some 1.5 kB each (about 600 MB for such a file).
Here one part is open at a time: its pages, and the structure elements, fonts and images they
reach, are written out under new object numbers, and only the joined file's own few objects
(the catalogue, the page tree, the structure tree's root and parent tree, the bookmarks) are
made at the end. Objects go into compressed object streams, as WeasyPrint writes them.
"""

from __future__ import annotations

import os
import re
import zlib
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

Bookmark = tuple[str, int, float | None, list[Any]]

# A reference "12 0 R" in qpdf's unparsed text, and what must be stepped over to find one:
# literal strings (qpdf escapes their parentheses) and hexadecimal strings. A name can't hide
# one: a name is followed by a value, and "0 R" alone is none.
_TOKENS = re.compile(rb"\((?:[^\\)]|\\.)*\)|<[0-9A-Fa-f\s]*>|(?<![\d.])(\d+)\s+(\d+)\s+R(?![^\s/<>\[\]()%{}])")
_PER_OBJECT_STREAM = 200


def bookmarks(pdf: Any, refs: Sequence[int]) -> list[Bookmark]:
    """A part's bookmarks (WeasyPrint makes one per heading) as (title, the joined file's object
    number of its page (`refs` are the part's pages'), top of the heading on its page, the
    bookmarks under it)."""
    import pikepdf

    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}

    def walk(items: Any) -> list[Bookmark]:
        found = []
        for item in items:
            destination = item.destination
            page, top = None, None
            if isinstance(destination, pikepdf.Array) and len(destination) and destination[0].is_indirect:
                page = index.get(destination[0].objgen)
                top = float(destination[3]) if len(destination) > 3 and destination[3] is not None else None
            if page is not None:
                found.append((str(item.title), refs[page], top, walk(item.children)))
        return found

    with pdf.open_outline() as outline:
        return walk(outline.root)


class _Writer:
    """A PDF written object by object: streams as they come, other objects gathered into
    compressed object streams; a cross-reference stream at the end."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.next = 1
        self.where: dict[int, tuple[int, int, int]] = {}  # number: (type, field 2, field 3)
        self.pending: list[tuple[int, bytes]] = []
        handle.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> int:
        number = self.next
        self.next += 1
        return number

    def _raw(self, number: int, body: bytes) -> None:
        self.where[number] = (1, self.handle.tell(), 0)
        self.handle.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def add(self, number: int, body: bytes) -> None:
        self.pending.append((number, body))
        if len(self.pending) >= _PER_OBJECT_STREAM:
            self.flush()

    def add_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        self._raw(number, dictionary + b"\nstream\n" + data + b"\nendstream")

    def flush(self) -> None:
        if not self.pending:
            return
        number = self.reserve()
        header, bodies, offset = [], [], 0
        for index, (inner, body) in enumerate(self.pending):
            header.append(b"%d %d" % (inner, offset))
            bodies.append(body)
            offset += len(body) + 1
            self.where[inner] = (2, number, index)
        head = b" ".join(header) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies) + b"\n")
        self.pending = []
        self.add_stream(
            number,
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
            % (len(header), len(head), len(data)),
            data,
        )

    def close(self, trailer: bytes) -> None:
        """The cross-reference stream, with the trailer's entries (`/Root 1 0 R /Info ...`)."""
        self.flush()
        number = self.reserve()
        self.where[number] = (1, self.handle.tell(), 0)
        size = self.next
        rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
        for n in range(1, size):
            kind, second, third = self.where.get(n, (0, 0, 0))
            rows.append(bytes([kind]) + second.to_bytes(4, "big") + third.to_bytes(2, "big"))
        data = zlib.compress(b"".join(rows))
        start = self.handle.tell()
        self.handle.write(
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Filter /FlateDecode /Length %d %s >>\nstream\n"
            % (number, size, len(data), trailer)
        )
        self.handle.write(data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)


class _Part:
    """One source file's objects written under new numbers: each object reached is numbered on
    first sight and written once; some of the source's objects stand for the joined file's own
    (its page tree, structure tree root and Document element)."""

    def __init__(self, writer: _Writer, pdf: Any, standing: dict[tuple[int, int], int]) -> None:
        self.writer = writer
        self.pdf = pdf
        self.standing = standing
        self.numbers: dict[tuple[int, int], int] = {}
        self.waiting: deque[tuple[int, int]] = deque()

    def number(self, key: tuple[int, int]) -> int:
        if key in self.standing:
            return self.standing[key]
        found = self.numbers.get(key)
        if found is None:
            found = self.numbers[key] = self.writer.reserve()
            self.waiting.append(key)
        return found

    def text(self, unparsed: bytes) -> bytes:
        """qpdf's text of an object with every reference renumbered (and its object queued)."""

        standing, numbers, number = self.standing, self.numbers, self.number

        def renumber(match: re.Match[bytes]) -> bytes:
            first, second = match.groups()
            if first is None:
                return match.group(0)
            key = (int(first), int(second))
            found = standing.get(key) or numbers.get(key) or number(key)
            return b"%d 0 R" % found

        return _TOKENS.sub(renumber, unparsed)

    def of(self, obj: Any) -> bytes:
        """An object's text in the joined file: a reference, or a direct object's text."""
        if obj.is_indirect:
            return b"%d 0 R" % self.number(obj.objgen)
        return self.text(obj.unparse(resolved=True))

    def drain(self) -> None:
        """Write every object queued, and those they reach in turn."""
        import pikepdf

        while self.waiting:
            key = self.waiting.popleft()
            obj = self.pdf.get_object(key)
            number = self.numbers[key]
            if isinstance(obj, pikepdf.Stream):
                data = obj.read_raw_bytes()
                dictionary = pikepdf.Dictionary({k: v for k, v in obj.stream_dict.items() if k != "/Length"})
                head = self.text(dictionary.unparse(resolved=True))
                self.writer.add_stream(number, head[:-2] + b" /Length %d >>" % len(data), data)
            else:
                self.writer.add(number, self.text(obj.unparse(resolved=True)))


def _document_of(tree: Any) -> tuple[Any, list[Any]]:
    """A part's Document element (the structure tree's top) and the elements under it."""
    import pikepdf

    top = tree.K
    top = top if isinstance(top, pikepdf.Array) else pikepdf.Array([top])
    if len(top) == 1 and isinstance(top[0], pikepdf.Dictionary) and str(top[0].get("/S", "")) == "/Document":
        document = top[0]
        children = document.get("/K", pikepdf.Array())
        return document, list(children if isinstance(children, pikepdf.Array) else [children])
    return None, list(top)


class _Joined:
    """What the joined file keeps of a part once it is written: its pages' object numbers, the
    numbers kept for their page numbers' forms, its bookmarks and its top structure elements."""

    def __init__(self) -> None:
        self.pages: list[int] = []
        self.stamps: list[int] = []
        self.boxes: list[bytes] = []  # each page's media box, as text
        self.marks: list[Bookmark] = []
        self.children: list[bytes] = []


class TaggedJoin:
    """Tagged PDFs made by WeasyPrint joined into one at `out_path`, a part at a time and in
    any order (`add(i, path)` as each part is made), then put in order by `finish`.

    The joined file keeps the first part's metadata (title, language, PDF/UA identification,
    named destinations), every part's structure tree (each part's elements go under one
    Document element, in the parts' order, and its pages' parent-tree keys move past the keys
    before them: a key need only be unique) and every part's bookmarks: a part's bookmarks go
    under the first part's single top bookmark (the title on the cover), as WeasyPrint nests
    the sections' headings under it in a file made in one go. Each page but the cover gets its
    number, drawn over it as an artifact (pagination): see `_stamps`."""

    def __init__(self, out_path: Path) -> None:
        self.handle = open(out_path, "wb")  # noqa: SIM115 - closed by finish (or abort)
        self.writer = _Writer(self.handle)
        reserve = self.writer.reserve
        self.catalog, self.pages_root, self.tree_root, self.document, self.parent_tree = (reserve() for _ in range(5))
        self.joined: dict[int, _Joined] = {}
        self.nums: list[tuple[int, bytes]] = []
        self.next_key = 0
        self.info = b""
        self.catalog_extra = b""
        self.document_head = b"/Type /StructElem /S /Document"

    def add(self, index: int, path: Path) -> None:
        """Write part `index` (its place among the parts) from the PDF at `path`."""
        import pikepdf

        joined = self.joined[index] = _Joined()
        pdf = pikepdf.open(path)
        try:
            tree = pdf.Root.StructTreeRoot
            document, top = _document_of(tree)
            standing = {pdf.Root.Pages.objgen: self.pages_root, tree.objgen: self.tree_root}
            if document is not None and document.is_indirect:
                standing[document.objgen] = self.document
            part = _Part(self.writer, pdf, standing)
            if index == 0:
                kept = [k for k in ("/Lang", "/MarkInfo", "/Metadata", "/ViewerPreferences", "/Names") if k in pdf.Root]
                self.catalog_extra = b" ".join(k.encode() + b" " + part.of(pdf.Root[k]) for k in kept)
                if "/Info" in pdf.trailer:
                    self.info = b"/Info " + part.of(pdf.trailer.Info)
                if document is not None:
                    self.document_head = b" ".join(
                        k.encode() + b" " + part.of(v) for k, v in document.items() if k not in ("/K", "/P")
                    )
            offset = self.next_key
            for page in pdf.pages:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + offset
                for annotation in page.obj.get("/Annots", []):
                    if "/StructParent" in annotation:
                        annotation.StructParent = int(annotation.StructParent) + offset
                # The page's number is a form written at the end, when the pages are counted.
                stamp = self.writer.reserve()
                placeholder = pdf.make_indirect(pikepdf.Dictionary())
                standing[placeholder.objgen] = stamp
                # Resources of its own (WeasyPrint's pages share theirs), naming the page's number.
                resources = pikepdf.Dictionary(dict(page.obj.get("/Resources", pikepdf.Dictionary()).items()))
                xobjects = pikepdf.Dictionary(dict(resources.get("/XObject", pikepdf.Dictionary()).items()))
                xobjects[_NUMBER] = placeholder
                resources.XObject = xobjects
                page.obj.Resources = resources
                page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
                page.contents_add(pikepdf.Stream(pdf, _STAMP))
                joined.stamps.append(stamp)
                joined.boxes.append(page.obj.MediaBox.unparse(resolved=True))
                joined.pages.append(part.number(page.obj.objgen))
            joined.marks = bookmarks(pdf, joined.pages)
            last = -1
            for key, value in pikepdf.NumberTree(tree.ParentTree).items():
                self.nums.append((key + offset, part.of(value)))
                last = max(last, key)
            self.next_key = offset + max(int(tree.get("/ParentTreeNextKey", 0)), last + 1)
            joined.children = [part.of(child) for child in top if isinstance(child, pikepdf.Dictionary)]
            part.drain()
        finally:
            pdf.close()

    def finish(self, order: Sequence[int], page_numbers: Path) -> None:
        """The parts in `order`, each page but the first numbered from `page_numbers` (see
        `stamps`); the file is complete and closed."""
        try:
            parts = [self.joined[i] for i in order]
            pages = [ref for part in parts for ref in part.pages]
            stamps = [ref for part in parts for ref in part.stamps]
            boxes = [box for part in parts for box in part.boxes]
            self._stamps(stamps, boxes, page_numbers)
            writer = self.writer
            writer.add(self.pages_root, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(pages), _refs(pages)))
            children = b" ".join(child for part in parts for child in part.children)
            writer.add(self.document, b"<< %s /P %d 0 R /K [%s] >>" % (self.document_head, self.tree_root, children))
            self.nums.sort(key=lambda item: item[0])
            writer.add(self.parent_tree, b"<< /Nums [%s] >>" % b" ".join(b"%d %s" % (k, v) for k, v in self.nums))
            writer.add(
                self.tree_root,
                b"<< /Type /StructTreeRoot /K [%d 0 R] /ParentTree %d 0 R /ParentTreeNextKey %d >>"
                % (self.document, self.parent_tree, self.next_key),
            )
            marks = list(parts[0].marks)
            # The cover's title holds the sections, as in a file laid out in one go.
            under = marks[0][3] if len(marks) == 1 else marks
            for part in parts[1:]:
                under.extend(part.marks)
            outlines = _write_outline(writer, marks)
            writer.add(
                self.catalog,
                b"<< /Type /Catalog /Pages %d 0 R /StructTreeRoot %d 0 R %s /Outlines %d 0 R /PageMode /UseOutlines >>"
                % (self.pages_root, self.tree_root, self.catalog_extra, outlines),
            )
            identifier = os.urandom(16).hex().encode()
            writer.close(b"/Root %d 0 R %s /ID [<%s> <%s>]" % (self.catalog, self.info, identifier, identifier))
        finally:
            self.handle.close()

    def _stamps(self, stamps: Sequence[int], boxes: Sequence[bytes], page_numbers: Path) -> None:
        """Page i's number as the form numbered stamps[i]: the sample page of its orientation
        and number of digits, with those digits' glyphs put in (see `render.page_number_samples`:
        its first page shows the digits 0 to 9, then a page for each number of digits, portrait
        and landscape). The font's digits are all as wide (IBM Plex Sans: 600 units), so the
        number stays right-aligned where WeasyPrint put the sample's."""
        import pikepdf

        sample = pikepdf.open(page_numbers)
        try:
            forms = _Part(self.writer, sample, {})
            digits = _glyphs(sample.pages[0].obj.Contents.read_bytes())
            if len(digits) < 10:
                raise RuntimeError("The page numbers' sample lacks the digits")
            templates: dict[tuple[int, bool], tuple[bytes, bytes]] = {}
            for k, page in enumerate(sample.pages[1:]):
                templates[(k // 2 + 1, k % 2 == 1)] = (page.obj.Contents.read_bytes(), forms.of(page.obj.Resources))
            for n, (stamp, box) in enumerate(zip(stamps, boxes, strict=True), start=1):
                if n == 1:  # the cover has no number
                    self.writer.add_stream(stamp, b"<< /Type /XObject /Subtype /Form /BBox %s /Length 0 >>" % box, b"")
                    continue
                text = str(n)
                landscape = _is_landscape(box)
                if (len(text), landscape) not in templates:
                    raise RuntimeError("The page numbers' sample has no page for this page")
                content, resources = templates[(len(text), landscape)]
                data = zlib.compress(_put_digits(content, [digits[int(c)] for c in text]))
                head = b"<< /Type /XObject /Subtype /Form /BBox %s /Resources %s /Filter /FlateDecode /Length %d >>"
                self.writer.add_stream(stamp, head % (box, resources, len(data)), data)
            forms.drain()
        finally:
            sample.close()

    def abort(self) -> None:
        self.handle.close()


# After the page's own content (wrapped in q ... Q): its number, an artifact of pagination, a
# footer the structure tree does not hold (PDF/UA).
_NUMBER = "/FpPageNumber"
_STAMP = b"\nQ\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC q /FpPageNumber Do Q EMC\n"


_SHOWN = re.compile(rb"\[((?:<[0-9A-Fa-f]+>-?[\d.]*)+)\]\s*TJ")
_GLYPH = re.compile(rb"<([0-9A-Fa-f]+)>")


def _glyphs(content: bytes) -> list[bytes]:
    """The glyphs (hexadecimal codes) of the first text shown in a content stream."""
    found = _SHOWN.search(content)
    return _GLYPH.findall(found.group(1)) if found else []


def _put_digits(content: bytes, codes: Sequence[bytes]) -> bytes:
    """The content with its text's first glyphs (the sample number's digits) replaced."""
    found = _SHOWN.search(content)
    if found is None:
        raise RuntimeError("The page number's sample shows no text")
    glyphs = iter(codes)

    def put(match: re.Match[bytes]) -> bytes:
        code = next(glyphs, None)
        return match.group(0) if code is None else b"<" + code + b">"

    shown = _GLYPH.sub(put, found.group(1), count=len(codes))
    return content[: found.start(1)] + shown + content[found.end(1) :]


def _is_landscape(box: bytes) -> bool:
    left, bottom, right, top = (float(v) for v in box.strip(b"[] ").split())
    return right - left > top - bottom


def _refs(numbers: Sequence[int]) -> bytes:
    return b" ".join(b"%d 0 R" % n for n in numbers)


def _write_outline(writer: _Writer, marks: list[Bookmark]) -> int:
    """The bookmarks as an outline: every item open, pointing at its heading's place."""
    import pikepdf

    root = writer.reserve()

    def level(items: list[Bookmark], parent: int) -> tuple[int, int, int]:
        """Write `items` under `parent`: (first, last, how many are shown under the parent)."""
        numbers = [writer.reserve() for _ in items]
        shown = len(items)
        for i, (title, page, top, below) in enumerate(items):
            entries = [
                b"/Title " + pikepdf.String(title).unparse(),
                b"/Parent %d 0 R" % parent,
                b"/Dest [%d 0 R /XYZ 0 %s null]" % (page, b"null" if top is None else b"%.4f" % top),
            ]
            if i:
                entries.append(b"/Prev %d 0 R" % numbers[i - 1])
            if i + 1 < len(items):
                entries.append(b"/Next %d 0 R" % numbers[i + 1])
            if below:
                first, last, count = level(below, numbers[i])
                entries.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (first, last, count))
                shown += count
            writer.add(numbers[i], b"<< %s >>" % b" ".join(entries))
        return (numbers[0], numbers[-1], shown) if items else (0, 0, 0)

    first, last, count = level(marks, root)
    body = (
        b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (first, last, count)
        if marks
        else b"<< /Type /Outlines /Count 0 >>"
    )
    writer.add(root, body)
    return root

"""An attacker who knows only what is published (the JSON of the API), and linear programming.

It reads the city's and every centre's annual status of one year and writes down what any
careful reader knows about them:

- a count table's rows add up to its total, and its shares are the rows over the total,
  rounded to whole per cent;
- a table of years by channel adds up along rows and columns;
- the city is the sum of all the centres, table by table and row by row;
- the number of inquiries is the total of every table with one value per inquiry, a year's
  column of the comparison is that year's channel table, the courses that ended are the total
  of each course table, and the referrals to the family unit the total of the bridge table;
- the city's table of centres repeats each centre's number of inquiries, and its shares;
- a cell marked "primary" holds 1 to threshold − 1 and one marked "secondary" at least 1
  (zeros are shown; the legend says no more of it); a hidden cell of any other kind is only
  known to be ≥ 0.

It then asks a linear program for the least and greatest value of every hidden cell (and of
the counts hidden inside a share: "97 % of 35") and reports each cell recovered exactly, and
each secondary cell narrowed below the protection width.

Nothing here reads the database or imports the suppression code: only the JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Tables with one value per inquiry: their total is the number of inquiries.
PER_INQUIRY = (
    "by_month",
    "by_channel",
    "by_weekday",
    "by_contact",
    "family",
    "parent_sex",
    "origin",
    "has_case",
    "districts",
    "sources",
)
# Tables that add up over the centres to the city's table.
ADDITIVE = (
    *PER_INQUIRY,
    "child_age",
    "child_sex",
    "themes",
    "actions",
    "results",
    "sessions",
    "length",
    "destinations",
    "bridge",
    "group_referrals",
    "years_by_channel",
    "trend_inquiries",
    "trend_channels",
    "feedback",
    "feedback_questions",
    "offers_by_kind",
    "methods_by_centre",
    "outcomes_by_method",
)
# Tables of rows by columns whose last column is the row's total and whose total row adds up
# each column.
CROSS = ("offers_by_kind", "methods_by_centre")
# Tables whose total row adds up each column (no total column).
COLUMNS_ADD_UP = ("feedback",)
# Tables whose every column is a count (the city adds them up column by column).
ALL_COUNTS = ("trend_channels", "feedback", "offers_by_kind", "methods_by_centre")
COURSE_TABLES = ("results", "sessions", "length")
TOTAL = "__total__"
PERCENT = re.compile(r"^(\d+) %$")


@dataclass
class Finding:
    where: tuple[Any, ...]
    kind: str
    low: float
    high: float | None
    why: str

    def __str__(self) -> str:
        return f"{self.why}: {self.where} ({self.kind}) in [{self.low:.2f}, {self.high}]"


@dataclass
class Attack:
    threshold: int
    width: int
    known: dict[tuple[Any, ...], float] = field(default_factory=dict)
    hidden: dict[tuple[Any, ...], str] = field(default_factory=dict)
    implicit: dict[tuple[Any, ...], tuple[Any, ...]] = field(default_factory=dict)  # share part → its whole
    equalities: list[dict[tuple[Any, ...], float]] = field(default_factory=list)
    at_most: list[dict[tuple[Any, ...], float]] = field(default_factory=list)  # sum(coef * x) <= 0
    # Every hidden cell's least and greatest value as findings() worked them out (None: no bound).
    intervals: dict[tuple[Any, ...], tuple[float, float | None]] = field(default_factory=dict)

    # --- what is published ---------------------------------------------------------------

    def value(self, key: tuple[Any, ...], raw: Any) -> bool:
        """Record a published count; False when it is not a count (a text or a share)."""
        if isinstance(raw, bool) or raw is None:
            return False
        if isinstance(raw, int):
            self.known[key] = float(raw)
            return True
        if isinstance(raw, dict) and raw.get("suppressed"):
            self.hidden[key] = str(raw.get("kind") or "")
            return True
        return False

    def has(self, key: tuple[Any, ...]) -> bool:
        return key in self.known or key in self.hidden

    def equal(self, terms: Mapping[tuple[Any, ...], float]) -> None:
        if all(self.has(k) for k in terms):
            self.equalities.append(dict(terms))

    def share(self, part: Mapping[tuple[Any, ...], float], whole: Mapping[tuple[Any, ...], float], text: Any) -> None:
        """A published share "NN %" of part over whole: (NN − ½) % ≤ part / whole ≤ (NN + ½) %."""
        match = PERCENT.match(str(text)) if isinstance(text, str) else None
        if not match or not all(self.has(k) for k in (*part, *whole)):
            return
        s = int(match.group(1)) / 100
        low = {k: -c for k, c in part.items()}
        high = dict(part)
        for k, c in whole.items():
            low[k] = low.get(k, 0) + (s - 0.005) * c
            high[k] = high.get(k, 0) - (s + 0.005) * c
        self.at_most.append(low)
        self.at_most.append(high)

    def read(self, docs: Mapping[str, dict[str, Any]], city: str) -> None:
        for name, doc in docs.items():
            self._read_doc(name, doc)
        centres = [n for n in docs if n != city]
        self._city_is_the_sum(docs, city, centres)

    def _tables(self, doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {t["key"]: t for s in doc["sections"] for t in s["tables"]}

    def _read_doc(self, name: str, doc: dict[str, Any]) -> None:
        tables = self._tables(doc)
        for section in doc["sections"]:
            for i, fact in enumerate(section["facts"]):
                self.value((name, "fact", section["key"], i), fact["value"])
            for table in section["tables"]:
                for row in table["rows"]:
                    for j, raw in enumerate(row["cells"]):
                        self.value((name, table["key"], row["key"], j), raw)
                if table["total"] is not None:
                    for j, raw in enumerate(table["total"]["cells"]):
                        self.value((name, table["key"], TOTAL, j), raw)
        for key, table in tables.items():
            total = table["total"]
            if key == "years_by_channel":
                self._cross(name, table)
            elif total is not None and len(table["columns"]) == 3 and total["cells"][1] in ("100 %", "–"):
                self.equal({(name, key, TOTAL, 0): 1.0, **{(name, key, r["key"], 0): -1.0 for r in table["rows"]}})
                for r in table["rows"]:
                    self.share({(name, key, r["key"], 0): 1.0}, {(name, key, TOTAL, 0): 1.0}, r["cells"][1])
        inquiries = (name, "fact", "volume", 0)
        for key in PER_INQUIRY:
            if key in tables:
                self.equal({inquiries: 1.0, (name, key, TOTAL, 0): -1.0})
        if "years_by_channel" in tables and "by_channel" in tables:
            table = tables["years_by_channel"]
            last = len(table["columns"]) - 3  # corner, years…, total
            self.equal({inquiries: 1.0, (name, "years_by_channel", TOTAL, last): -1.0})
            channel_rows = {r["key"] for r in tables["by_channel"]["rows"]}
            for r in table["rows"]:
                self.equal({(name, "by_channel", r["key"], 0): 1.0, (name, "years_by_channel", r["key"], last): -1.0})
            for r in channel_rows - {r["key"] for r in table["rows"]}:
                self.equal({(name, "by_channel", r, 0): 1.0})  # a channel not in the comparison was not used
        self._new_sections(name, doc, tables, inquiries)
        for key in COURSE_TABLES:
            if key in tables:
                self.equal({(name, "fact", "courses", 1): 1.0, (name, key, TOTAL, 0): -1.0})
        if "bridge" in tables and "destinations" in tables:
            self.equal({(name, "destinations", "family_unit", 0): 1.0, (name, "bridge", TOTAL, 0): -1.0})
        # The shares among the key figures: part of the inquiries, a count nobody is shown.
        for section in doc["sections"]:
            if section["key"] == "target_group" and section["facts"]:
                self._hidden_part(name, "young", inquiries, section["facts"][0]["value"])
                self._without_case(name, (name, "has_case"), section["facts"][1]["value"])
        if "centres" in tables:
            for r in tables["centres"]["rows"]:
                slug = r["key"]
                self.equal({(name, "centres", slug, 0): 1.0, (slug, "fact", "volume", 0): -1.0})
                self._hidden_part(name, f"young:{slug}", (name, "centres", slug, 0), r["cells"][1])
                self._without_case(name, (slug, "has_case"), r["cells"][2])

    def _new_sections(
        self, name: str, doc: dict[str, Any], tables: dict[str, dict[str, Any]], inquiries: tuple[Any, ...]
    ) -> None:
        """The summary, the five years, the families' voice, offers and methods."""
        if "headlines" in tables:
            for r in tables["headlines"]["rows"]:
                if r["key"] == "inquiries":
                    self.equal({(name, "headlines", "inquiries", 0): 1.0, inquiries: -1.0})
                elif r["key"] == "young":
                    self._hidden_part(name, "young", inquiries, r["cells"][0])
                elif r["key"] == "without_case":
                    self._without_case(name, (name, "has_case"), r["cells"][0])
                elif r["key"] == "bridge" and "bridge" in tables:
                    part = {(name, "bridge", k, 0): 1.0 for k in ("contact_made", "case_opened")}
                    self.share(part, {(name, "bridge", TOTAL, 0): 1.0}, r["cells"][0])
        if "trends" in tables and "trend_inquiries" in tables:
            years = [r["key"] for r in tables["trend_inquiries"]["rows"]]
            for j, year in enumerate(years):
                per_year = (name, "trend_inquiries", year, 0)
                self.equal({(name, "trends", "inquiries", j): 1.0, per_year: -1.0})
                for r in tables["trends"]["rows"]:
                    if r["key"] == "young":
                        self._hidden_part(name, f"young@{year}", per_year, r["cells"][j])
                if "trend_channels" in tables:
                    rows = [(name, "trend_channels", r["key"], j) for r in tables["trend_channels"]["rows"]]
                    self.equal({per_year: 1.0, **dict.fromkeys(rows, -1.0)})
            if years:
                self.equal({inquiries: 1.0, (name, "trend_inquiries", years[-1], 0): -1.0})
                if "trend_channels" in tables and "by_channel" in tables:
                    last = len(years) - 1
                    shown = {r["key"] for r in tables["trend_channels"]["rows"]}
                    for r in tables["by_channel"]["rows"]:
                        if r["key"] in shown:
                            self.equal(
                                {(name, "by_channel", r["key"], 0): 1.0, (name, "trend_channels", r["key"], last): -1.0}
                            )
                        else:
                            self.equal({(name, "by_channel", r["key"], 0): 1.0})
        for key in CROSS + COLUMNS_ADD_UP:
            table = tables.get(key)
            if table is None:
                continue
            n = len(table["columns"]) - 1
            rows = [r["key"] for r in table["rows"]]
            if key in CROSS:
                for r in rows:
                    self.equal({(name, key, r, n - 1): 1.0, **{(name, key, r, j): -1.0 for j in range(n - 1)}})
            if table["total"] is not None:
                for j in range(n):
                    self.equal({(name, key, TOTAL, j): 1.0, **{(name, key, r, j): -1.0 for r in rows}})
        facts = {
            f.get("metric") or f["label"]: (section["key"], i)
            for section in doc["sections"]
            for i, f in enumerate(section["facts"])
        }

        def fact(metric: str) -> tuple[Any, ...] | None:
            where = facts.get(metric)
            return None if where is None else (name, "fact", where[0], where[1])

        if "feedback" in tables and (cards := fact("feedback_cards")) is not None:
            self.equal({cards: 1.0, (name, "feedback", TOTAL, 0): -1.0})
        if "offers_by_kind" in tables:
            table = tables["offers_by_kind"]
            last = len(table["columns"]) - 2
            if (total := fact("offer_referrals")) is not None:
                self.equal({total: 1.0, (name, "offers_by_kind", TOTAL, last): -1.0})
            if (made := fact("offer_referrals_contact")) is not None:
                self.equal({made: 1.0, (name, "offers_by_kind", TOTAL, 0): -1.0})
            if "destinations" in tables:
                self.equal({(name, "destinations", "offer", 0): 1.0, (name, "offers_by_kind", TOTAL, last): -1.0})
        if "methods_by_centre" in tables:
            table = tables["methods_by_centre"]
            self.equal(
                {(name, "fact", "courses", 0): 1.0, (name, "methods_by_centre", TOTAL, len(table["columns"]) - 2): -1.0}
            )
        for key, column in (("feedback_questions", 1), ("outcomes_by_method", 2)):
            for r in tables.get(key, {"rows": ()})["rows"]:
                self._hidden_part(name, f"{key}:{r['key']}", (name, key, r["key"], 0), r["cells"][column])

    def _hidden_part(self, name: str, label: str, whole: tuple[Any, ...], text: Any) -> None:
        if not PERCENT.match(str(text)) or not self.has(whole):
            return
        part = (name, "part", label)
        self.hidden[part] = "implicit"
        self.implicit[part] = whole
        self.at_most.append({part: 1.0, whole: -1.0})
        self.share({part: 1.0}, {whole: 1.0}, text)

    def _without_case(self, name: str, table: tuple[str, str], text: Any) -> None:
        doc, key = table
        no, yes = (doc, key, "no", 0), (doc, key, "yes", 0)
        self.share({no: 1.0}, {no: 1.0, yes: 1.0}, text)

    def _cross(self, name: str, table: dict[str, Any]) -> None:
        n = len(table["columns"]) - 1  # cells per row: the years and the total
        rows = [r["key"] for r in table["rows"]]
        for r in rows:
            self.equal(
                {(name, table["key"], r, n - 1): 1.0, **{(name, table["key"], r, j): -1.0 for j in range(n - 1)}}
            )
        for j in range(n):
            self.equal({(name, table["key"], TOTAL, j): 1.0, **{(name, table["key"], r, j): -1.0 for r in rows}})

    @staticmethod
    def _heading(heading: str) -> str:
        """A column's heading as the column it is: "2024 (del af året)" is the year 2024, which a
        centre that registered all of 2024 heads plainly."""
        found = re.fullmatch(r"(\d{4}) \(.*\)", heading)
        return found.group(1) if found else heading

    def _columns(self, doc: dict[str, Any], key: str) -> dict[str, int]:
        """A table's count columns by heading: {heading: index of its cells}."""
        table = self._tables(doc).get(key)
        return {} if table is None else {self._heading(h): j for j, h in enumerate(table["columns"][1:])}

    def _city_is_the_sum(self, docs: Mapping[str, dict[str, Any]], city: str, centres: list[str]) -> None:
        city_tables = self._tables(docs[city])
        empty = {
            n: {s["key"] for s in docs[n]["sections"] if s["no_data"]} for n in centres
        }  # a section without data holds only zeros
        section_of = {t["key"]: s["key"] for s in docs[city]["sections"] for t in s["tables"]}
        for key in ADDITIVE:
            table = city_tables.get(key)
            if table is None:
                continue
            lines = [r["key"] for r in table["rows"]] + ([TOTAL] if table["total"] else [])
            width = len(table["columns"]) - 1 if key in ("years_by_channel", *ALL_COUNTS) else 1
            # A centre's table may leave out columns the city has (a method none of its courses
            # used): the columns of a table of several counts are matched by their heading.
            by_heading = key in ("years_by_channel", *ALL_COUNTS)
            column_of = {n: self._columns(docs[n], key) for n in centres}
            for line in lines:
                for j in range(width):
                    terms: dict[tuple[Any, ...], float] = {(city, key, line, j): 1.0}
                    sound = True
                    heading = self._heading(table["columns"][j + 1])
                    for n in centres:
                        centre_tables = self._tables(docs[n])
                        cell = (n, key, line, column_of[n].get(heading, -1) if by_heading else j)
                        if self.has(cell):
                            terms[cell] = terms.get(cell, 0.0) - 1.0
                        elif key in centre_tables or section_of[key] in empty[n]:
                            continue  # a row the centre does not have, or a section of zeros
                        else:
                            sound = False
                    if sound:
                        self.equal(terms)

    # --- the attack -------------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        import numpy as np
        from scipy.optimize import linprog
        from scipy.sparse import csr_matrix

        variables = sorted(self.hidden, key=repr)
        index = {v: i for i, v in enumerate(variables)}
        n = len(variables)
        if not n:
            return []

        def matrix(rows: list[dict[tuple[Any, ...], float]]) -> tuple[Any, Any]:
            data, ii, jj, rhs = [], [], [], []
            kept = 0
            for row in rows:
                constant = 0.0
                entries: dict[int, float] = {}
                for k, c in row.items():
                    if k in index:
                        entries[index[k]] = entries.get(index[k], 0.0) + c
                    else:
                        constant += c * self.known[k]
                if not any(entries.values()):
                    continue
                for j, c in entries.items():
                    ii.append(kept)
                    jj.append(j)
                    data.append(c)
                rhs.append(-constant)
                kept += 1
            if not kept:
                return None, None
            return csr_matrix((data, (ii, jj)), shape=(kept, n)), np.asarray(rhs)

        a_eq, b_eq = matrix(self.equalities)
        a_ub, b_ub = matrix(self.at_most)
        bounds = []
        for v in variables:
            kind = self.hidden[v]
            if kind == "primary":
                bounds.append((1.0, float(self.threshold - 1)))
            elif kind == "secondary":
                bounds.append((1.0, None))  # the legend: hidden to protect another, a count of 1 or more
            else:
                bounds.append((0.0, None))

        def extreme(objective: Any) -> float | None:
            done = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if done.status == 2:
                raise AssertionError("What is published contradicts itself (infeasible): the attacker is wrong.")
            return None if done.status != 0 else float(done.fun)

        found = []
        for v in variables:
            kind = self.hidden[v]
            targets: list[tuple[str, Any]] = [("cell", {v: 1.0})]
            if kind == "implicit":  # the part and the rest of a share are both counts
                targets = [("part", {v: 1.0}), ("rest", {self.implicit[v]: 1.0, v: -1.0})]
            for what, terms in targets:
                objective = np.zeros(n)
                constant = 0.0
                for k, c in terms.items():
                    if k in index:
                        objective[index[k]] += c
                    else:
                        constant += c * self.known[k]
                low = extreme(objective)
                high = extreme(-objective)
                lo = (low if low is not None else 0.0) + constant
                hi = None if high is None else -high + constant
                self.intervals[(*v, what) if kind == "implicit" else v] = (lo, hi)
                exact = hi is not None and np.floor(hi + 1e-6) - np.ceil(lo - 1e-6) <= 0
                if kind == "implicit":
                    if exact and 0 < round(lo) < self.threshold:
                        found.append(Finding((*v, what), kind, lo, hi, "a small count behind a share"))
                elif exact:
                    found.append(Finding(v, kind, lo, hi, "recovered exactly"))
                elif kind == "secondary" and (hi is None or hi - lo < self.width - 1e-6) and hi is not None:
                    found.append(Finding(v, kind, lo, hi, "narrowed below the protection width"))
        return found


def attack(docs: Mapping[str, dict[str, Any]], city: str, *, threshold: int, width: int) -> list[Finding]:
    attacker = Attack(threshold=threshold, width=width)
    attacker.read(docs, city)
    return attacker.findings()

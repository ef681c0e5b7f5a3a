"""Issue 30 (WCAG 1.3.1, technique H43): every data table with more than one header row or
column ties each data cell to its headers with `headers`, also where axe passes without."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse_lazy

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


class _Tables(HTMLParser):
    """The tables of a page as rows (section, row group, cells); a cell is (tag, attrs,
    colspan, rowspan)."""

    def __init__(self):
        super().__init__()
        self.tables, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.stack.append({"rows": [], "section": "tbody", "group": 0})
        elif not self.stack:
            return
        table = self.stack[-1]
        if tag in ("thead", "tbody", "tfoot"):
            table["section"] = tag
            table["group"] += 1
        elif tag == "tr":
            table["rows"].append((table["section"], table["group"], []))
        elif tag in ("th", "td"):
            span = int(attrs.get("colspan") or 1), int(attrs.get("rowspan") or 1)
            table["rows"][-1][2].append((tag, attrs, *span))

    def handle_endtag(self, tag):
        if tag == "table" and self.stack:
            self.tables.append(self.stack.pop())

    def handle_data(self, data):
        pass


def _grid(rows):
    """Place each cell on the grid its colspan and rowspan cover: {(row, col): cell}."""
    grid, placed = {}, []
    for r, (section, group, cells) in enumerate(rows):
        col = 0
        for cell in cells:
            while (r, col) in grid:
                col += 1
            _, _, colspan, rowspan = cell
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, col + dc)] = cell
            placed.append((r, col, section, group, cell))
            col += colspan
    return grid, placed


def untied_cells(html: str) -> list[str]:
    """Data cells of tables with more than one header row or column (a row group's header
    counts as one) whose `headers` do not name every header of their row, of their row group
    and above them in the head."""
    parser = _Tables()
    parser.feed(html)
    problems = []
    for n, table in enumerate(parser.tables, 1):
        rows = table["rows"]
        head_rows = [cells for section, _, cells in rows if section == "thead"]
        body = [cells for section, _, cells in rows if section != "thead"]
        row_headers = max((sum(1 for c in cells if c[0] == "th") for cells in body), default=0)
        group_headers = {
            group: cell[1].get("id") or "<rijgroepkop zonder id>"
            for section, group, cells in rows
            for cell in cells
            if cell[0] == "th" and cell[1].get("scope") == "rowgroup"
        }
        if len(head_rows) < 2 and row_headers < 2 and not group_headers:
            continue
        grid, placed = _grid(rows)
        ids = {cell[1].get("id") for cell in grid.values() if cell[0] == "th"} - {None}
        for r, col, section, group, (tag, attrs, colspan, _) in placed:
            if tag != "td" or section == "thead":
                continue
            named = set((attrs.get("headers") or "").split())
            wanted = {group_headers[group]} if group in group_headers else set()
            for c in range(col, col + colspan):
                for rr in range(len(head_rows)):
                    above = grid.get((rr, c))
                    if above and above[0] == "th":
                        wanted.add(above[1].get("id") or f"<th zonder id in rij {rr + 1}>")
            for cc in range(col):
                left = grid.get((r, cc))
                if left and left[0] == "th":
                    wanted.add(left[1].get("id") or f"<rijkop zonder id in rij {r + 1}>")
            missing = wanted - named
            unknown = named - ids
            if missing or unknown:
                problems.append(
                    f"tabel {n}, rij {r + 1}, kolom {col + 1}: ontbreekt {sorted(missing)}"
                    + (f", onbekend {sorted(unknown)}" if unknown else "")
                )
    return problems


def test_the_check_finds_a_two_level_table_without_headers():
    html = """<table><thead><tr><th colspan="2" id="g">Groep</th></tr>
    <tr><th id="a">A</th><th>B</th></tr></thead>
    <tbody><tr><td headers="g a">1</td><td>2</td></tr></tbody></table>"""
    assert untied_cells(html) == [
        "tabel 1, rij 3, kolom 2: ontbreekt ['<th zonder id in rij 2>', 'g']"
    ]
    grouped = """<table><thead><tr><th id="p">Post</th><th id="b">Bedrag</th></tr></thead>
    <tbody><tr><th scope="rowgroup" id="c1" colspan="2">Component 1</th></tr>
    <tr><th id="r1">Huur</th><td headers="r1 b">5</td></tr></tbody></table>"""
    assert untied_cells(grouped) == ["tabel 1, rij 3, kolom 2: ontbreekt ['c1']"]
    simple = "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
    assert untied_cells(simple) == []


@pytest.mark.parametrize(
    "url",
    [
        reverse_lazy("finance:report", args=["dordrecht", 2024]),
        reverse_lazy("finance:report-projects", args=["dordrecht", 2024]),
        reverse_lazy("finance:budget-detail", args=[2024]),
    ],
)
def test_the_money_pages_tie_every_cell_to_its_headers(
    url, mbo, official_dordrecht, programme_office, particulars
):
    """The report's and the budget page's two-level tables (the contributions per component,
    the budget lines under a header per component), their total rows' empty cells included;
    as the programme office too, who sees the budget's edit links."""
    for user in (official_dordrecht, programme_office):
        response = client_for(user).get(url)
        assert response.status_code == 200 and "<table" in response.text
        assert untied_cells(response.text) == []

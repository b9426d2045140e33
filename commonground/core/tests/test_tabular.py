import io

import pytest
from openpyxl import Workbook, load_workbook

from commonground.core.tabular import (
    Column,
    TabularError,
    choice,
    integer,
    number,
    parse_row,
    read_table,
    safe_cell,
    text,
    unescape,
    write_csv,
    write_xlsx,
)

COLUMNS = [
    Column("name", text(20), required=True),
    Column("size", integer(0)),
    Column("kind", choice([("a", "Alpha")])),
]


def rows_of(content: bytes, name="f.csv"):
    return list(read_table(io.BytesIO(content), name, COLUMNS))


def test_reads_csv_rows_numbered_from_two_and_skips_blank_rows():
    assert rows_of(b"\xef\xbb\xbfname,size\nA,1\n,\nB,2\n") == [
        (2, {"name": "A", "size": "1"}),
        (4, {"name": "B", "size": "2"}),
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"name,colour\nA,red\n", "unknown column"),
        (b"size\n1\n", "missing required column"),
        (b"name,name\nA,B\n", "named twice"),
        (b"name\nA,extra\n", "more cells"),
        ("name\nCaf\u00e9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_unreadable_files_raise_with_the_row(content, message):
    with pytest.raises(TabularError, match=message):
        rows_of(content)


def test_wrong_extension_is_refused():
    with pytest.raises(TabularError, match=".csv or .xlsx"):
        rows_of(b"name\nA\n", "f.txt")


def test_reads_xlsx():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "size"])
    sheet.append(["A", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert rows_of(buffer.getvalue(), "f.xlsx") == [(2, {"name": "A", "size": "3"})]


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(TabularError, match="not a readable .xlsx"):
        rows_of(b"not a zip", "f.xlsx")


def test_parse_row_collects_an_error_per_cell():
    parsed = parse_row(7, {"name": "", "size": "-3", "kind": "zeta"}, COLUMNS)
    assert [(e.row, e.column) for e in parsed.errors] == [(7, "name"), (7, "size"), (7, "kind")]


def test_choice_accepts_code_or_label_in_any_case():
    assert choice([("a", "Alpha")])("ALPHA") == "a"


@pytest.mark.parametrize("value", ["1.5", "x", "1e999"])
def test_integer_refuses_non_integers(value):
    with pytest.raises(ValueError):
        integer()(value)


def test_number_enforces_its_range():
    with pytest.raises(ValueError):
        number(-90, 90)("91")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\0x"])
def test_formula_looking_text_is_quoted_on_export(value):
    assert safe_cell(value) == "'" + value
    assert unescape(safe_cell(value)) == value


def test_numbers_are_left_alone_on_export():
    assert safe_cell(-5) == -5


def test_csv_and_xlsx_exports_quote_formulas():
    out = io.StringIO()
    write_csv(out, ["name"], [['=HYPERLINK("x")']])
    assert out.getvalue().splitlines()[1] == '"\'=HYPERLINK(""x"")"'
    buffer = io.BytesIO()
    write_xlsx(buffer, ["name"], [["=1+1"]], title="t", marking="TLP:GREEN")
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet["A2"].value == "'=1+1"
    assert sheet.oddHeader.center.text == "TLP:GREEN"

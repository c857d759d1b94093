"""Reading a register extract: every kind of bad file refused with a message a person can act
on, before anything in it is trusted (issue 14)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest

from vigil.register import extract
from vigil.register.extract import ExtractError, open_extract

HEADER = "ViSOR Ref,Surname,Forenames,RoSH,Registration Date\n"
GOOD = HEADER + "SYN/0001,Quenby,Adrian,HIGH,10/01/2024\n\nSYN/0002,Pellow,Mark,LOW,02/03/2023\n"


def _rows(sheet: extract.Sheet) -> list[tuple[int, list[str]]]:
    return list(sheet.rows)


def test_a_csv_is_read_with_its_rows_numbered_as_in_the_file() -> None:
    sheet = open_extract(GOOD.encode(), "extract.csv")
    assert sheet.kind == "csv"
    assert sheet.header == ["ViSOR Ref", "Surname", "Forenames", "RoSH", "Registration Date"]
    rows = _rows(sheet)
    assert [n for n, _ in rows] == [2, 4]  # the blank line 3 skipped, not renumbered
    assert rows[0][1][0] == "SYN/0001"


def test_excels_utf8_with_a_byte_order_mark_and_semicolons_are_read() -> None:
    text = GOOD.replace(",", ";")
    sheet = open_extract(b"\xef\xbb\xbf" + text.encode(), "extract.csv")
    assert sheet.header[0] == "ViSOR Ref"  # no BOM left on the first heading
    assert _rows(sheet)[0][1][1] == "Quenby"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ExtractError, match="The file is empty"):
        open_extract(b"", "extract.csv")


def test_text_in_another_encoding_is_refused_naming_the_line() -> None:
    data = (HEADER + "SYN/0003,Bront\xeb,Ann,LOW,01/01/2020\n").encode("latin-1")
    with pytest.raises(ExtractError, match=r"not UTF-8 text \(byte 0xeb on line 2\).*CSV UTF-8"):
        open_extract(data, "extract.csv")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n...", "a PDF"),
        (b"\x89PNG\r\n\x1a\n....", "a PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "an old Excel"),
        (b"\x00\x01\x02binary\x00", "not text"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(data: bytes, what: str) -> None:
    with pytest.raises(ExtractError, match=what):
        open_extract(data, "extract.csv")


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ExtractError, match="a zip archive, not an XLSX workbook"):
        open_extract(buffer.getvalue(), "extract.xlsx")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("ViSOR Ref,Surname,surname\n", "names “surname” twice"),
        ("ViSOR Ref,,Surname\n", "Column 2 of the header row has no name"),
        (",,\n", "The first row is blank"),
    ],
)
def test_a_bad_header_is_refused(header: str, message: str) -> None:
    with pytest.raises(ExtractError, match=message):
        open_extract((header + "a,b,c\n").encode(), "extract.csv")


def test_a_cell_beyond_the_csv_readers_limit_stops_the_read_at_its_row() -> None:
    data = HEADER + "SYN/1,Quenby,Adrian,HIGH,10/01/2024\n" + "SYN/2," + "x" * 200_000 + ",A,B,C\n"
    sheet = open_extract(data.encode(), "extract.csv")
    with pytest.raises(ExtractError, match=r"Row 3 cannot be read as CSV.*longer than 131,072"):
        _rows(sheet)


def test_more_rows_than_an_extract_holds_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "MAX_ROWS", 2)
    sheet = open_extract((HEADER + "a,b,c,d,e\n" * 3).encode(), "extract.csv")
    with pytest.raises(ExtractError, match="more than 2 rows"):
        _rows(sheet)


# --- XLSX ----------------------------------------------------------------------------------


def _workbook(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewritten(data: bytes, part: str, change: object) -> bytes:
    """The workbook with one of its parts rewritten by `change(text) -> text`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == part:
                body = change(body.decode()).encode()  # type: ignore[operator]
            target.writestr(info.filename, body)
    return buffer.getvalue()


def test_an_xlsx_is_read_with_dates_as_iso_and_formulas_as_their_text() -> None:
    data = _workbook(
        [
            ["ViSOR Ref", "Surname", "Registration Date", "MAPPA Level"],
            ["SYN/0001", "Quenby", datetime(2024, 1, 10), 1],
            [None, None, None, None],
            ["SYN/0002", '=HYPERLINK("http://example.invalid")', date(2023, 3, 2), 2.0],
        ]
    )
    sheet = open_extract(data, "extract.xlsx")
    assert sheet.kind == "xlsx"
    assert sheet.header == ["ViSOR Ref", "Surname", "Registration Date", "MAPPA Level"]
    rows = _rows(sheet)
    assert rows[0] == (2, ["SYN/0001", "Quenby", "2024-01-10", "1"])
    assert rows[1][0] == 4
    assert rows[1][1][1].startswith("=HYPERLINK")  # the validation refuses it, by its cell
    assert rows[1][1][3] == "2"


def test_a_workbook_with_an_xml_entity_bomb_is_refused() -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    data = _rewritten(
        _workbook([["ViSOR Ref"], ["SYN/1"]]),
        "xl/worksheets/sheet1.xml",
        lambda text: laughs + text.replace("SYN/1", "&lol2;"),
    )
    with pytest.raises(ExtractError, match="XML entity declarations"):
        _rows(open_extract(data, "extract.xlsx"))


def test_a_zip_bomb_is_refused_from_the_directory_before_it_is_unpacked() -> None:
    data = _rewritten(
        _workbook([["ViSOR Ref"], ["SYN/1"]]),
        "xl/worksheets/sheet1.xml",
        lambda text: text + " " * 20_000_000,  # 20 MB that packs to a few KB
    )
    with pytest.raises(ExtractError, match="times larger than it is packed: it may be a zip bomb"):
        open_extract(data, "extract.xlsx")


def test_a_workbook_larger_unpacked_than_any_extract_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(extract, "MAX_UNCOMPRESSED", 1_000)
    with pytest.raises(ExtractError, match=r"unpacks to .* MB: larger than any register extract"):
        open_extract(_workbook([["ViSOR Ref"], ["SYN/1"]]), "extract.xlsx")


def test_a_sheet_declaring_more_rows_than_an_extract_is_refused_before_reading_them() -> None:
    data = _rewritten(
        _workbook([["ViSOR Ref"], ["SYN/1"]]),
        "xl/worksheets/sheet1.xml",
        lambda text: text.replace('<dimension ref="A1:A2" />', '<dimension ref="A1:A900000" />'),
    )
    with pytest.raises(ExtractError, match="declares 899,999 rows"):
        open_extract(data, "extract.xlsx")


def test_a_damaged_workbook_is_refused() -> None:
    data = _workbook([["ViSOR Ref"], ["SYN/1"]])
    with pytest.raises(ExtractError, match=r"damaged|cannot be read"):
        open_extract(data[: len(data) // 2], "extract.xlsx")


def test_a_quote_doubled_after_the_sample_the_sniffer_saw_stays_in_its_cell() -> None:
    """csv's Sniffer, seeing quoted cells but no doubled quote in its sample, would turn
    doubled quotes off and split a later address; only its delimiter is taken."""
    early = "".join(f'SYN/{i},"Quenby",Adrian,LOW,01/01/2020\n' for i in range(400))
    late = 'SYN/9,"The ""Old"" Barn, Town",Ann,LOW,01/01/2020\n'
    sheet = open_extract((HEADER + early + late).encode(), "extract.csv")
    last = _rows(sheet)[-1][1]
    assert last[1] == 'The "Old" Barn, Town'
    assert len(last) == 5


def test_csv_rows_are_numbered_by_record_not_by_line() -> None:
    """An address with a line break in its cell is one row, as a spreadsheet shows it."""
    data = (
        HEADER + 'SYN/1,"Flat 2\nThe Barn",Ann,LOW,01/01/2020\n\nSYN/2,Pellow,Mark,LOW,02/03/2023\n'
    )
    assert [n for n, _ in _rows(open_extract(data.encode(), "extract.csv"))] == [2, 4]


def test_utf16_text_is_refused_with_what_to_do() -> None:
    with pytest.raises(ExtractError, match=r"UTF-16 text.*CSV UTF-8"):
        open_extract(HEADER.encode("utf-16"), "extract.txt")


def test_a_row_of_more_columns_than_an_extract_has_is_refused() -> None:
    sheet = open_extract((HEADER + "," * 600 + "\n").encode(), "extract.csv")
    with pytest.raises(ExtractError, match="Row 2 has 601 columns"):
        _rows(sheet)


def test_a_sheet_declared_wider_than_its_header_is_read_to_the_headers_width() -> None:
    """A formatted row makes a sheet declare 16,384 columns, and openpyxl would pad every
    row out to them: only the header's are read."""
    data = _rewritten(
        _workbook([["ViSOR Ref", "Surname"], ["SYN/1", "Quenby"]]),
        "xl/worksheets/sheet1.xml",
        lambda text: text.replace('<dimension ref="A1:B2" />', '<dimension ref="A1:XFD2" />'),
    )
    sheet = open_extract(data, "extract.xlsx")
    assert sheet.header == ["ViSOR Ref", "Surname"]
    assert _rows(sheet) == [(2, ["SYN/1", "Quenby"])]


def test_a_table_of_text_larger_than_any_extract_is_refused_unread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(extract, "MAX_SHARED_STRINGS", 100)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>x</t></si>" * 20 + "</sst>")
    data = _workbook([["ViSOR Ref"], ["SYN/1"]])
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "a") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    with pytest.raises(ExtractError, match="table of text unpacks to"):
        open_extract(buffer.getvalue(), "extract.xlsx")

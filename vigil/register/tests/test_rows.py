"""The mapping of a register extract onto Vigil's fields, and every row validated against it:
each fault named by row, field and source column (issue 14)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from vigil.register.extract import open_extract
from vigil.register.mapping import MappingError, example, load_mapping
from vigil.register.rows import Checked, check_rows, failed_rows_csv

TODAY = date(2026, 12, 4)
HEADER = [
    "ViSOR Ref",
    "Surname",
    "Forenames",
    "DOB",
    "Gender",
    "Address 1",
    "Town",
    "Postcode",
    "RoSH",
    "Management Type",
    "Registration Date",
    "MAPPA Level",
]
GOOD = [
    "SYN/0001",
    "Quenby",
    "Adrian",
    "03/04/1970",
    "M",
    "1 Example Street",
    "Alpha",
    "ZZ99 1AA",
    "Very High",
    "ACTIVE",
    "10/01/2024",
    "2",
]
MAPPING = """
name = "Test"
date_formats = ["%d/%m/%Y"]
[columns]
register_reference = "ViSOR Ref"
family_name = "Surname"
given_names = "Forenames"
date_of_birth = "DOB"
sex = "Gender"
address_line_1 = "Address 1"
town = "Town"
postcode = "Postcode"
risk_level = "RoSH"
management_mode = "Management Type"
registration_date = "Registration Date"
mappa_level = "MAPPA Level"
[values.risk_level]
"VERY HIGH" = "very_high"
"HIGH" = "high"
"LOW" = "low"
[values.sex]
"M" = "male"
"""


def _check(*rows: list[str], header: list[str] = HEADER) -> Checked:
    mapping = load_mapping(MAPPING)
    return check_rows(enumerate(rows, start=2), header, mapping, TODAY)


def _with(**cells: str) -> list[str]:
    """GOOD with other cells (`ViSOR_Ref` for "ViSOR Ref"), and another reference."""
    row = list(GOOD)
    row[0] = "SYN/0002"
    for column, value in cells.items():
        row[HEADER.index(column.replace("_", " "))] = value
    return row


def test_a_good_row_becomes_vigils_values() -> None:
    checked = _check(GOOD)
    assert checked.faults == []
    [(number, values)] = checked.good
    assert number == 2
    assert values == {
        "register_reference": "SYN/0001",
        "family_name": "Quenby",
        "given_names": "Adrian",
        "date_of_birth": date(1970, 4, 3),
        "sex": "male",
        "address_line_1": "1 Example Street",
        "town": "Alpha",
        "postcode": "ZZ99 1AA",
        "risk_level": "very_high",  # the mapping's spelling, case aside
        "management_mode": "active",  # Vigil's own value, case aside
        "registration_date": date(2024, 1, 10),
        "mappa_level": 2,
    }


@pytest.mark.parametrize(
    ("cells", "field", "column", "message"),
    [
        ({"Surname": ""}, "family_name", "Surname", "Family name is missing"),
        (
            {"Registration_Date": "31/02/2024"},
            "registration_date",
            "Registration Date",
            "not a date (written as 31/03/2026 or 2026-03-31)",
        ),
        (
            {"Registration_Date": "05/12/2026"},
            "registration_date",
            "Registration Date",
            "05/12/2026 is after today",
        ),
        ({"DOB": "01/01/2030"}, "date_of_birth", "DOB", "is after today"),
        (
            {"RoSH": "Extreme"},
            "risk_level",
            "RoSH",
            "“Extreme” is not a risk level the mapping knows (add it under [values.risk_level])",
        ),
        ({"MAPPA_Level": "4"}, "mappa_level", "MAPPA Level", "not 1, 2 or 3"),
        ({"Surname": "=cmd|'/c calc'!A1"}, "family_name", "Surname", "a formula, not a value"),
        (
            {"Forenames": "x" * 5_000},
            "given_names",
            "Forenames",
            "5,000 characters: longer than any field takes",
        ),
        ({"Surname": "y" * 101}, "family_name", "Surname", "101 characters: Family name takes 100"),
        (
            {"Address_1": ""},
            "address_line_1",
            "Address 1",
            "Address line 1 is missing from an address",
        ),
    ],
)
def test_each_fault_is_named_by_row_field_and_column(
    cells: dict[str, str], field: str, column: str, message: str
) -> None:
    checked = _check(GOOD, _with(**cells))
    assert [n for n, _ in checked.good] == [2]  # the good row is kept; the bad one is not
    [fault] = checked.faults
    assert (fault.row, fault.field, fault.column) == (3, field, column)
    assert message in fault.message
    assert checked.bad_rows[0][0] == 3


def test_a_register_reference_given_twice_is_a_fault_of_the_second() -> None:
    checked = _check(GOOD, _with(ViSOR_Ref="SYN/0001"), _with(ViSOR_Ref="syn/0001"))
    assert [f.row for f in checked.faults] == [3, 4]
    assert checked.faults[0].message == (
        "the register reference SYN/0001 is given again (first in row 2)"
    )


def test_a_short_row_has_its_missing_cells_empty() -> None:
    checked = _check(GOOD[:3])
    assert {f.field for f in checked.faults} == {"risk_level", "registration_date"}


def test_the_rows_that_failed_download_with_what_is_wrong() -> None:
    checked = _check(GOOD, _with(RoSH="Extreme", MAPPA_Level="9"))
    table = list(failed_rows_csv(HEADER, checked))
    assert table[0] == ["Row", *HEADER, "What is wrong"]
    assert table[1][0] == "3"
    assert table[1][-1].startswith("RoSH: “Extreme” is not a risk level")
    assert "MAPPA Level: “9” is not 1, 2 or 3" in table[1][-1]


def test_progress_is_told_as_the_rows_are_read() -> None:
    told: list[int] = []
    rows = [_with(ViSOR_Ref=f"SYN/{i}") for i in range(12_000)]
    check_rows(enumerate(rows, start=2), HEADER, load_mapping(MAPPING), TODAY, told.append)
    assert told == [5_000, 5_000, 2_000]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns\n", "not valid TOML"),
        ("name = 'x'\n", r"\[columns\] must map"),
        ("[columns]\nfamily_name = 'S'\n", "columns.register_reference is required"),
        ("[columns]\nshoe_size = 'S'\n", "columns.shoe_size is not one of Vigil's fields"),
        (
            "[columns]\nregister_reference='A'\nfamily_name='A'\ngiven_names='B'\n"
            "risk_level='C'\nregistration_date='D'\n",
            "the column 'a' is mapped to two fields",
        ),
        (MAPPING + '"EXTREME" = "extreme"\n', r"values.sex.'EXTREME': 'extreme' is not one of"),
        (
            "date_formats = ['%Q']\n" + MAPPING.split("date_formats", 1)[1].split("\n", 1)[1],
            "'%Q' is not a date format",
        ),
        ("colums = 1\n", "unknown key 'colums'"),
    ],
)
def test_a_wrong_mapping_is_refused_naming_the_key(text: str, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        load_mapping(text, "test.toml")


def test_the_columns_a_mapping_needs_and_the_extract_lacks_are_named() -> None:
    mapping = load_mapping(MAPPING)
    # the first three present (compared without case), the rest named in the mapping's order
    assert mapping.missing(["visor ref", "Surname", "Forenames"]) == HEADER[3:]


@pytest.mark.parametrize("name", ["visor", "mapps"])
def test_the_example_mappings_load(name: str) -> None:
    mapping = example(name)
    assert "register_reference" in mapping.columns
    assert mapping.values["risk_level"]


def test_an_example_extract_reads_and_validates_end_to_end() -> None:
    mapping = example("visor")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = list(mapping.columns.values())
    writer.writerow(header)
    row = {
        "ViSOR Ref": "SYN/0009",
        "Surname": "Quenby",
        "Forenames": "Adrian",
        "DOB": "03/04/70",
        "Gender": "M",
        "Address 1": "1 Example Street",
        "Town": "Alpha",
        "Postcode": "ZZ99 1AA",
        "RoSH": "V HIGH",
        "Management Type": "Reactive Management",
        "Registration Date": "10/01/2024",
        "Notification End Date": "10/01/2034",
        "MAPPA Category": "1",
        "MAPPA Level": "1",
    }
    writer.writerow([row.get(h, "") for h in header])
    sheet = open_extract(buffer.getvalue().encode(), "visor.csv")
    assert mapping.missing(sheet.header) == []
    checked = check_rows(sheet.rows, sheet.header, mapping, TODAY)
    assert checked.faults == []
    values = checked.good[0][1]
    assert values["risk_level"] == "very_high"
    assert values["management_mode"] == "reactive"
    assert values["date_of_birth"] == date(1970, 4, 3)  # %d/%m/%y
    assert values["notification_ends"] == date(2034, 1, 10)  # a future date is allowed here


def test_a_two_digit_year_of_a_past_date_is_last_centurys_when_this_centurys_is_ahead() -> None:
    mapping = load_mapping(MAPPING.replace('["%d/%m/%Y"]', '["%d/%m/%Y", "%d/%m/%y"]'))
    rows = [(2, _with(DOB="01/02/55")), (3, _with(ViSOR_Ref="SYN/3", DOB="01/02/05"))]
    checked = check_rows(rows, HEADER, mapping, TODAY)
    assert checked.faults == []
    assert [values["date_of_birth"] for _, values in checked.good] == [
        date(1955, 2, 1),  # not 2055
        date(2005, 2, 1),
    ]

"""Reading inputs into Report records: text, HTML, JSON, JSON Lines, directories, bad input."""
from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

import pytest

from warmonitor.errors import ReferenceDataError, ReportError
from warmonitor.records import Report, Skipped, content_hash
from warmonitor.reports import Furniture, iter_reports, read_text_report
from warmonitor.reports.dates import parse_published

FIXTURES = Path(__file__).parent / "fixtures" / "reports"


def read_all(path, **options) -> list[Report | Skipped]:
    return list(iter_reports(path, **options))


def only_report(path, **options) -> Report:
    (item,) = read_all(path, **options)
    assert isinstance(item, Report), item
    return item


# --- plain text: furniture and wire credits ---------------------------------------------------


def test_text_file_loses_furniture_and_wire_credit_which_becomes_publisher():
    report = only_report(FIXTURES / "wire_story.txt")
    assert report.text.startswith("Government forces retook the hill town of Karvel on Monday")
    assert report.text.endswith("dozens of families fled towards the coast.")
    for furniture in ("Share", "With AFP", "Comments"):
        assert furniture not in report.text
    assert report.publisher == "AFP"
    assert report.published is None
    assert report.origin == str(FIXTURES / "wire_story.txt")
    assert report.id == content_hash(report.text)


def test_explicit_publisher_and_date_win_over_the_wire_credit():
    report = only_report(FIXTURES / "wire_story.txt", publisher="Field Notes", published=date(2024, 12, 3))
    assert report.publisher == "Field Notes"
    assert report.published == date(2024, 12, 3)
    assert "With AFP" not in report.text  # the credit line is furniture whoever the publisher is


def test_dateline_names_the_publisher_and_stays_in_the_text():
    report = only_report(FIXTURES / "dateline.txt")
    assert report.publisher == "Reuters"
    assert report.text.startswith("KHARTOUM (Reuters) - Drone strikes hit a fuel depot")
    assert report.text.endswith("No casualty figures were immediately available.")
    assert "Editing by" not in report.text


@pytest.mark.parametrize(
    ("last_lines", "publisher"),
    [
        ("(Reuters)", "Reuters"),
        ("— AP", "AP"),
        ("Additional reporting by Reuters", "Reuters"),
        ("With AFP and Reuters.", "AFP"),
        ("With agencies", None),
        ("Agence France-Presse contributed to this report", "AFP"),
        ("Read more\nAdvertisement\n© 2024 Example Media Group\nAll rights reserved", None),
        ("Sign up for our newsletter\nRelated articles\nShare this article\nTweet", None),
    ],
)
def test_trailing_credit_and_furniture_lines(last_lines, publisher):
    story = "Fighting resumed along the front line near the dam, officials said."
    report = read_text_report(f"{story}\n\n{last_lines}\n", origin="story.txt")
    assert report.text == story
    assert report.publisher == publisher


def test_furniture_is_only_whole_lines_and_advertisements_go_anywhere():
    text = "The army said it had shot down a drone.\nAdvertisement\nShare prices fell in the capital.\nComments"
    report = read_text_report(text, origin="t")
    assert report.text == "The army said it had shot down a drone.\nShare prices fell in the capital."


def test_text_of_only_furniture_is_refused():
    with pytest.raises(ReportError, match="no text left after removing page furniture"):
        read_text_report("Share\nComments\n\nAdvertisement\n", origin="t")


def test_furniture_patterns_are_data():
    custom = Furniture.from_toml(
        """
        [lines]
        edges = ['ende']
        anywhere = []
        [wire]
        credit_lines = ['mit {agencies}']
        byline_credit_lines = []
        dateline = '^[A-Z]+ \\(({agency})\\) -'
        [wire.agencies]
        DPA = ["dpa"]
        """
    )
    report = read_text_report("Die Armee meldete Kämpfe.\nmit dpa\nEnde", origin="t", furniture=custom)
    assert report.text == "Die Armee meldete Kämpfe."
    assert report.publisher == "DPA"
    with pytest.raises(ReferenceDataError, match="invalid furniture patterns"):
        Furniture.from_toml("[lines]\nedges = ['(unclosed']\nanywhere = []\n[wire]\n")


# --- ids -----------------------------------------------------------------------------------------


def test_id_is_stable_for_the_same_text_and_differs_for_different_text():
    first = read_text_report("Three shells fell on the port.", origin="a")
    again = read_text_report("Three shells fell on the port.\n\nShare\nWith AFP", origin="b")
    other = read_text_report("Four shells fell on the port.", origin="c")
    assert first.id == again.id == content_hash("Three shells fell on the port.")
    assert first.id != other.id
    assert len(first.id) == 16


# --- HTML ----------------------------------------------------------------------------------------


def test_html_page_gives_clean_text_and_metadata():
    report = only_report(FIXTURES / "page.html")
    assert report.title == "Strikes hit bridge near border crossing"
    assert report.publisher == "The Daily Ledger"
    assert report.published == date(2024, 5, 14)
    assert report.url == "https://ledger.example.net/world/strikes-hit-bridge"
    assert report.text.startswith("Air strikes destroyed a road bridge near the northern border crossing")
    assert report.text.endswith("adds a full day to the journey.")
    for furniture in ("Home", "Sport", "Share", "Tweet", "Comments", "terrible news", "©", "newsletter"):
        assert furniture not in report.text
    assert not report.text.startswith("Strikes hit bridge")  # the headline lives in title, not text


def test_html_page_explicit_values_win_for_a_single_file():
    report = only_report(FIXTURES / "page.html", publisher="AFP", published=date(2024, 5, 15), title="Bridge hit")
    assert (report.publisher, report.published, report.title) == ("AFP", date(2024, 5, 15), "Bridge hit")
    assert report.url == "https://ledger.example.net/world/strikes-hit-bridge"


def test_html_is_sniffed_whatever_the_extension(tmp_path):
    page = tmp_path / "saved_page.txt"
    shutil.copy(FIXTURES / "page.html", page)
    report = only_report(page)
    assert report.title == "Strikes hit bridge near border crossing"
    assert "<p>" not in report.text


# --- JSON and JSON Lines -----------------------------------------------------------------------


def test_jsonl_yields_good_lines_and_a_skipped_for_each_bad_line():
    items = read_all(FIXTURES / "reports.jsonl")
    origin = str(FIXTURES / "reports.jsonl")
    outcome = [(i.origin, type(i).__name__) for i in items]
    assert outcome == [
        (f"{origin}:1", "Report"),
        (f"{origin}:2", "Report"),
        (f"{origin}:3", "Skipped"),
        (f"{origin}:4", "Skipped"),
        (f"{origin}:5", "Skipped"),
        (f"{origin}:6", "Skipped"),
        (f"{origin}:8", "Report"),  # line 7 is blank
    ]
    first, second, broken, no_text, number, array, third = items
    assert first.id == "r-001"
    assert (first.title, first.url, first.publisher) == ("School shelled", "https://wire.example.com/r-001", "Example Wire")
    assert first.published == date(2024, 12, 3)
    assert second.published == date(2016, 2, 7)
    assert second.publisher == "AFP" and second.text == "Militants ambushed a patrol on the river road, the army said."
    assert second.id == content_hash(second.text)
    assert broken.reason.startswith("invalid JSON (")
    assert str(broken).startswith(f"{origin}:3: invalid JSON")
    assert no_text.reason == 'no "text" field'
    assert number.reason == '"text" is a number, not a string'
    assert array.reason == "expected a JSON object, found an array"
    assert third.published is None  # a relative date is not guessed


def test_unreadable_date_is_a_warning_not_a_skip(caplog):
    with caplog.at_level(logging.WARNING, logger="warmonitor"):
        items = read_all(FIXTURES / "reports.jsonl")
    assert isinstance(items[-1], Report)
    assert "the day before yesterday" in caplog.text and ":8" in caplog.text


def test_jsonl_values_win_over_command_line_defaults():
    items = [i for i in read_all(FIXTURES / "reports.jsonl", publisher="CLI Wire", published=date(2025, 1, 1)) if isinstance(i, Report)]
    assert [r.publisher for r in items] == ["Example Wire", "CLI Wire", "CLI Wire"]
    assert [r.published for r in items] == [date(2024, 12, 3), date(2016, 2, 7), date(2025, 1, 1)]


def test_single_json_object_is_one_report_and_explicit_values_win():
    report = only_report(FIXTURES / "single.json")
    assert (report.publisher, report.title, report.published) == ("Example Monitor", "Rebels reach outskirts", date(2024, 11, 29))
    report = only_report(FIXTURES / "single.json", publisher="AFP")
    assert report.publisher == "AFP"


def test_json_list_yields_items_and_skips_bad_ones():
    origin = str(FIXTURES / "list.json")
    items = read_all(FIXTURES / "list.json", publisher="CLI Wire")
    assert [(i.origin, type(i).__name__) for i in items] == [
        (f"{origin}[0]", "Report"),
        (f"{origin}[1]", "Skipped"),
        (f"{origin}[2]", "Skipped"),
        (f"{origin}[3]", "Report"),
    ]
    assert items[0].published == date(2024, 12, 3)
    assert items[0].publisher == "CLI Wire"
    assert items[1].reason == 'no "text" field'
    assert items[2].reason == 'empty "text"'
    assert items[3].id == "7"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'"just a string"', "expected a JSON object or a list of objects, found a string"),
        (b'{"text": "unterminated', "invalid JSON (Unterminated string"),
        (b"", "empty file"),
    ],
)
def test_bad_json_file_is_skipped(tmp_path, content, reason):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    (item,) = read_all(path)
    assert isinstance(item, Skipped)
    assert item.origin == str(path) and item.reason.startswith(reason)


def test_jsonl_line_that_is_not_utf8_is_skipped(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"text": "Clashes erupted at dawn."}\n{"text": "caf\xe9"}\n{"text": "A truce held."}\n')
    items = read_all(path)
    assert [type(i).__name__ for i in items] == ["Report", "Skipped", "Report"]
    assert items[1].origin == f"{path}:2"
    assert items[1].reason == "not valid UTF-8 text (byte 0xe9 at column 14)"


# --- bad files and encodings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t \n", "empty file"),
        (b"GIF89a\x01\x00\x01\x00\x00\xff\xff", "binary content (NUL byte at offset 7)"),
        (bytes(range(1, 9)) * 20 + b"some words", "binary content ("),
        (b"Shells fell on the market \x81\x8d near the \x90 river.", "not valid UTF-8 text (byte 0x81 at offset 26)"),
        (b"Shelling hit the town, residents said.\n" * 30_000, "1,169,999 characters, more than the 1,000,000")  # the last newline trimmed,
    ],
)
def test_bad_text_file_is_skipped_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (item,) = read_all(path)
    assert isinstance(item, Skipped)
    assert item.origin == str(path)
    assert item.reason.startswith(reason)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Fighters entered Hama.".encode("utf-8-sig"), "Fighters entered Hama."),
        ("Fighters entered Ḥamāh.".encode("utf-16"), "Fighters entered Ḥamāh."),
        ("Combats à Alep – le front a bougé.".encode("cp1252"), "Combats à Alep – le front a bougé."),
    ],
)
def test_encodings_read(tmp_path, content, expected, caplog):
    path = tmp_path / "story.txt"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="warmonitor"):
        report = only_report(path)
    assert report.text == expected
    assert ("Windows-1252" in caplog.text) == (b"\xe0" in content)


# --- directories and paths -----------------------------------------------------------------------


def test_directory_is_read_recursively_in_sorted_order_and_bad_files_do_not_stop_it(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Shelling hit the northern villages overnight.")
    (tmp_path / "b" / "a.jsonl").write_text('{"text": "A convoy was attacked."}\n{broken\n')
    (tmp_path / "a.txt").write_text("Two soldiers were killed in a mortar attack.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "notes.md").write_text("Not a report file kind.")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("A hidden draft.")
    items = read_all(tmp_path, publisher="Dir Default")
    assert [(Path(i.origin).relative_to(tmp_path).as_posix(), type(i).__name__) for i in items] == [
        ("a.txt", "Report"),
        ("b/a.jsonl:1", "Report"),
        ("b/a.jsonl:2", "Skipped"),
        ("b/z.txt", "Report"),
        ("empty.txt", "Skipped"),
    ]
    assert {i.publisher for i in items if isinstance(i, Report)} == {"Dir Default"}


def test_fixture_directory_reads_every_kind():
    items = read_all(FIXTURES)
    reports = [i for i in items if isinstance(i, Report)]
    names = [Path(r.origin.split(":")[0].split("[")[0]).name for r in reports]
    assert names == ["dateline.txt", "list.json", "list.json", "page.html", "reports.jsonl", "reports.jsonl", "reports.jsonl", "single.json", "wire_story.txt"]
    assert len(items) - len(reports) == 6


def test_missing_path_raises():
    with pytest.raises(ReportError, match="no such file or directory"):
        read_all(FIXTURES / "does-not-exist.txt")


def test_empty_string_report_is_refused():
    with pytest.raises(ReportError, match="empty text"):
        read_text_report("   \n ", origin="api")


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-03", date(2024, 12, 3)),
        ("2024-12-03T10:00:00Z", date(2024, 12, 3)),
        ("2024-12-03T23:30:00-05:00", date(2024, 12, 3)),
        ("2016-02-07;2016-02-08", date(2016, 2, 7)),
        ("December 3, 2024", date(2024, 12, 3)),
        ("3 Dec 2024", date(2024, 12, 3)),
        ("25/12/2024", date(2024, 12, 25)),
        ("03/12/2024", None),  # day/month or month/day: unknown, not guessed
        ("yesterday", None),
        ("not a date", None),
        (20241203, None),
        (None, None),
    ],
)
def test_published_dates(value, expected):
    assert parse_published(value, origin="t") == expected


def test_a_plain_text_headline_becomes_the_title(tmp_path):
    from warmonitor.reports import read_text_report

    report = read_text_report("Rebels seize a town near Hama\n\nRebels seized the town on Monday, a monitor said.",
                              origin="memo")
    assert report.title == "Rebels seize a town near Hama"
    assert read_text_report("Rebels seized the town on Monday.\nA monitor said so.", origin="memo").title is None
    assert read_text_report("A headline\n\nBody.", origin="memo", title="Given").title == "Given"

"""The `warmonitor` command as a user runs it: real subprocesses of the installed console script.

Each call that extracts pays the model load (~2-3 s), so cases are batched into a few invocations:
one run over examples/ (the README's first command) serves several tests through a module fixture.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "examples"
README = REPO_ROOT / "README.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"
WARMONITOR = Path(sys.executable).parent / "warmonitor"

CONTRACT_KEYS = {"report", "events", "figures", "control_changes", "mentions"}
EXIT_USAGE = 2
EXIT_SKIPPED = 3


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`warmonitor ARGS...` in the repo root, with the user's warmonitor settings kept out."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WARMONITOR_") or k == "WARMONITOR_CACHE_DIR"}
    clean.update(env or {})
    return subprocess.run([str(WARMONITOR), *map(str, args)], cwd=REPO_ROOT, env=clean,
                          capture_output=True, text=True, timeout=300)


def outputs(directory: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(directory.glob("*.json"))}


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr


@pytest.fixture(scope="module")
def examples_run(tmp_path_factory):
    """The README's first command: `warmonitor extract examples/ --out-dir OUT`."""
    out = tmp_path_factory.mktemp("examples") / "out"
    result = run("extract", "examples/", "--out-dir", out)
    return result, outputs(out)


def test_readme_starts_with_the_two_newcomer_commands():
    lines = [line.strip() for line in README.read_text("utf-8").splitlines() if line.strip()]
    commands = [line for line in lines if line.startswith((".venv/", "python3 -m venv"))]
    assert commands[:2] == [
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/warmonitor extract examples/ --out-dir out/",
        ".venv/bin/python -m pytest",
    ]
    first_code_line = next(i for i, line in enumerate(lines) if not line.startswith(("#", "```")))
    assert lines[first_code_line] == commands[0], "the setup command is the first thing in the README"


def test_readme_first_command_extracts_every_example(examples_run):
    result, results = examples_run
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    inputs = [p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html")]
    jsonl_lines = (EXAMPLES / "reports.jsonl").read_text("utf-8").splitlines()
    assert 3 <= len(jsonl_lines) <= 4
    assert len(results) == len(inputs) + len(jsonl_lines)
    for name, obj in results.items():
        assert set(obj) == CONTRACT_KEYS, name
        assert obj["events"], f"{name} ({obj['report']['title']}) has no event"
    for line in jsonl_lines:
        assert f"{json.loads(line)['id']}.json" in results
    assert f"{len(results)} report(s) written" in result.stderr


def test_html_example_takes_title_date_and_publisher_from_the_page(examples_run):
    _, results = examples_run
    (report,) = [o["report"] for o in results.values() if o["report"]["title"] and "Hodeidah" in o["report"]["title"]]
    assert report["title"] == "Drone strike hits fuel depot in Yemen's Hodeidah"
    assert report["published"] == "2024-07-21"
    assert report["publisher"] == "Example Wire"


def test_examples_cover_the_promised_stories(examples_run):
    _, results = examples_run
    found = {(e["country"], e["sub_event_type"]) for o in results.values() for e in o["events"]}
    assert ("Syria", "Air/drone strike") in found
    assert ("Ukraine", "Shelling/artillery/missile attack") in found
    assert ("Sudan", "Attack") in found
    assert any(sub == "Protest with intervention" for _, sub in found)
    syria = [o for o in results.values() if any(e["country"] == "Syria" for e in o["events"])]
    assert any(f["metric"] == "displaced" and f["attributed_to"] == "United Nations" for o in syria for f in o["figures"])
    assert any("Syrian Observatory for Human Rights" in e["source"] for o in syria for e in o["events"])


def test_dateline_city_is_not_an_event_place(examples_run):
    _, results = examples_run
    places = {(e["location"], e["country"]) for o in results.values() for e in o["events"]}
    assert ("Beirut", "Lebanon") not in places
    assert ("Khartoum", "Sudan") not in places


def test_single_file_prints_one_json_object_with_the_contract_keys():
    result = run("extract", EXAMPLES / "syria-hama-airstrikes.txt", "--published", "2024-12-04",
                 "--publisher", "Example Wire", "--format", "json")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)  # one object: anything after it would fail to parse
    assert set(obj) == CONTRACT_KEYS
    assert obj["report"]["published"] == "2024-12-04"
    assert obj["report"]["publisher"] == "Example Wire"
    assert obj["events"] and all(e["event_date"] for e in obj["events"])


def test_format_jsonl_prints_one_line_per_report():
    result = run("extract", EXAMPLES / "reports.jsonl", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    expected = [json.loads(line)["id"] for line in (EXAMPLES / "reports.jsonl").read_text("utf-8").splitlines()]
    assert [json.loads(line)["report"]["id"] for line in lines] == expected
    assert all(set(json.loads(line)) == CONTRACT_KEYS for line in lines)


def test_jsonl_with_bad_lines_writes_the_good_ones_and_names_the_bad(tmp_path):
    source = tmp_path / "file.jsonl"
    source.write_bytes((FIXTURES / "mixed.jsonl").read_bytes())
    result = run("extract", source, "--out-dir", tmp_path / "out", "--quiet")
    assert result.returncode == EXIT_SKIPPED, result.stderr
    assert_no_traceback(result)
    assert sorted(outputs(tmp_path / "out")) == ["cli-1.json", "cli-2.json", "cli-3.json"]
    assert "file.jsonl:4" in result.stderr and "invalid JSON" in result.stderr
    assert "file.jsonl:5" in result.stderr and 'no "text" field' in result.stderr
    assert "file.jsonl:1" not in result.stderr


def test_folder_skips_empty_and_binary_files_and_names_them(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "story.txt").write_bytes((FIXTURES / "story.txt").read_bytes())
    (folder / "page.html").write_bytes((FIXTURES / "page.html").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    result = run("extract", folder, "--out-dir", tmp_path / "out", "--quiet")
    assert result.returncode == EXIT_SKIPPED, result.stderr
    assert_no_traceback(result)
    results = outputs(tmp_path / "out")
    assert len(results) == 2
    assert {o["report"]["publisher"] for o in results.values()} >= {"Test Wire"}
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 2, result.stderr
    assert any("empty.txt" in line and "empty" in line.split("empty.txt", 1)[1] for line in skipped)
    assert any("binary.txt" in line and "binary" in line.split("binary.txt", 1)[1] for line in skipped)


def test_missing_path_is_an_error_naming_it(tmp_path):
    missing = tmp_path / "no-such-report.txt"
    result = run("extract", missing)
    assert result.returncode != 0
    assert str(missing) in result.stderr
    assert_no_traceback(result)
    assert result.stdout == ""


def test_bad_published_date_is_a_usage_error():
    result = run("extract", EXAMPLES / "page.html", "--published", "03/12/24")
    assert result.returncode == EXIT_USAGE
    assert "--published" in result.stderr and "'03/12/24' is not a date in the form YYYY-MM-DD" in result.stderr
    assert_no_traceback(result)


def test_missing_extra_actors_file_is_a_clear_error(tmp_path):
    missing = tmp_path / "my-actors.jsonl"
    result = run("extract", FIXTURES / "story.txt", env={"WARMONITOR_ACTORS": str(missing)})
    assert result.returncode == 1
    assert str(missing) in result.stderr
    assert_no_traceback(result)


def _help_options(help_text: str) -> list[str]:
    """Every option name ("-v", "--verbose", ...) in a click --help text, without --help."""
    section = help_text.split("Options:", 1)[1].split("Commands:", 1)[0]
    names = []
    for short, long in re.findall(r"^\s+(?:(-\w), )?(--[\w-]+)", section, re.M):
        names += [name for name in (short, long) if name and name != "--help"]
    return names


def _documented(name: str, readme: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", readme) is not None


def test_every_command_and_option_is_documented_in_the_readme():
    readme = README.read_text("utf-8")
    top = run("--help")
    assert top.returncode == 0
    commands = re.findall(r"^  (\w[\w-]*)\s", top.stdout.split("Commands:", 1)[1], re.M)
    assert commands, top.stdout
    undocumented = [o for o in _help_options(top.stdout) if not _documented(o, readme)]
    for command in commands:
        assert re.search(rf"warmonitor {command}\b", readme), f"command {command} is not in README.md"
        sub = run(command, "--help")
        assert sub.returncode == 0
        undocumented += [f"{command} {o}" for o in _help_options(sub.stdout) if not _documented(o, readme)]
    assert not undocumented, f"options missing from README.md: {undocumented}"


def test_readme_python_example_runs():
    block = README.read_text("utf-8").split("```python", 1)[1].split("```", 1)[0]
    result = subprocess.run([sys.executable, "-c", block], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "examples/page.html" in result.stdout


def test_extract_function_survives_importing_pipeline():
    code = ("from warmonitor import Pipeline, extract\n"
            "import warmonitor\n"
            "assert callable(extract), extract\n"
            "assert callable(warmonitor.extract), warmonitor.extract\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_places_lists_every_place_with_its_span_and_coordinates(tmp_path):
    report = tmp_path / "r.txt"
    text = "Russian strikes hit the northern Hama countryside and Idlib in Syria on Monday."
    report.write_text(text, "utf-8")
    result = run("places", str(report), "--format", "json")
    assert result.returncode == 0, result.stderr
    places = json.loads(result.stdout)["places"]
    # "Russian" names a country by its people: listed, marked as a demonym
    assert [(p["name"], p["geo_precision"], p["qualifier"]) for p in places][0] == ("Russia", 3, "demonym")
    places = places[1:]
    assert [(p["name"], p["geo_precision"]) for p in places] == [("Hama", 2), ("Idlib", 1), ("Syria", 3)]
    for p in places:
        assert text[p["start"]:p["end"]] == p["text"] and p["latitude"] is not None and p["why"]
    assert places[0]["latitude"] > 35.2  # north of Hama (35.13)


def test_places_parsed_runs_the_full_pipeline_and_reads_the_same_places(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("Shelling hit Kharkiv and the Belgorod region on Monday, officials in Kyiv said.", "utf-8")
    fast, parsed = run("places", str(report)), run("places", str(report), "--parsed")
    assert fast.returncode == parsed.returncode == 0, fast.stderr + parsed.stderr
    read = [[(p["text"], p["name"], p["geo_precision"]) for p in json.loads(r.stdout)["places"]] for r in (fast, parsed)]
    assert read[0] == read[1] and ("Kharkiv", "Kharkiv", 1) in read[0]


def test_places_writes_one_file_per_report_and_names_a_broken_line(tmp_path):
    source = tmp_path / "reports.jsonl"
    source.write_text('{"id": "a", "text": "Clashes in Aleppo, Syria."}\n{broken\n{"id": "b", "text": "A strike on Kyiv."}\n',
                      "utf-8")
    result = run("places", str(source), "--out-dir", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 3 and "reports.jsonl:2" in result.stderr
    names = {p["name"] for f in ("a", "b") for p in json.loads((tmp_path / "out" / f"{f}.json").read_text())["places"]}
    assert {"Aleppo", "Kyiv"} <= names

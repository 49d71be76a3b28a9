"""Reports written for the tests, with their expected coding (the seed's gold format), scored by
../shared/tools/score.py exactly as the product is measured: every expected item, nothing extra,
no broken rule."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from warmonitor.outputs.contract import extraction_to_dict
from warmonitor.reports import iter_reports

GOLD = Path(__file__).parent / "fixtures" / "gold"
CASES = sorted(GOLD.glob("*.expected.json"))

pytestmark = [pytest.mark.model, pytest.mark.shared]


@pytest.mark.parametrize("gold", CASES, ids=[c.name.split(".")[0] for c in CASES])
def test_report_scores_full_marks(gold, pipeline, shared_dir, tmp_path):
    expected = json.loads(gold.read_text("utf-8"))
    from datetime import date
    [report] = list(iter_reports(GOLD / expected["report"], published=date.fromisoformat(expected["published"]),
                                 publisher=expected["publisher"]))
    out = tmp_path / "out.json"
    out.write_text(json.dumps(extraction_to_dict(pipeline.extract(report))), "utf-8")
    scored = subprocess.run([sys.executable, str(shared_dir / "tools" / "score.py"), str(gold), str(out),
                             "--min-f1", "1", "--max-violations", "0"], capture_output=True, text=True)
    assert scored.returncode == 0, scored.stdout

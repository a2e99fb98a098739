"""The README's settings tables are generated from acv/settings.py and must agree with it."""

from __future__ import annotations

from pathlib import Path

from acv.settings import ADVANCED, USUAL, Settings
from scripts.settings_table import README, default_text, render, with_table


def test_every_setting_has_a_group_and_a_description() -> None:
    fields = Settings.model_fields
    assert len(fields) <= 40
    assert {n for n, f in fields.items() if (f.json_schema_extra or {}).get("group") not in (USUAL, ADVANCED)} == set()
    assert [n for n, f in fields.items() if not (f.description or "").strip()] == []


def test_the_readme_tables_are_those_of_the_settings() -> None:
    text = README.read_text("utf-8")
    assert with_table(text) == text, "run: python scripts/settings_table.py"


def test_one_row_per_setting_with_its_variable_and_default() -> None:
    table = render()
    rows = [line for line in table.splitlines() if line.startswith("| `ACV_")]
    assert len(rows) == len(Settings.model_fields)
    assert ("| `ACV_RATE_LIMIT_PER_MINUTE` | `600` | API requests per minute and client: per API key when the right key "
            "is sent, per address otherwise (0 = no limit; /health exempt). |") in rows
    assert table.index("**Usual**") < table.index("`ACV_DATA_DIR`") < table.index("**Advanced**") < table.index(
        "`ACV_FUSION`")
    assert [default_text(v) for v in (None, "", True, False, 0.24, Path("./var"))] == [
        "—", "—", "true", "false", "0.24", "./var"]
    assert default_text(Settings.model_fields["themes_path"].default) == "./corpus/themes.yaml"

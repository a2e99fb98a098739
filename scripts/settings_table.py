"""The README's settings tables, generated from acv/settings.py (one row per field, usual then advanced).

    python scripts/settings_table.py           # rewrite README.md between the settings markers
    python scripts/settings_table.py --check   # exit 1 when README.md does not match acv/settings.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from acv.settings import ADVANCED, PROJECT_ROOT, USUAL, Settings  # noqa: E402

README = ROOT / "README.md"
START, END = "<!-- settings:start -->", "<!-- settings:end -->"
TITLES = {USUAL: "Usual", ADVANCED: "Advanced"}


def default_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Path):
        path = value.relative_to(PROJECT_ROOT) if value.is_absolute() and value.is_relative_to(PROJECT_ROOT) else value
        return f"./{path}" if not path.is_absolute() else str(path)
    return str(value)


def render() -> str:
    """The Markdown between the markers: one table per group."""
    out: list[str] = []
    for group in (USUAL, ADVANCED):
        out += [f"**{TITLES[group]}**", "", "| variable | default | meaning |", "|---|---|---|"]
        for name, field in Settings.model_fields.items():
            if (field.json_schema_extra or {}).get("group") == group:
                meaning = (field.description or "").replace("|", "\\|")
                default = default_text(field.default)
                out.append(f"| `ACV_{name.upper()}` | {default if default == '—' else f'`{default}`'} | {meaning} |")
        out.append("")
    return "\n".join(out)


def with_table(readme: str) -> str:
    """`readme` with the text between the markers replaced by the generated tables."""
    head, start, rest = readme.partition(START)
    _old, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"README.md lacks the markers {START} … {END}")
    return f"{head}{START}\n{render()}{END}{tail}"


def main() -> int:
    text = README.read_text("utf-8")
    fresh = with_table(text)
    if "--check" in sys.argv[1:]:
        if fresh != text:
            print("README.md settings tables are out of date: python scripts/settings_table.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

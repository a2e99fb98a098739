"""The search filters, each defined once: name, type, French wording, validation, store facet.

The command-line flags (`cli/`), the API query parameters (`search_api/deps.py`) and the UI widgets
(`ui/views/search.py`) are generated from `FILTERS`; `resolve_filters` turns raw user values into
canonical ones (INSEE codes, département codes, region names, theme slugs) with a French error naming
what is accepted. The canonical names are the fields of the store's `Filters` and its facet names
(`index.store.FACET_NAMES`), where the SQL for each filter lives.

Values that need reference data (communes, départements, regions, themes) are resolved through a
`Vocabulary`, which the service layer implements over the gazetteer and the theme taxonomy: the
kernel knows the rule, not the data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

from acv.errors import InvalidQueryError
from acv.labels import AXIS_LABELS, DOC_TYPE_LABELS, axis_label, doc_type_label
from acv.records import DOC_TYPES


class Vocabulary(Protocol):
    """Canonical values for names users type; each method raises `InvalidQueryError` (French) when unknown."""

    def commune(self, value: str) -> str: ...  # INSEE code

    def departement(self, value: str) -> str: ...  # département code

    def region(self, value: str) -> str: ...  # region name

    def theme(self, value: str) -> str: ...  # theme slug


Normaliser = Callable[[str, Vocabulary], str]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class FilterDef:
    """One filter. `kind="values"`: any number of values, OR-ed; `kind="date"`: one ISO date bound."""

    name: str  # key of raw filter mappings, API parameter, store `Filters` field and facet name
    kind: Literal["values", "date"]
    label: str  # the UI widget's title
    help: str  # the API parameter's description
    example: str  # an example value for the API documentation
    cli_flag: str
    normalise: Normaliser | None = None  # values filters: one raw value → its canonical form
    choices: tuple[str, ...] = ()  # a closed vocabulary, offered whole in the UI
    choice_label: Callable[[str], str] | None = None
    cli_choices: bool = False  # let argparse refuse other values (else the French error of `normalise`)
    cli_help: str | None = None
    ui_position: int = 0  # order of the UI widgets (dates come last, under « Période »)

    @property
    def is_date(self) -> bool:
        return self.kind == "date"


def _axis(value: str, _vocab: Vocabulary) -> str:
    if value not in {str(n) for n in AXIS_LABELS}:
        raise InvalidQueryError(f"Axe inconnu : « {value} ». Les axes vont de 1 à 5.", {"axis": value})
    return value


def _doc_type(value: str, _vocab: Vocabulary) -> str:
    if value not in DOC_TYPES:
        raise InvalidQueryError(
            f"Type de document inconnu : « {value} ». Types possibles : {', '.join(DOC_TYPES)}.", {"doc_type": value}
        )
    return value


FILTERS: tuple[FilterDef, ...] = (
    FilterDef("axis", "values", "Axes", "Axe du programme, de 1 à 5 (répétable).", "2", "--axis",
              normalise=_axis, choices=tuple(str(n) for n in AXIS_LABELS), choice_label=axis_label, ui_position=0),
    FilterDef("theme", "values", "Thèmes", "Thème (identifiant ou libellé, répétable).", "vacance-commerciale",
              "--theme", normalise=lambda v, vocab: vocab.theme(v), ui_position=1),
    FilterDef("city", "values", "Ville", "Commune : code INSEE ou nom (répétable).", "47001", "--city",
              normalise=lambda v, vocab: vocab.commune(v), ui_position=4),
    FilterDef("departement", "values", "Département", "Département : nom ou code (répétable).", "Vienne",
              "--departement", normalise=lambda v, vocab: vocab.departement(v), ui_position=3),
    FilterDef("region", "values", "Région", "Région : nom ou code (répétable).", "Occitanie", "--region",
              normalise=lambda v, vocab: vocab.region(v), ui_position=2),
    FilterDef("doc_type", "values", "Type de document",
              "Type : convention, communique, bonne_pratique, autre (répétable).", "convention", "--type",
              normalise=_doc_type, choices=DOC_TYPES, choice_label=doc_type_label, cli_choices=True, ui_position=5),
    FilterDef("date_from", "date", "Du", "Date minimale, AAAA-MM-JJ.", "2018-01-01", "--since",
              cli_help="AAAA-MM-JJ", ui_position=6),
    FilterDef("date_to", "date", "Au", "Date maximale, AAAA-MM-JJ.", "2019-12-31", "--until",
              cli_help="AAAA-MM-JJ", ui_position=7),
)
FILTERS_BY_NAME: dict[str, FilterDef] = {f.name: f for f in FILTERS}
FILTER_KEYS: tuple[str, ...] = tuple(FILTERS_BY_NAME)
VALUE_FILTERS: tuple[FilterDef, ...] = tuple(f for f in FILTERS if not f.is_date)
DATE_FILTERS: tuple[FilterDef, ...] = tuple(f for f in FILTERS if f.is_date)
assert set(DOC_TYPE_LABELS) == set(DOC_TYPES)


def raw_values(value: Any) -> list[str]:
    """The non-blank strings of one raw filter value (a string or a list of them)."""
    if value is None or value == "" or value == []:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    return [str(x).strip() for x in items if str(x).strip()]


def parse_date(value: Any, key: str) -> str | None:
    """An ISO date (AAAA-MM-JJ) or None; anything else is refused in French."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if _DATE.match(text):
        try:
            date.fromisoformat(text)
            return text
        except ValueError:
            pass
    raise InvalidQueryError(f"Date invalide pour « {key} » : « {text} ». Format attendu : AAAA-MM-JJ.", {key: text})


def resolve_filters(raw: Mapping[str, Any], vocab: Vocabulary) -> dict[str, Any]:
    """Canonical values by filter name (every filter present: a list, or a date or None).

    Unknown filter names, values and dates are refused with a French message that says what is accepted;
    the filters are checked in the order of `FILTERS`, so the first fault reported is stable.
    """
    unknown = set(raw) - set(FILTER_KEYS)
    if unknown:
        raise InvalidQueryError(
            f"Filtre inconnu : {', '.join(sorted(unknown))}. Filtres possibles : {', '.join(FILTER_KEYS)}.",
            {"filters": sorted(unknown)},
        )
    out: dict[str, Any] = {}
    for f in FILTERS:
        if f.is_date:
            out[f.name] = parse_date(raw.get(f.name), f.name)
        else:
            assert f.normalise is not None
            out[f.name] = [f.normalise(v, vocab) for v in raw_values(raw.get(f.name))]
    if out["date_from"] and out["date_to"] and out["date_from"] > out["date_to"]:
        raise InvalidQueryError("La date de début est postérieure à la date de fin.",
                                {"date_from": out["date_from"], "date_to": out["date_to"]})
    return out


def non_empty(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The filters that carry a value, in the order of `FILTERS` (what edges pass on)."""
    return {f.name: raw[f.name] for f in FILTERS if raw.get(f.name) not in (None, [], "")}

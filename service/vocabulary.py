"""Names users type for places and themes, resolved against the gazetteer and the theme taxonomy.

Implements the kernel's `acv.filters.Vocabulary`, so that filter values are checked once, the same way
for the command line, the API and the UI; also names communes, départements and themes for results.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from acv.errors import InvalidQueryError
from acv.filters import resolve_filters
from acv.records import Commune
from index.analysis import fold
from index.store import Filters
from ingest.extract import Extractor
from service.types import CityRef


def place_key(value: str) -> str:
    """A comparison key for place names: folded, hyphens and apostrophes as spaces, « St » as « Saint »."""
    key = fold(value).replace("-", " ").replace("'", " ").replace("’", " ")
    key = re.sub(r"\bst\b\.?", "saint", key)
    key = re.sub(r"\bste\b\.?", "sainte", key)
    return " ".join(key.split())


class PlaceVocabulary:
    """The communes of the programme, their départements and regions, and the themes, by every name users use."""

    def __init__(self, extractor: Extractor) -> None:
        self.communes: dict[str, Commune] = {c.insee: c for c in extractor.gazetteer.all()}
        self.themes: list[dict[str, Any]] = list(extractor.taxonomy.themes)

    # -- acv.filters.Vocabulary ----------------------------------------------------------------

    def commune(self, value: str) -> str:
        return self.find_commune(value).insee

    def departement(self, value: str) -> str:
        key = place_key(value)
        for c in self.communes.values():
            if key in (place_key(c.departement), c.departement_code.lower()):
                return c.departement_code
        raise InvalidQueryError(f"Département inconnu : « {value} ».", {"departement": value})

    def region(self, value: str) -> str:
        key = place_key(value)
        for c in self.communes.values():
            if key in (place_key(c.region), c.region_code):
                return c.region
        raise InvalidQueryError(f"Région inconnue : « {value} ».", {"region": value})

    def theme(self, value: str) -> str:
        key = fold(value).replace("-", " ").strip()
        for theme in self.themes:
            names = [theme["id"], theme.get("label", "")]
            if key in (fold(n).replace("-", " ").strip() for n in names):
                return theme["id"]
        raise InvalidQueryError(f"Thème inconnu : « {value} ».", {"theme": value})

    # -- lookups ----------------------------------------------------------------------------------

    def find_commune(self, value: str) -> Commune:
        """A commune by INSEE code or name (« St » for « Saint », accents and case ignored)."""
        if value in self.communes:
            return self.communes[value]
        key = place_key(value)
        for c in self.communes.values():
            if place_key(c.name) == key:
                return c
        raise InvalidQueryError(
            f"Ville inconnue : « {value} ». Indiquez une commune du programme Action cœur de ville ou son code INSEE.",
            {"city": value},
        )

    def city_ref(self, insee: str) -> CityRef | None:
        c = self.communes.get(insee)
        if c is None:
            return None
        return CityRef(c.insee, c.name, c.departement, c.departement_code, c.region)

    def city_refs(self, insees: list[str]) -> list[CityRef]:
        return [ref for ref in (self.city_ref(i) for i in insees) if ref is not None]

    def places(self, doc_meta: Mapping[str, Any]) -> tuple[list[CityRef], list[str], list[str]]:
        """A document's main communes, and its départements and regions: theirs plus those it names itself."""
        cities = self.city_refs(doc_meta.get("cities", []))
        departements = sorted({c.departement for c in cities} | set(doc_meta.get("departements", [])))
        regions = sorted({c.region for c in cities} | set(doc_meta.get("regions", [])))
        return cities, departements, regions

    def theme_labels(self) -> dict[str, str]:
        return {t["id"]: t.get("label", t["id"]) for t in self.themes}

    def departement_names(self) -> dict[str, str]:
        return {c.departement_code: c.departement for c in self.communes.values()}

    # -- filters --------------------------------------------------------------------------------

    def filters(self, raw: Mapping[str, Any]) -> Filters:
        """The store's canonical filters from user values (`acv.filters` says what each accepts)."""
        return Filters(**resolve_filters(raw, self))

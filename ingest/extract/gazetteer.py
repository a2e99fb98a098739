"""The ACV gazetteer: the 244 communes of the programme, looked up by INSEE code or by name."""

from __future__ import annotations

import csv
from pathlib import Path

from acv.records import Commune
from ingest.extract.text import fold


def name_key(name: str) -> str:
    """A lookup key for a place name: folded, hyphens and apostrophes as spaces, "St" as "saint"."""
    key = fold(name).replace("-", " ").replace("'", " ").replace(".", " ")
    words = key.split()
    words = ["saint" if w == "st" else "sainte" if w == "ste" else w for w in words]
    return " ".join(words)


class Gazetteer:
    """Communes by INSEE code, plus the départements and regions they belong to."""

    def __init__(self, communes: list[Commune]) -> None:
        self._communes = list(communes)
        self._by_insee = {c.insee: c for c in self._communes}
        self._by_name = {name_key(c.name): c for c in self._communes}
        self.departements: dict[str, tuple[str, str]] = {}  # code -> (name, region)
        self.regions: dict[str, str] = {}  # code -> name
        for c in self._communes:
            self.departements.setdefault(c.departement_code, (c.departement, c.region))
            self.regions.setdefault(c.region_code, c.region)

    @classmethod
    def from_csv(cls, path: Path) -> "Gazetteer":
        """Read corpus/acv_communes.csv (id_acv, code_insee, commune, population, départements, regions…)."""
        communes: list[Commune] = []
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                communes.append(
                    Commune(
                        insee=row["code_insee"].strip(),
                        name=row["commune"].strip(),
                        population=int(row.get("population") or 0),
                        departement_code=row["code_departement"].strip(),
                        departement=row["departement"].strip(),
                        region_code=row["code_region"].strip(),
                        region=row["region"].strip(),
                        longitude=float(row.get("longitude") or 0.0),
                        latitude=float(row.get("latitude") or 0.0),
                        acv_id=row.get("id_acv", "").strip(),
                    )
                )
        return cls(communes)

    def get(self, insee: str) -> Commune | None:
        return self._by_insee.get(insee)

    def all(self) -> list[Commune]:
        return list(self._communes)

    def by_name(self, name: str) -> Commune | None:
        """The commune with this name (accents, case, hyphens and "St-" forgiven), or None."""
        return self._by_name.get(name_key(name))

    def resolve(self, value: str) -> Commune | None:
        """A commune from an INSEE code or a name (front matter may give either)."""
        value = str(value).strip()
        return self._by_insee.get(value) or self.by_name(value)

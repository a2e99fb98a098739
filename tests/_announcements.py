"""Generated variants of announcements for tests/test_grouping.py and bench/grouping.py.

Each event is published three times: by the prefecture, the city hall and the regional press, each in its
site template (tests/data/files/web/build_web.py), with a reworded lead, a paragraph of its own and a date
a day or two apart. The traps: the same city announcing another thing in the same week, the same city
five years later with nearly the same words, and the prefecture's stock wording used for other cities.
Texts are illustrative, written for these tests.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from index.grouping import Announcement

WEB = Path(__file__).parent / "data" / "files" / "web"

CITIES = {"Agen": "47001", "Cahors": "46042", "Sens": "89387", "Vienne": "38544"}

# event id, city, date, titles (prefecture, city, press), leads (3), body paragraphs (shared), own paragraphs (3)
EVENTS: list[dict[str, Any]] = [
    {
        "id": "agen-convention", "city": "Agen", "date": "2018-07-02",
        "titles": ["Signature de la convention Action cœur de ville d'Agen",
                   "Action cœur de ville : Agen a signé sa convention",
                   "Agen signe pour cinq ans de travaux en centre-ville"],
        "leads": ["Le préfet de Lot-et-Garonne, le maire d'Agen et le président de l'agglomération ont signé lundi "
                  "la convention-cadre Action cœur de ville.",
                  "Lundi, la Ville d'Agen a signé avec l'État et ses partenaires la convention-cadre du programme "
                  "Action cœur de ville.",
                  "C'est officiel depuis lundi : Agen dispose de sa convention Action cœur de ville, signée en "
                  "préfecture en présence des financeurs."],
        "body": ["La convention engage 52 millions d'euros sur cinq ans pour la revitalisation du centre-ville. Elle "
                 "prévoit la création d'une foncière commerciale chargée de racheter les locaux vides du boulevard "
                 "de la République et de les louer à des commerçants indépendants.",
                 "Le volet habitat comprend une opération programmée d'amélioration de l'habitat et la "
                 "réhabilitation de logements pour les étudiants du campus du Pin. Les quais de la Garonne seront "
                 "réaménagés pour les piétons et les cyclistes.",
                 "La Banque des Territoires, Action Logement et l'Agence nationale de l'habitat sont les principaux "
                 "financeurs. Un comité de projet suivra l'avancement des actions deux fois par an."],
        "own": ["Le texte de la convention est consultable en préfecture.",
                "Une réunion publique de présentation aura lieu à la salle des Illustres le 12 juillet.",
                "L'opposition municipale a voté la convention mais réclame un calendrier plus précis."],
    },
    {
        "id": "agen-fonciere", "city": "Agen", "date": "2018-07-05",
        "titles": ["La Banque des Territoires entre au capital de la foncière d'Agen",
                   "Foncière commerciale : la Banque des Territoires s'engage aux côtés de la Ville",
                   "Commerce : la foncière agenaise trouve son financeur"],
        "leads": ["La Banque des Territoires apportera 1,5 million d'euros au capital de la société foncière "
                  "créée par la Ville d'Agen.",
                  "La Ville d'Agen et la Banque des Territoires ont signé jeudi le pacte d'actionnaires de la "
                  "foncière commerciale.",
                  "Trois jours après la convention, la foncière d'Agen reçoit 1,5 million d'euros de la Banque des "
                  "Territoires."],
        "body": ["La société rachètera une vingtaine de cellules commerciales vacantes en cinq ans. Les locaux "
                 "seront rénovés puis loués avec un loyer progressif pendant les trois premières années.",
                 "Les premières acquisitions concernent la rue Montesquieu et la rue des Cornières, où la vacance "
                 "dépasse vingt pour cent. La chambre de commerce accompagnera les porteurs de projet.",
                 "Le capital total de la foncière atteint quatre millions d'euros, apportés par la Ville, "
                 "l'agglomération, la Banque des Territoires et deux banques régionales."],
        "own": ["Ce financement s'inscrit dans le plan national de soutien aux villes moyennes.",
                "Les commerçants intéressés peuvent se faire connaître auprès du manager de centre-ville.",
                "Reste à convaincre les propriétaires de vendre à un prix raisonnable."],
    },
    {
        "id": "cahors-convention", "city": "Cahors", "date": "2018-09-28",
        "titles": ["Signature de la convention Action cœur de ville de Cahors",
                   "Cahors a signé sa convention Action cœur de ville",
                   "Cahors : 33,9 millions d'euros pour le cœur de ville"],
        "leads": ["Le préfet du Lot, le maire de Cahors et le président du Grand Cahors ont signé vendredi la "
                  "convention-cadre Action cœur de ville.",
                  "Vendredi, la Ville de Cahors et ses partenaires ont signé la convention-cadre du programme Action "
                  "cœur de ville.",
                  "La convention Action cœur de ville de Cahors a été signée vendredi : 33,9 millions d'euros vont "
                  "être investis dans le centre ancien."],
        "body": ["La convention engage 33,9 millions d'euros sur cinq ans. Elle cible le quartier médiéval, où plus "
                 "d'un logement sur quatre est vacant, avec des opérations de restauration immobilière et un permis "
                 "de louer.",
                 "Le commerce de proximité de la rue Nationale sera soutenu par une aide à la rénovation des "
                 "vitrines. Le réseau des jardins secrets sera étendu à tout le centre ancien.",
                 "Une maison de santé ouvrira près du boulevard Gambetta pour remplacer les médecins partis à la "
                 "retraite. Le comité de projet se réunira chaque semestre."],
        "own": ["La convention a été signée dans les salons de la préfecture.",
                "Les habitants pourront découvrir le projet lors des journées du patrimoine.",
                "Le maire promet les premiers chantiers avant la fin de l'année."],
    },
    {
        "id": "cahors-avenant", "city": "Cahors", "date": "2023-05-12",
        "titles": ["Signature de l'avenant Action cœur de ville de Cahors",
                   "Cahors a signé son avenant Action cœur de ville",
                   "Cahors prolonge son programme cœur de ville jusqu'en 2026"],
        "leads": ["Le préfet du Lot, le maire de Cahors et le président du Grand Cahors ont signé vendredi "
                  "l'avenant qui prolonge la convention Action cœur de ville.",
                  "Vendredi, la Ville de Cahors et ses partenaires ont signé l'avenant à la convention du programme "
                  "Action cœur de ville.",
                  "L'avenant à la convention Action cœur de ville de Cahors a été signé vendredi : le programme "
                  "continue jusqu'en 2026."],
        "body": ["L'avenant ajoute douze millions d'euros pour la période 2023 à 2026. Il met l'accent sur la "
                 "renaturation des places, la rénovation énergétique des logements et le quartier de la gare.",
                 "La place Chapou sera désimperméabilisée et plantée. Les propriétaires du centre ancien pourront "
                 "bénéficier d'aides renforcées pour isoler leur logement.",
                 "Le pôle d'échanges de la gare accueillera une vélostation. Le comité de projet se réunira "
                 "chaque semestre."],
        "own": ["L'avenant a été signé dans les salons de la préfecture.",
                "Un bilan de la première phase est disponible à l'accueil de la mairie.",
                "Le maire se félicite des résultats obtenus depuis 2018."],
    },
    {
        "id": "sens-convention", "city": "Sens", "date": "2018-10-15",
        "titles": ["Signature de la convention Action cœur de ville de Sens",
                   "Sens a signé sa convention Action cœur de ville",
                   "Sens : le cœur de ville obtient ses financements"],
        "leads": ["Le préfet de l'Yonne, le maire de Sens et le président du Grand Sénonais ont signé lundi la "
                  "convention-cadre Action cœur de ville.",
                  "Lundi, la Ville de Sens et ses partenaires ont signé la convention-cadre du programme Action "
                  "cœur de ville.",
                  "La convention Action cœur de ville de Sens a été signée lundi en présence des financeurs du "
                  "programme."],
        "body": ["La convention engage 29,7 millions d'euros sur cinq ans. Elle prévoit la rénovation de la place "
                 "de la République et la végétalisation des berges de l'Yonne.",
                 "Une maison de santé pluriprofessionnelle ouvrira en centre-ville. Les façades des immeubles de la "
                 "Grande Rue bénéficieront d'une campagne de ravalement aidée.",
                 "La Banque des Territoires, Action Logement et l'Agence nationale de l'habitat financent le "
                 "programme. Le comité de projet se réunira chaque semestre."],
        "own": ["La convention a été signée dans les salons de la préfecture.",
                "Le dossier complet est consultable sur le site internet de la Ville.",
                "Les commerçants de la Grande Rue attendent surtout la fin des travaux."],
    },
    {
        "id": "vienne-halle", "city": "Vienne", "date": "2021-06-18",
        "titles": ["Inauguration de la halle des producteurs de Vienne",
                   "La halle des producteurs ouvre ses portes",
                   "Vienne : la halle des producteurs inaugurée en fanfare"],
        "leads": ["Le sous-préfet de Vienne a inauguré vendredi la halle des producteurs aménagée dans l'ancienne "
                  "halle aux grains.",
                  "Vendredi, la Ville de Vienne a inauguré la halle des producteurs installée dans l'ancienne halle "
                  "aux grains.",
                  "Foule des grands jours vendredi à Vienne pour l'inauguration de la halle des producteurs, dans "
                  "l'ancienne halle aux grains."],
        "body": ["Quatorze producteurs locaux y vendent fruits, légumes, fromages et viandes du mardi au dimanche. "
                 "Un espace de restauration accueille les visiteurs à midi.",
                 "La rénovation du bâtiment a coûté 2,8 millions d'euros, financés par la Ville, la Région et l'État "
                 "au titre du programme Action cœur de ville.",
                 "La halle doit ramener des clients vers les commerces de la rue Marchande et du quartier "
                 "Saint-Martin, où la vacance commerciale reste élevée."],
        "own": ["L'État a apporté son soutien au titre de la dotation de soutien à l'investissement local.",
                "La halle est ouverte de 8 heures à 13 heures, et jusqu'à 19 heures le vendredi.",
                "Certains commerçants du centre craignent une concurrence pour leurs propres étals."],
    },
]
SITES = [("prefecture", "Préfecture"), ("mairie", "Ville"), ("presse", "Le Dauphiné de la vallée")]
DELAYS = [0, 0, 1]  # the press publishes the next day


def _build_web() -> Any:
    spec = importlib.util.spec_from_file_location("build_web", WEB / "build_web.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages() -> list[tuple[str, str, str, str]]:
    """(doc_id, event id, ISO date, HTML page) for every published variant."""
    import datetime as dt

    build = _build_web()
    out = []
    for k, event in enumerate(EVENTS):
        for v, ((style, site), delay) in enumerate(zip(SITES, DELAYS)):
            day = (dt.date.fromisoformat(event["date"]) + dt.timedelta(days=delay)).isoformat()
            body = list(event["body"])
            body.insert(v % len(body), event["own"][v])
            article = {"style": style, "variant": (k + v) % 3, "city": event["city"],
                       "site": f"{site} {event['city']}", "title": event["titles"][v], "date": day,
                       "chapo": event["leads"][v], "paragraphs": body}
            page = build.STYLES[style](article, k)
            out.append((f"{event['id']}-{style}", event["id"], day, page))
    return out


def announcements(tmp: Path) -> tuple[list[Announcement], list[list[str]]]:
    """The variants read by the HTML reader, and the gold groups (one per event)."""
    from ingest.readers import read_file

    items: list[Announcement] = []
    gold: dict[str, list[str]] = {}
    for doc_id, event, day, page in pages():
        path = tmp / f"{doc_id}.html"
        path.write_text(page, encoding="utf-8")
        doc = read_file(path)
        city = next(e["city"] for e in EVENTS if e["id"] == event)
        items.append(Announcement(doc_id=doc_id, text=doc.text, cities=(CITIES[city],), date=day))
        gold.setdefault(event, []).append(doc_id)
    return items, list(gold.values())

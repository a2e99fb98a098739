"""Main content, title and date of web pages in new site styles (tests/data/files/web, labelled)."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from ingest.extract.dates import document_date
from ingest.readers import read_file

WEB = Path(__file__).parent / "data" / "files" / "web"
LABELS = json.loads((WEB / "labels.json").read_text(encoding="utf-8"))
CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower().replace("’", "'")))


def test_pages_cover_four_site_styles():
    assert len(LABELS) == 22
    assert Counter(label["style"] for label in LABELS.values()) == {"prefecture": 6, "mairie": 6, "presse": 6,
                                                                    "anct": 4}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_title_date_and_every_word_of_the_main_text(name):
    label = LABELS[name]
    doc = read_file(WEB / name)
    assert doc.title == label["title"]
    assert document_date(doc.text, doc.meta) == label["date"]
    missing = _words("\n".join(label["main"])) - _words(doc.text)
    assert not missing, missing


def test_precision_of_the_main_text_over_all_pages():
    kept = overlap = 0
    for name, label in LABELS.items():
        got, want = _words(read_file(WEB / name).text), _words("\n".join(label["main"]))
        kept += sum(got.values())
        overlap += sum((got & want).values())
    assert overlap / kept >= 0.92  # bench/html_main_content.py: 0.926 (date and byline lines are kept)


def test_teasers_comments_and_sidebars_are_dropped():
    saumur = read_file(WEB / "mairie-saumur-commerces.html").text
    assert "Les autres actualités" not in saumur and "budget primitif" not in saumur
    cholet = read_file(WEB / "presse-cholet-fonciere.html").text
    assert "Marcel59" not in cholet and "stationnement" not in cholet and "Les plus lus" not in cholet
    blois = read_file(WEB / "pref-blois-fonds.html").text
    assert "piscine municipale" not in blois and "Liens utiles" not in blois
    privas = read_file(WEB / "anct-privas-ecole.html").text
    assert "Ressources associées" not in privas and "Télécharger" not in privas


def test_title_outside_the_text_block_is_kept_first():
    doc = read_file(WEB / "presse-laon-funiculaire.html")
    assert (doc.blocks[0].kind, doc.blocks[0].text) == (
        "heading", "Laon veut relier la ville haute et la gare par une navette électrique")


def test_date_only_in_json_ld_comes_from_htmldate():
    doc = read_file(WEB / "anct-digne-mobilite.html")
    assert doc.meta["html"]["article:published_time"] is None and doc.meta["html"]["time"] == []
    assert doc.meta["html"]["date_published"] == "2022-09-19"
    assert document_date(doc.text, doc.meta) == "2022-09-19"


def test_practical_section_inside_an_article_is_content():
    doc = read_file(CORPUS / "autres" / "semi-marathon-cahors-inscriptions.html")
    assert ("heading", "Infos pratiques") in [(b.kind, b.text) for b in doc.blocks]


def test_committed_pages_match_the_build_script(tmp_path):
    spec = importlib.util.spec_from_file_location("build_web", WEB / "build_web.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for built in sorted(tmp_path.iterdir()):
        assert built.read_bytes() == (WEB / built.name).read_bytes(), built.name

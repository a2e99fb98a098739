"""Every error status of the API has exactly the shape {"error": {"code", "message", "details"}}, in French."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from acv.errors import EmbedderUnavailableError, IndexMismatchError, StoreError
from index.store import Store
from search_api.app import create_app
from search_api.ratelimit import TokenBucket
from service import KnowledgeBase
from tests._api_fixtures import API_KEY, cached_extractor, error_of, make_app, make_settings


def test_400_unknown_filter_value(client):
    res = client.get("/search", params={"q": "commerce", "city": "Gotham"})
    assert res.status_code == 400
    assert error_of(res) == {
        "code": "requete_invalide",
        "message": "Ville inconnue : « Gotham ». Indiquez une commune du programme Action cœur de ville ou son code "
                   "INSEE.",
        "details": {"city": "Gotham"},
    }


@pytest.mark.parametrize(("params", "message", "details"), [
    ({"q": "x" * 501}, "La requête est trop longue (501 caractères ; maximum 500).", {"max": 500}),
    ({"q": "   "}, "La requête est vide : saisissez quelques mots.", {"q": ""}),
    ({"q": "commerce", "k": 101}, "Le nombre de résultats doit être entre 1 et 100.", {"k": 101}),
    ({"q": "commerce", "k": 0}, "Le nombre de résultats doit être entre 1 et 100.", {"k": 0}),
    ({"q": "commerce", "axis": "7"}, "Axe inconnu : « 7 ». Les axes vont de 1 à 5.", {"axis": "7"}),
    ({"q": "commerce", "date_from": "2019-02-30"},
     "Date invalide pour « date_from » : « 2019-02-30 ». Format attendu : AAAA-MM-JJ.", {"date_from": "2019-02-30"}),
    ({"q": "commerce", "date_from": "2020-01-01", "date_to": "2019-01-01"},
     "La date de début est postérieure à la date de fin.", {"date_from": "2020-01-01", "date_to": "2019-01-01"}),
    ({"q": "commerce", "doc_type": "rapport"},
     "Type de document inconnu : « rapport ». Types possibles : convention, communique, bonne_pratique, autre.",
     {"doc_type": "rapport"}),
])
def test_400_query_limits_and_bad_values(client, params, message, details):
    for path in ("/search", "/export"):
        res = client.get(path, params=params)
        assert res.status_code == 400
        assert error_of(res) == {"code": "requete_invalide", "message": message, "details": details}


def test_400_on_other_endpoints(client):
    res = client.get("/documents", params={"limit": 0})
    assert res.status_code == 400
    assert error_of(res)["message"] == "La taille de page doit être entre 1 et 500."
    res = client.get("/chunks/1/similar", params={"k": 101})
    assert res.status_code == 400
    assert error_of(res) == {"code": "requete_invalide", "message": "Le nombre de résultats doit être entre 1 et 100.",
                             "details": {"k": 101}}


def test_401_wrong_or_missing_key(client):
    for headers in ({}, {"X-API-Key": "mauvaise-cle"}):
        res = client.delete("/documents/d0000000000000000", headers=headers)
        assert res.status_code == 401
        assert error_of(res) == {
            "code": "cle_api_invalide",
            "message": "Clé d'API absente ou invalide : envoyez-la dans l'en-tête « X-API-Key ».",
            "details": {},
        }


def test_403_when_no_key_is_configured(tmp_path):
    app = make_app(make_settings(tmp_path / "var", api_key=None))
    with TestClient(app) as c:
        res = c.delete("/documents/d0000000000000000", headers={"X-API-Key": "n-importe-quoi"})
    assert res.status_code == 403
    assert error_of(res) == {
        "code": "ecriture_desactivee",
        "message": "Les écritures sont désactivées : aucune clé d'API n'est configurée sur le serveur (ACV_API_KEY).",
        "details": {},
    }


def test_404_document_chunk_city_and_route(client):
    cases = [
        ("/documents/d0000000000000000", {"code": "introuvable", "message":
         "Document introuvable : « d0000000000000000 ».", "details": {"doc_id": "d0000000000000000"}}),
        ("/documents/d0000000000000000/file", {"code": "introuvable", "message":
         "Document introuvable : « d0000000000000000 ».", "details": {"doc_id": "d0000000000000000"}}),
        ("/chunks/999999/similar", {"code": "introuvable", "message": "Passage introuvable : 999999.",
                                    "details": {"chunk_id": 999999}}),
        ("/cities/99999", {"code": "introuvable", "message": "Commune inconnue : « 99999 ».",
                           "details": {"insee": "99999"}}),
        ("/pas-de-route", {"code": "introuvable", "message": "Ressource introuvable : vérifiez l'adresse.",
                           "details": {}}),
    ]
    for path, expected in cases:
        res = client.get(path)
        assert res.status_code == 404, path
        assert error_of(res) == expected


def test_404_on_delete_of_unknown_document(client):
    res = client.delete("/documents/d0000000000000000", headers={"X-API-Key": API_KEY})
    assert res.status_code == 404
    assert error_of(res)["code"] == "introuvable"


def test_405_method_not_allowed(client):
    res = client.put("/health")
    assert res.status_code == 405
    assert error_of(res) == {"code": "methode_non_autorisee",
                             "message": "Méthode HTTP non autorisée pour cette adresse.", "details": {}}


def test_422_validation_errors_in_french(client):
    res = client.get("/search", params={"q": "commerce", "k": "dix"})
    assert res.status_code == 422
    assert error_of(res) == {
        "code": "parametres_invalides",
        "message": "Paramètre « k » : nombre entier attendu.",
        "details": {"errors": [{"location": "query", "field": "k", "message": "nombre entier attendu"}]},
    }
    res = client.get("/search")
    assert res.status_code == 422
    assert error_of(res)["message"] == "Paramètre « q » : valeur obligatoire manquante."
    res = client.get("/search", params={"q": "commerce", "group": "commune", "format": "csv"})
    assert error_of(res)["message"] == "Paramètre « group » : valeur non autorisée ; valeurs possibles : 'document'."
    res = client.get("/export", params={"q": "commerce", "format": "xlsx", "offset": "x"})
    err = error_of(res)
    assert res.status_code == 422
    assert err["message"].endswith("(1 autre(s) erreur(s) dans « details ».)")
    assert {e["field"] for e in err["details"]["errors"]} == {"format", "offset"}
    res = client.get("/chunks/abc/similar")
    assert error_of(res)["message"] == "Paramètre d'adresse « chunk_id » : nombre entier attendu."


def test_429_rate_limit_per_client_and_health_exempt(tmp_path):
    app = make_app(make_settings(tmp_path / "var", rate_limit_per_minute=3))
    with TestClient(app) as c:
        assert [c.get("/facets").status_code for _ in range(3)] == [200, 200, 200]
        res = c.get("/facets")
        assert res.status_code == 429
        assert res.headers["retry-after"] == "20"
        assert error_of(res) == {
            "code": "trop_de_requetes",
            "message": "Trop de requêtes : réessayez dans 20 s.",
            "details": {"limit_per_minute": 3, "retry_after_s": 20},
        }
        assert c.get("/health").status_code == 200


def test_token_bucket_refills_over_time():
    now = [0.0]
    bucket = TokenBucket(60, clock=lambda: now[0])
    assert all(bucket.take("a") == 0.0 for _ in range(60))
    assert bucket.take("a") == pytest.approx(1.0)
    assert bucket.take("b") == 0.0  # another client has its own bucket
    now[0] += 2.0
    assert [bucket.take("a") for _ in range(2)] == [0.0, 0.0]
    assert bucket.take("a") > 0


class _BrokenStore(Store):
    """A store whose facet query fails unexpectedly (a bug, not a domain error)."""

    def all_facet_counts(self):
        raise RuntimeError("secret interne /chemin/vers/la/base")


class _LockedStore(Store):
    def __init__(self, path, exc):
        super().__init__(path)
        self.exc = exc

    def count(self, table):
        raise self.exc


class _UnavailableEmbedder:
    """An embedder that cannot be used: asking its identity raises the given domain error."""

    def __init__(self, exc):
        self.exc = exc

    @property
    def id(self):
        raise self.exc

    @property
    def dimension(self):
        raise self.exc


def test_500_unexpected_error_is_generic_and_logged(tmp_path, caplog):
    settings = make_settings(tmp_path / "var")
    kb = KnowledgeBase(settings, store=_BrokenStore(settings.store_path), extractor=cached_extractor())
    with caplog.at_level(logging.ERROR), TestClient(create_app(settings, kb=kb)) as c:
        res = c.get("/facets")
    kb.close()
    assert res.status_code == 500
    assert error_of(res) == {
        "code": "erreur_interne",
        "message": "Erreur interne du serveur. L'incident a été journalisé ; réessayez plus tard.",
        "details": {},
    }
    assert "secret interne" not in res.text
    assert "RuntimeError: secret interne" in caplog.text  # the traceback stays on the server


@pytest.mark.parametrize("exc", [
    EmbedderUnavailableError("Le modèle d'embedding « x » ne peut pas être chargé."),
    IndexMismatchError("L'index a été construit avec un autre modèle.", {"index_embedder": "a"}),
    StoreError("La base de données est verrouillée."),
])
def test_503_when_model_index_or_store_is_unavailable(tmp_path, exc):
    settings = make_settings(tmp_path / "var")
    if isinstance(exc, StoreError):
        kb = KnowledgeBase(settings, store=_LockedStore(settings.store_path, exc), extractor=cached_extractor())
    else:
        kb = KnowledgeBase(settings, embedder=_UnavailableEmbedder(exc), extractor=cached_extractor())
    with TestClient(create_app(settings, kb=kb)) as c:
        res = c.get("/health")
    assert res.status_code == 503
    assert error_of(res) == {"code": exc.code, "message": exc.message, "details": exc.details}

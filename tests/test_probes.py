"""Regression tests for the probes of a hostile user that held: the API key on every write endpoint, compared in
constant time, and every id of every route refusing path traversal."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from tests._api_fixtures import API_KEY, error_of, make_settings

WRITE_METHODS = {"POST", "DELETE", "PUT", "PATCH"}
TRAVERSALS = ["..", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
              "....//....//etc/passwd", "/etc/passwd", "%00", "d0000000000000000%00.pdf", "~root", "..\\..\\x"]


def _routes(app, methods: set[str]) -> list[tuple[str, str]]:
    """(method, path) of every documented route (the OpenAPI schema lists them all, routers included)."""
    return sorted((m.upper(), path) for path, ops in app.openapi()["paths"].items() for m in ops
                  if m.upper() in methods)


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _m: value, path)


def test_every_write_endpoint_needs_the_key(tmp_path):
    app = create_app(make_settings(tmp_path / "var"))
    writes = _routes(app, WRITE_METHODS)
    assert writes == [("DELETE", "/documents/{doc_id}"), ("DELETE", "/saved-searches/{search_id}"),
                      ("POST", "/documents"), ("POST", "/saved-searches")]
    with TestClient(app) as client:
        for method, path in writes:
            for headers in ({}, {"X-API-Key": "faux"}, {"X-API-Key": API_KEY[:-1]}, {"X-API-Key": API_KEY + " "}):
                res = client.request(method, _fill(path, "x"), headers=headers)
                assert res.status_code == 401, (method, path, headers)
                assert error_of(res)["code"] == "cle_api_invalide"
    disabled = create_app(make_settings(tmp_path / "var2", api_key=None))
    with TestClient(disabled) as client:
        for method, path in writes:
            res = client.request(method, _fill(path, "x"), headers={"X-API-Key": API_KEY})
            assert res.status_code == 403 and error_of(res)["code"] == "ecriture_desactivee"


def test_the_key_is_compared_in_constant_time(tmp_path, monkeypatch):
    import hmac
    import secrets

    import search_api.ratelimit
    import service.auth

    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(service.auth.secrets, "compare_digest", spy)
    monkeypatch.setattr(search_api.ratelimit.hmac, "compare_digest", spy)
    assert secrets.compare_digest is spy
    with TestClient(create_app(make_settings(tmp_path / "var", rate_limit_per_minute=100))) as client:
        assert client.delete("/saved-searches/x", headers={"X-API-Key": "essai"}).status_code == 401
    # once by the rate limiter (which bucket), once by the write check, never with ==
    assert calls == [(b"essai", API_KEY.encode()), (b"essai", API_KEY.encode())]


@pytest.mark.parametrize("value", TRAVERSALS)
def test_path_traversal_in_every_id_is_a_404_or_422(client, value):
    reads = _routes(client.app, {"GET"})
    with_ids = [p for _m, p in reads if "{" in p]
    assert len(with_ids) >= 6
    for path in with_ids:
        res = client.get(_fill(path, value))
        assert res.status_code in (404, 422), (path, value, res.status_code)
        assert "root:" not in res.text and "[extensions]" not in res.text
        error_of(res)

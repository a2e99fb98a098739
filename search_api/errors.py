"""One error shape for every failure: ``{"error": {"code", "message", "details"}}``, in French.

Domain exceptions (`acv.errors`) are mapped to HTTP statuses here and only
here; FastAPI's own errors (validation, unknown route, wrong method) are
translated to the same shape, and anything unexpected becomes a generic 500
whose traceback stays in the server log.

Status choices: a query or filter value the core rejects (`InvalidQueryError`:
empty or too long `q`, `k` out of range, unknown city, bad date) is a 400; a
parameter of the wrong type or missing (FastAPI's validation) is a 422, as is a
file too slow or too big to read (`ReadLimitError`: its type was fine); a body
past its limit is a 413; a full disk on the server (`DiskFullError`) is a 507,
never blamed on the client.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from acv.errors import (
    AcvError,
    DiskFullError,
    EmbedderUnavailableError,
    FileTooLargeError,
    IndexMismatchError,
    InvalidQueryError,
    NotFoundError,
    ReadLimitError,
    StoreError,
    UnreadableFileError,
    UnsupportedFormatError,
    is_disk_full,
)
from service.auth import InvalidApiKeyError, WritesDisabledError
from service.uploads import DuplicateDocumentError, NoFreeNameError

log = logging.getLogger(__name__)

INTERNAL_MESSAGE = "Erreur interne du serveur. L'incident a été journalisé ; réessayez plus tard."

# Most specific classes first: FileTooLargeError and UnsupportedFormatError derive from UnreadableFileError.
_STATUS_BY_CLASS: tuple[tuple[type[AcvError], int], ...] = (
    (InvalidQueryError, 400),
    (InvalidApiKeyError, 401),
    (WritesDisabledError, 403),
    (NotFoundError, 404),
    (DuplicateDocumentError, 409),
    (NoFreeNameError, 409),
    (FileTooLargeError, 413),
    (ReadLimitError, 422),  # read too slowly or with too much memory: the content, not its type
    (UnsupportedFormatError, 415),
    (UnreadableFileError, 415),
    (IndexMismatchError, 503),
    (EmbedderUnavailableError, 503),
    (DiskFullError, 507),  # before StoreError, its base: the server's disk, not the client, is at fault
    (StoreError, 503),
)

# FastAPI/Starlette statuses raised outside our code (unknown route, wrong method…).
_HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("requete_invalide", "Requête invalide."),
    401: ("cle_api_invalide", "Clé d'API absente ou invalide."),
    403: ("acces_refuse", "Accès refusé."),
    404: ("introuvable", "Ressource introuvable : vérifiez l'adresse."),
    405: ("methode_non_autorisee", "Méthode HTTP non autorisée pour cette adresse."),
    413: ("fichier_trop_volumineux", "Requête trop volumineuse."),
    415: ("format_non_pris_en_charge", "Type de contenu non pris en charge."),
    429: ("trop_de_requetes", "Trop de requêtes : patientez quelques secondes."),
}


class ApiError(AcvError):
    """An error raised by the API itself, with its HTTP status (401, 403, 409, 413, 415…)."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message, details)
        self.status = status
        self.code = code
        self.headers = headers


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


class _ErrorJSON(JSONResponse):
    """An error body is always sent: text the client sent back to it (a lone surrogate…) is escaped, never fatal."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                          default=str).encode("utf-8", "backslashreplace")


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return _ErrorJSON(error_body(code, message, details), status_code=status, headers=headers)


def status_for(exc: AcvError) -> int:
    if isinstance(exc, ApiError):
        return exc.status
    for cls, status in _STATUS_BY_CLASS:
        if isinstance(exc, cls):
            return status
    return 500


# -- validation messages -----------------------------------------------------------------------

_LOCATIONS = {"query": "Paramètre", "path": "Paramètre d'adresse", "header": "En-tête", "body": "Champ",
              "cookie": "Cookie", "form": "Champ"}


def _french(err: dict[str, Any]) -> str:
    """A French sentence for one pydantic error (the few types an HTTP API meets)."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in ("lone_surrogate", "string_unicode"):  # pydantic cannot hold a lone surrogate as a string
        return "caractères invalides (demi-paire UTF-16 isolée)"
    if kind == "missing":
        return "valeur obligatoire manquante"
    if kind.startswith("int_"):
        return "nombre entier attendu"
    if kind.startswith("float_") or kind.startswith("decimal_"):
        return "nombre attendu"
    if kind.startswith("bool_"):
        return "booléen attendu (true ou false)"
    if kind == "greater_than_equal":
        return f"la valeur doit être supérieure ou égale à {ctx.get('ge')}"
    if kind == "greater_than":
        return f"la valeur doit être supérieure à {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"la valeur doit être inférieure ou égale à {ctx.get('le')}"
    if kind == "less_than":
        return f"la valeur doit être inférieure à {ctx.get('lt')}"
    if kind == "string_too_long":
        return f"texte trop long (maximum {ctx.get('max_length')} caractères)"
    if kind == "string_too_short":
        return f"texte trop court (minimum {ctx.get('min_length')} caractère(s))"
    if kind in ("literal_error", "enum"):
        return f"valeur non autorisée ; valeurs possibles : {ctx.get('expected', '')}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "date invalide (format attendu : AAAA-MM-JJ)"
    if kind.startswith("string_"):
        return "texte attendu"
    if kind.startswith("list_"):
        return "liste attendue"
    if kind == "too_long":
        return f"trop de valeurs (maximum {ctx.get('max_length')})"
    if kind == "extra_forbidden":
        return "champ inconnu"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "objet JSON attendu"
    if kind == "json_invalid":
        return "JSON invalide"
    return "valeur invalide"


def validation_details(errors: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    items = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        if err.get("type") == "json_invalid":  # its location is a byte offset in the body, not a field
            position = loc[1] if len(loc) > 1 else ""
            items.append({"location": "body", "field": "", "message": "JSON invalide"
                          + (f" (position {position})" if position else "")})
            continue
        where, field = (loc[0], ".".join(p for p in loc[1:] if p != "[key]")) if loc else ("", "")
        items.append({"location": where, "field": field, "message": _french(err)})
    if not items:
        return "Paramètres invalides.", {"errors": []}
    first = items[0]
    label = _LOCATIONS.get(first["location"], "Paramètre")
    if first["field"]:
        message = f"{label} « {first['field']} » : {first['message']}."
    elif first["location"] == "body":
        message = f"Corps de la requête : {first['message']}."
    else:
        message = f"{first['message']}."
    if len(items) > 1:
        message += f" ({len(items) - 1} autre(s) erreur(s) dans « details ».)"
    return message[0].upper() + message[1:], {"errors": items}


# -- handlers --------------------------------------------------------------------------------------


async def _acv_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AcvError)
    status = status_for(exc)
    if status >= 500:
        log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc.message)
    headers = exc.headers if isinstance(exc, ApiError) else None
    return error_response(status, exc.code, exc.message, exc.details, headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    message, details = validation_details(list(exc.errors()))
    return error_response(422, "parametres_invalides", message, details)


class BodyTooLarge(StarletteHTTPException):
    """A request body past its limit, met while it is read (`search_api/bodies.py`): a 413, never the 400
    FastAPI makes of other errors raised while it reads a body."""

    def __init__(self, limit: int) -> None:
        super().__init__(413)
        self.limit = limit


def body_too_large(limit: int) -> JSONResponse:
    return error_response(413, "corps_trop_volumineux",
                          f"Corps de la requête trop volumineux (limite : {limit // 1024} Kio).", {"max_bytes": limit})


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc, BodyTooLarge):
        return body_too_large(exc.limit)
    code, message = _HTTP_MESSAGES.get(exc.status_code, ("erreur_http", f"Erreur HTTP {exc.status_code}."))
    return error_response(exc.status_code, code, message, None, getattr(exc, "headers", None))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AcvError, _acv_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(CatchAllMiddleware)


class CatchAllMiddleware:
    """Last resort: an unexpected exception becomes a generic French 500; the traceback goes to the log only.

    A plain ASGI middleware rather than an ``Exception`` handler, because
    Starlette re-raises after such a handler and the client could then see a
    half-closed connection.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if is_disk_full(exc) and not started:  # a write the core did not word: still the disk, not a bug
                log.error("disk full on %s %s: %s", scope.get("method"), scope.get("path"), exc)
                full = DiskFullError()
                await error_response(507, full.code, full.message)(scope, receive, send)
                return
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = error_response(500, "erreur_interne", INTERNAL_MESSAGE)
            await response(scope, receive, send)

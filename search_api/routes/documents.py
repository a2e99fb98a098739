"""Documents: list, read, download the original, upload (ingest) and delete."""

from __future__ import annotations

import mimetypes
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from acv.errors import InvalidQueryError
from search_api.deps import KB, FilterParams, WriteAccess, file_url
from search_api.models import DeleteResponse, DocumentDetail, DocumentList, ErrorResponse
from search_api.uploads import receive_file
from service.types import DocumentSummary
from service.uploads import safe_stem

router = APIRouter(prefix="/documents", tags=["documents"])

MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html", "markdown": "text/markdown", "text": "text/plain"}
_CHARSET_PROBE = 4 * 1024 * 1024
DOC_ID = Annotated[str, Path(description="Identifiant du document.", max_length=64,
                             openapi_examples={"doc": {"value": "d1a2b3c4d5e6f7a8"}})]


def _error(status: int, code: str, message: str, details: dict[str, Any] | None = None,
           description: str = "") -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description or message, "content": {"application/json": {
        "example": {"error": {"code": code, "message": message, "details": details or {}}}}}}


NOT_FOUND = {404: _error(404, "introuvable", "Document introuvable : « d0000000000000000 ».",
                         {"doc_id": "d0000000000000000"}, "Document introuvable.")}
WRITE_ERRORS = {
    401: _error(401, "cle_api_invalide", "Clé d'API absente ou invalide : envoyez-la dans l'en-tête « X-API-Key ».",
                description="Clé d'API absente ou fausse."),
    403: _error(403, "ecriture_desactivee", "Les écritures sont désactivées : aucune clé d'API n'est configurée sur "
                "le serveur (ACV_API_KEY).", description="Aucune clé configurée : écritures refusées."),
}
_SUMMARY_EXAMPLE = {
    "doc_id": "d1a2b3c4d5e6f7a8", "source": "corpus/documents/conventions/convention-agen.pdf",
    "title": "Convention-cadre Action cœur de ville — Agen", "doc_type": "convention", "date": "2018-07-05",
    "format": "pdf", "cities": [{"insee": "47001", "name": "Agen", "departement": "Lot-et-Garonne",
                                 "departement_code": "47", "region": "Nouvelle-Aquitaine"}],
    "mentioned_cities": [], "departements": ["Lot-et-Garonne"], "regions": ["Nouvelle-Aquitaine"], "axes": [1, 2],
    "themes": ["vacance-commerciale", "opah-ru"], "amounts": [{"text": "52,1 M€", "value": 52100000.0}],
    "funders": ["Banque des Territoires"], "page_count": 24, "chunks": 61,
    "content_hash": "9f2c…", "ingested_at": "2024-05-02T09:30:00+00:00", "file_url": "/documents/d1a2b3c4d5e6f7a8/file",
}
_CHUNK_EXAMPLE = {"chunk_id": 42, "ordinal": 0, "page": 1, "section": "Préambule", "start": 0, "end": 812,
                  "text": "La présente convention-cadre…", "axes": [], "themes": [], "amounts": [], "funders": [],
                  "ocr": False}


def with_link(doc: DocumentSummary) -> dict[str, Any]:
    """The document's JSON with the link to its original file."""
    return {**doc.to_dict(), "file_url": file_url(doc.doc_id)}


@router.get(
    "", response_model=DocumentList, summary="Lister les documents",
    description="Documents de la base, les plus récents d'abord ; mêmes filtres que /search, avec pagination.",
    responses={200: {"content": {"application/json": {"example": {
        "total": 1, "offset": 0, "limit": 50, "documents": [_SUMMARY_EXAMPLE]}}}},
        400: _error(400, "requete_invalide", "Type de document inconnu : « rapport ». Types possibles : convention, "
                    "communique, bonne_pratique, autre.", {"doc_type": "rapport"})},
)
def list_documents(
    kb: KB, filters: FilterParams,
    limit: Annotated[int, Query(description="Taille de la page, de 1 à 500.", openapi_examples={"p": {"value": 50}})]
    = 50,
    offset: Annotated[int, Query(description="Décalage (0 ou plus).", openapi_examples={"p": {"value": 0}})] = 0,
) -> dict[str, Any]:
    if not 1 <= limit <= 500:
        raise InvalidQueryError("La taille de page doit être entre 1 et 500.", {"limit": limit})
    if offset < 0:
        raise InvalidQueryError("Le décalage doit être positif ou nul.", {"offset": offset})
    page = kb.documents(filters, limit=limit, offset=offset)
    return {"total": page.total, "offset": offset, "limit": limit, "documents": [with_link(d) for d in page.documents]}


@router.get(
    "/{doc_id}", response_model=DocumentDetail, summary="Un document et ses passages",
    responses={200: {"content": {"application/json": {"example": {**_SUMMARY_EXAMPLE, "chunks": [_CHUNK_EXAMPLE]}}}},
               **NOT_FOUND},
)
def get_document(kb: KB, doc_id: DOC_ID) -> dict[str, Any]:
    return with_link(kb.document(doc_id))


@router.get(
    "/{doc_id}/file", summary="Le fichier original",
    description="Le fichier tel qu'il a été ingéré, affiché dans le navigateur (Content-Disposition inline). "
                "Les pages HTML sont servies dans un bac à sable (Content-Security-Policy: sandbox).",
    response_class=FileResponse,
    responses={200: {"description": "Le fichier.", "content": {
        "application/pdf": {"example": "(contenu PDF)"}, "text/html": {"example": "<!doctype html>…"},
        "text/markdown": {"example": "# Titre…"}, "text/plain": {"example": "Texte…"}}}, **NOT_FOUND},
)
def get_document_file(kb: KB, doc_id: DOC_ID) -> FileResponse:
    path = kb.document_file(doc_id)
    fmt = kb.document(doc_id).format
    media_type = MEDIA_TYPES.get(fmt) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    name = safe_stem(path.name) + (path.suffix.lower() if path.suffix.isascii() else "")
    response = FileResponse(
        path, media_type=media_type, filename=name, content_disposition_type="inline",
        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"},
    )
    if media_type.startswith("text/"):
        response.headers["content-type"] = _with_charset(media_type, fmt, path)
    return response


def _with_charset(media_type: str, fmt: str, path: FsPath) -> str:
    """UTF-8 when the bytes are UTF-8; otherwise leave HTML to its <meta> and call other text windows-1252
    (the readers' fallback), rather than Starlette's blanket utf-8."""
    with open(path, "rb") as fh:
        data = fh.read(_CHARSET_PROBE)
    try:
        data.decode("utf-8")
        return f"{media_type}; charset=utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and len(data) == _CHARSET_PROBE:  # a character cut by the probe
            return f"{media_type}; charset=utf-8"
    return media_type if fmt == "html" else f"{media_type}; charset=windows-1252"


@router.post(
    "", status_code=201, response_model=DocumentDetail, summary="Ajouter un document",
    description="Envoie un fichier (multipart/form-data, champ « file ») : il est ingéré et ses métadonnées sont "
                "renvoyées. Clé d'API obligatoire (en-tête X-API-Key). Le type est décidé d'après le contenu "
                "(PDF, HTML, Markdown ou texte), pas d'après l'extension ; taille limitée par ACV_MAX_UPLOAD_MB.",
    dependencies=[WriteAccess],
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {
        "schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": "Le document (PDF, HTML, Markdown, texte)."}}},
        "example": {"file": "convention-agen.pdf"}}}}},
    responses={201: {"content": {"application/json": {"example": {**_SUMMARY_EXAMPLE, "chunks": [_CHUNK_EXAMPLE]}}}},
               **WRITE_ERRORS,
               409: _error(409, "document_deja_present", "Ce fichier est déjà dans la base.",
                           {"doc_id": "d1a2b3c4d5e6f7a8"}),
               413: _error(413, "fichier_trop_volumineux",
                           "Fichier trop volumineux : la limite est de 50 Mo (ACV_MAX_UPLOAD_MB).",
                           {"max_bytes": 52428800}),
               415: _error(415, "format_non_pris_en_charge",
                           "Type de fichier refusé (format non pris en charge : contenu binaire (ni PDF, ni HTML, "
                           "ni texte)). Formats acceptés : PDF, HTML, Markdown, texte.", {"file_name": "photo"})},
)
async def upload_document(request: Request, kb: KB) -> dict[str, Any]:
    uploads = kb.uploads  # the one upload flow (service/uploads.py), shared with the UI
    received = await receive_file(request, uploads.folder, uploads.limit)
    target = uploads.accept(received)
    result = await run_in_threadpool(uploads.ingest, target, received.sha256)
    return with_link(result.document)


@router.delete(
    "/{doc_id}", response_model=DeleteResponse, summary="Supprimer un document",
    description="Retire le document, ses passages et ses vecteurs. Un fichier envoyé par POST /documents est "
                "aussi effacé du disque ; les fichiers du corpus ne sont jamais touchés. Clé d'API obligatoire.",
    dependencies=[WriteAccess],
    responses={200: {"content": {"application/json": {"example": {"doc_id": "d1a2b3c4d5e6f7a8", "deleted": True}}}},
               **WRITE_ERRORS, **NOT_FOUND},
)
def delete_document(kb: KB, doc_id: DOC_ID) -> dict[str, Any]:
    kb.uploads.delete(doc_id)
    return {"doc_id": doc_id, "deleted": True}

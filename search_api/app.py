"""The FastAPI application: `create_app()` is the factory uvicorn calls (`acv serve`).

One KnowledgeBase per process (store, embedding model and dense index opened
once), shared by every request; writes go one at a time behind the knowledge
base's write lock while searches keep running (SQLite WAL, dense index synced
from the store's log).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from fastapi import FastAPI  # noqa: E402
from fastapi.concurrency import run_in_threadpool  # noqa: E402

from acv import __version__  # noqa: E402
from acv.errors import AcvError  # noqa: E402
from acv.settings import Settings, get_settings  # noqa: E402
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware  # noqa: E402

from search_api.bodies import BodyLimitMiddleware  # noqa: E402
from search_api.deps import KnowledgeBaseHolder  # noqa: E402
from search_api.errors import install_error_handlers  # noqa: E402
from search_api.proxies import TrustedPeerMiddleware, parse_trusted  # noqa: E402
from search_api.ratelimit import RateLimitMiddleware  # noqa: E402
from search_api.routes import cities, documents, feeds, meta, search  # noqa: E402
from service import KnowledgeBase  # noqa: E402

log = logging.getLogger(__name__)

DESCRIPTION = """\
Recherche dans la base de connaissances du programme **Action cœur de ville** (conventions-cadres, communiqués,
bonnes pratiques) : recherche hybride lexicale et sémantique en français, filtres par axe, thème, commune,
département, région, type et date, fiches des 244 communes, export CSV ou JSON.

* Les lectures sont libres ; les écritures (`POST` et `DELETE` sur `/documents` et `/saved-searches`) demandent
  la clé d'API dans l'en-tête `X-API-Key` (variable `ACV_API_KEY`) et sont refusées si aucune clé n'est configurée.
* Toute erreur a la forme `{"error": {"code", "message", "details"}}`, avec un message en français.
* Nombre de requêtes limité par client (`ACV_RATE_LIMIT_PER_MINUTE`, 600 par minute par défaut, 0 : sans limite) :
  par clé d'API quand la bonne clé est envoyée, par adresse IP sinon. Derrière un proxy inverse, ses en-têtes
  X-Forwarded-For et Host ne sont crus que s'il figure dans `ACV_TRUSTED_PROXIES` ; les liens des flux Atom
  partent de `ACV_PUBLIC_URL`.
* Corps JSON limités à 64 Kio ; envois de fichiers limités par `ACV_MAX_UPLOAD_MB`.
"""

TAGS = [
    {"name": "recherche", "description": "Recherche, export et projets comparables."},
    {"name": "documents", "description": "Consulter, télécharger, ajouter ou supprimer des documents."},
    {"name": "communes", "description": "Les communes du programme et leurs documents."},
    {"name": "suivi", "description": "Recherches suivies, leurs nouveautés et leurs flux Atom."},
    {"name": "service", "description": "Valeurs des filtres et état du service."},
]


def create_app(settings: Settings | None = None, kb: KnowledgeBase | None = None, *,
               kb_factory: Callable[[Settings], KnowledgeBase] = KnowledgeBase) -> FastAPI:
    """Build the app; tests pass their own `settings` (and may share an already opened `kb`, or say how to
    open one with `kb_factory`)."""
    settings = settings or get_settings()
    holder = KnowledgeBaseHolder(settings, kb, kb_factory)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:  # open the store, the model and the index before the first request, not during it
            kb = await run_in_threadpool(holder.get)
            await run_in_threadpool(lambda: kb.dense)
            try:  # what a killed server left in the uploads folder
                await run_in_threadpool(kb.uploads.recover)
            except OSError as exc:
                log.warning("uploads folder not cleaned at startup: %s", exc)
            if holder.owned:  # read its files into the OS cache meanwhile (a restarted server's first searches)
                kb.warm_up(background=True)
        except AcvError as exc:
            log.warning("knowledge base not ready at startup: %s", exc.message)
        yield
        holder.close()

    app = FastAPI(
        title="API de recherche Action cœur de ville",
        description=DESCRIPTION,
        version=__version__,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.kb_holder = holder
    # Middleware added later wraps the earlier ones: catch-all → trusted peer → proxy headers → rate limit → body
    # size → routes.
    app.add_middleware(BodyLimitMiddleware)
    api_key = settings.api_key.get_secret_value() if settings.api_key else None
    app.add_middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute, api_key=api_key)
    try:
        trusted = parse_trusted(settings.trusted_proxies)
    except ValueError as exc:
        raise AcvError(f"ACV_TRUSTED_PROXIES illisible ({exc}) : donnez des adresses ou des réseaux séparés par "
                       "des virgules, par exemple 127.0.0.1,10.0.0.0/8.") from None
    if trusted:  # forwarded headers believed from these peers only; never from anyone by default
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=[str(n) for n in trusted])
    app.add_middleware(TrustedPeerMiddleware, trusted=settings.trusted_proxies)
    install_error_handlers(app)  # adds the catch-all middleware last, i.e. outermost
    for module in (search, documents, cities, feeds, meta):
        app.include_router(module.router)
    return app

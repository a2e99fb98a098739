"""The one write-access check: the configured API key, compared in constant time.

With no key configured, writes are refused outright. Each edge words the refusal for its users
(an HTTP header for the API, a form field for the UI) and maps it once (403 / 401).
"""

from __future__ import annotations

import secrets

from acv.errors import AcvError
from acv.settings import Settings


class WritesDisabledError(AcvError):
    """No API key is configured: nobody may write."""

    code = "ecriture_desactivee"


class InvalidApiKeyError(AcvError):
    """The key given is missing or differs from the configured one."""

    code = "cle_api_invalide"


def check_api_key(settings: Settings, given: str | None) -> None:
    """Return when `given` is the configured key; raise `WritesDisabledError` or `InvalidApiKeyError` otherwise."""
    configured = settings.api_key.get_secret_value() if settings.api_key is not None else ""
    if not configured:
        raise WritesDisabledError("Les écritures sont désactivées : aucune clé d'API n'est configurée (ACV_API_KEY).")
    if not given or not secrets.compare_digest(given.encode("utf-8"), configured.encode("utf-8")):
        raise InvalidApiKeyError("Clé d'API absente ou invalide.")

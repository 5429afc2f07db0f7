"""The JSON API and web page server: `create_app(settings)` builds a FastAPI app over one store."""

from sitreps.api.app import create_app

__all__ = ["create_app"]

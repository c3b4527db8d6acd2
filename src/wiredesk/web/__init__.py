"""HTTP API and web desk (FastAPI). The only part of wiredesk that imports fastapi.

``create_app(db, host=..., token=...)`` builds the app; ``wiredesk serve`` runs it with uvicorn. See docs/web.md.
"""

from wiredesk.web.app import create_app

__all__ = ["create_app"]

"""sitreps.ingest: files, folders, HTML, JSON Lines, CSV, RSS/Atom, URLs and stdin → Documents, plus near-duplicates."""

from __future__ import annotations

from sitreps.ingest.dates import parse_date
from sitreps.ingest.fetch import Fetched, Fetcher, check_addresses, fetch_url, is_public_address
from sitreps.ingest.neardup import NearDuplicateIndex
from sitreps.ingest.normalise import document_id, normalise_text
from sitreps.ingest.options import ReadOptions
from sitreps.ingest.read import FORMATS, SUFFIXES, Format, iter_bytes, iter_documents, sniff_format

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "Fetched",
    "Fetcher",
    "Format",
    "NearDuplicateIndex",
    "ReadOptions",
    "check_addresses",
    "document_id",
    "fetch_url",
    "is_public_address",
    "iter_bytes",
    "iter_documents",
    "normalise_text",
    "parse_date",
    "sniff_format",
]

"""Fuse mentions from many documents into one event per real happening, with corroboration and disagreement."""

from __future__ import annotations

from sitreps.fuse.fuser import Fuser, fuse
from sitreps.fuse.metrics import b_cubed
from sitreps.fuse.types import DocInfo, FuseDelta

__all__ = ["DocInfo", "FuseDelta", "Fuser", "b_cubed", "fuse"]

"""Defaults shared by the answer layer and the front ends, importable without loading either."""

from __future__ import annotations

DEFAULT_K = 8  # passages retrieved as evidence for one answer

"""The tree's paths are rebuilt by the services (`dangvu.units.services.paths`)."""

from __future__ import annotations

from dangvu.units.services.paths import PathProblem, Piece, rebuild_paths

__all__ = ["PathProblem", "Piece", "rebuild_paths"]

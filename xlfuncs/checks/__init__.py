"""The checks of the rule catalogue, one registered function per rule id."""

from . import content, funds, imported, points, reports, scores, templates  # noqa: F401  (modules register their checks)
from .context import REGISTRY, Context

__all__ = ["REGISTRY", "Context"]

"""The checks of the rule catalogue, one registered function per rule id."""

from . import (  # noqa: F401  (modules register their checks)
    content,
    copied_text,
    double_counts,
    funds,
    imported,
    points,
    reports,
    scores,
    targets,
    templates,
)
from .context import REGISTRY, Context

__all__ = ["REGISTRY", "Context"]

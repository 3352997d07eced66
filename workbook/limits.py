"""The workbook's size limits are the filing's own (:mod:`xlfuncs.limits`): one limit for the loader,
the builder, the reader and the command line."""

from xlfuncs.limits import MAX_CAPACITY, MAX_PROJECTS

__all__ = ["MAX_CAPACITY", "MAX_PROJECTS"]

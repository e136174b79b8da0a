"""Errors of the evaluation stage."""

from __future__ import annotations

from allegations.core.errors import AllegationsError


class EvalError(AllegationsError):
    """Gold, predictions or corpus cannot be evaluated together; says which file, line or article and how to fix it."""

"""Tags and name scopes of summary ops, as TensorFlow makes them.

A summary named ``loss`` inside name scope ``train`` is an op ``train/loss`` with tag
``train/loss``; a second one becomes ``train/loss_1``. Characters other than letters, digits,
``_ - . /`` become ``_``. With ``family``, the tag is prefixed: ``family/train/family/loss``.

Usage::

    with summary_scope("loss", family=None, values=[x]) as (tag, scope):
        op = apply_op("ScalarSummary", [...], name=scope)
"""
from __future__ import annotations

import contextlib
import re
from typing import Optional

from .. import logging as tf_logging
from ..framework import ops

__all__ = ["clean_tag", "summary_scope", "collect"]

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def clean_tag(name: Optional[str]) -> Optional[str]:
    """``name`` with characters TensorBoard tags may not hold replaced by ``_`` (leading '/'
    dropped); logs when it changes the name."""
    if not name:
        return name
    cleaned = _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")
    if cleaned != name:
        tf_logging.info("Summary name %s is illegal; using %s instead.", name, cleaned)
    return cleaned


@contextlib.contextmanager
def summary_scope(name: str, family: Optional[str] = None, default_name: Optional[str] = None,
                  values=None):
    """Enter the (uniquified) name scope of a summary op; yields ``(tag, scope)``."""
    name, family = clean_tag(name), clean_tag(family)
    base = name if family is None else f"{family}/{name}"
    with ops.name_scope(base, default_name, values) as scope:
        tag = scope.rstrip("/") if family is None else f"{family}/{scope.rstrip('/')}"
        yield tag, scope


def collect(value, collections, default_collections) -> None:
    """Add ``value`` to ``collections`` (``None``: the defaults) of the default graph."""
    for key in (default_collections if collections is None else collections):
        ops.add_to_collection(key, value)

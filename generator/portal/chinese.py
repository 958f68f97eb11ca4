"""Simplified and traditional characters: conversion with OpenCC, and the folder the portal's pages
in traditional characters are published under.

This module renders nothing and imports nothing from the renderer: the output audit uses it to read
the traditional pages back in simplified characters (see ``generator/portal/hant.py`` for the pages).
"""

from __future__ import annotations

import functools

import opencc

PREFIX = "zh-hant/"  # a page at <url> has its twin in traditional characters at PREFIX + <url>


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    """``text`` in standard traditional characters, phrase by phrase (OpenCC's ``s2t``)."""
    return _converter("s2t").convert(text)


def to_simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC's ``t2s``)."""
    return _converter("t2s").convert(text)

"""Test support: external tools (LibreOffice, Dovecot, faketime) and how tests that need them behave.

A test that needs a tool calls ``require_tool``: it skips when the tool is missing on a developer's machine,
and fails when ``BAOCAO_REQUIRE_ALL=1`` (set by ``.ci/run``), so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_all() -> bool:
    return os.environ.get("BAOCAO_REQUIRE_ALL", "") not in ("", "0", "false")


def require_tool(name: str, *candidates: str) -> str:
    """The path of the first of ``name``/``candidates`` on PATH; skip (or fail under REQUIRE_ALL) if none."""
    for candidate in (name, *candidates):
        found = shutil.which(candidate)
        if found:
            return found
    message = f"{name} is not installed"
    if require_all():
        pytest.fail(f"{message} and BAOCAO_REQUIRE_ALL=1: .ci/run must install it")
    pytest.skip(message)
    raise AssertionError("unreachable")

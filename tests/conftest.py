"""Shared fixtures. Every test runs in Vietnamese unless it sets the language itself."""

from __future__ import annotations

import pytest

from automation import messages


@pytest.fixture(autouse=True)
def _vietnamese():
    messages.set_language("vi")
    yield
    messages.set_language("vi")

"""The contracts baocao keeps with other programs: data files shipped inside the package.

``run-report.schema.json`` is the JSON Schema of ``outbox/YYYY-MM/run-report.json`` (written by the write
stage), a byte-for-byte copy of the project's shared contract so that the installed package and its tests
need nothing outside the repository. Imports nothing from ``automation``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

RUN_REPORT_SCHEMA = "run-report.schema.json"


def run_report_schema() -> dict[str, Any]:
    """The run report's JSON Schema (draft 2020-12) as a dict."""
    text = resources.files(__name__).joinpath(RUN_REPORT_SCHEMA).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema

"""The run report's schema ships inside the package (issue 12 item 7): tests and the installed product need
nothing outside the repository. (CI compares the copy with the project's shared contract in a step of its
own, ``tools/check_contract.py``: no test reads outside the clone.)"""

from __future__ import annotations

from pathlib import Path

from jsonschema import Draft202012Validator

from automation.contracts import RUN_REPORT_SCHEMA, run_report_schema

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ROOT / "automation" / "contracts" / RUN_REPORT_SCHEMA


def test_the_packaged_schema_is_a_valid_draft_2020_12_schema_of_version_1():
    schema = run_report_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["title"] == "baocao run report"
    assert schema["properties"]["schema_version"] == {"const": "1"}


def test_the_schema_is_shipped_as_package_data():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "contracts/*.json" in project["tool"]["setuptools"]["package-data"]["automation"]

"""CI step: the run report's schema shipped in the package is byte for byte the project's shared contract.

    python tools/check_contract.py [SHARED_CONTRACTS_DIR]

The shared contracts live outside this repository (``../shared/contracts`` beside a CI checkout), so this
is not a test: the test suite reads nothing outside the clone. Exits 0 when the copies are equal, 1 when
they differ, and 0 with a note when the shared folder is not there.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = "run-report.schema.json"


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else ROOT.parent / "shared" / "contracts"
    packaged = ROOT / "automation" / "contracts" / SCHEMA
    if not (shared / SCHEMA).is_file():
        print(f"check_contract: {shared / SCHEMA} is not there; nothing to compare")
        return 0
    if packaged.read_bytes() != (shared / SCHEMA).read_bytes():
        print(f"check_contract: {packaged} differs from {shared / SCHEMA}")
        return 1
    print(f"check_contract: {packaged.relative_to(ROOT)} is the shared contract")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

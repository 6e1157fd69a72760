"""`python -m automation` is the same as the `baocao` command."""

from automation.cli import main

raise SystemExit(main())

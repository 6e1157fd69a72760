"""`python -m automation` is the same as the `baocao` command."""

from automation.cli import main

if __name__ == "__main__":  # never run the CLI when a worker process imports this module
    raise SystemExit(main())

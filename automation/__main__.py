"""`python -m automation` is the same as the `baocao` command."""

if __name__ == "__main__":  # a worker process imports this module too: it needs none of the CLI
    from automation.cli import main

    raise SystemExit(main())

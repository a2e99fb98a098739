"""`python -m cli …` runs the `acv` command."""

from cli.main import main

raise SystemExit(main())

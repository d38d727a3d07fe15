"""`python -m transport` is the `transport` command."""

from transport.cli import main

raise SystemExit(main())

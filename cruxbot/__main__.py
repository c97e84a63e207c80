"""`python -m cruxbot`: the same as the `cruxbot` script."""

from cruxbot.cli import main

raise SystemExit(main())

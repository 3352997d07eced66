"""``python -m macros`` runs the perfeval command line."""

from macros.cli import main

raise SystemExit(main())

"""``python -m relucli`` runs the ``relu`` command."""

from .cli import main

if __name__ == "__main__":
    main()

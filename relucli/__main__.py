"""The entry point of ``relu`` and ``python -m relucli``.

It stops cleanly from the first moment: SIGTERM and Ctrl-C are handled before the
app's imports (typer, rich, NumPy), which take most of the start-up, so that an
interrupt at any time ends with one line and status 130 (143 for SIGTERM).
"""

from . import exits


def main() -> None:
    exits.install_signal_handlers()
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        exits.stand_in_for_closed_streams()
        exits.stop()
    run()


if __name__ == "__main__":
    main()

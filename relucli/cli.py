"""The ``relu`` program: builds the app of the one subcommand being run, and turns every
failure into one line on stderr and an exit status (0 ok, 1 failure, 2 usage, 130
Ctrl-C). The subcommands themselves live in :mod:`relucli.commands`, one module each.

Heavy imports (NumPy, matplotlib) happen inside the commands that need them, so that
``relu --help``, shell completion and ``relu table`` start fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, NoReturn, Sequence

import typer

from . import __version__, exits
from .commands import COMMANDS, ReaderWentAway, load
from .commands.common import reflow
from .errors import ReluError, UsageError
from .exits import ExitStatus

HELP = """Evaluate, plot, compare and simulate the ReLU family of activation functions.

The piecewise-linear variants (and Hardswish) match PyTorch's torch.nn.functional
bit for bit in every dtype, the gradient at the kinks included; the smooth ones are
correctly rounded in float16 and bfloat16, within 1 ulp in float32 and float64. Run
relu COMMAND --help for each command's options and examples.

Examples:

  relu table

  relu eval leaky_relu relu6 -x -1,0,3,6,8

  relu plot family -p negative_slope=0.1 -o family.png

  relu dying-sim relu relu6 --mean 3 --std 3 --batch 2

  relu code prelu -F keras"""

APP_SETTINGS = dict(
    name="relu",
    help=reflow(HELP),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"relu {__version__}")
        raise typer.Exit()


#: Show Python tracebacks instead of one-line errors (``--debug`` or RELU_DEBUG=1).
DEBUG = {"on": bool(os.environ.get("RELU_DEBUG"))}


def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help="Print the version and exit.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show Python tracebacks, for bug reports "
                           "(also RELU_DEBUG=1).")
    ] = False,
) -> None:
    if debug:
        DEBUG["on"] = True


def build_app(names=COMMANDS) -> typer.Typer:
    """A typer app holding the subcommands ``names``."""
    app = typer.Typer(**APP_SETTINGS)
    app.callback()(_root)
    for name in names:
        function, options = load(name)
        app.command(name, **options)(function)
    return app


def app_for(argv: list[str]) -> typer.Typer:
    """The app to run: when the first argument names a subcommand (and this is not a
    shell-completion request), one holding only that subcommand, whose module alone
    is imported. Typer turns every registered command into a click command at
    start-up, which costs milliseconds per command; ``relu --help`` and completion
    still see them all."""
    if "_RELU_COMPLETE" in os.environ:
        return build_app()
    if argv and argv[0] in COMMANDS:
        return build_app([argv[0]])
    if not argv or argv[0] in ("--help", "-h"):
        # The top-level help lists names and one-line summaries only: register
        # parameterless stand-ins carrying the same help text (never run).
        listing = typer.Typer(**APP_SETTINGS)
        listing.callback()(_root)
        for name in COMMANDS:
            function, options = load(name)

            def stand_in() -> None:  # pragma: no cover - help only
                raise UsageError("internal: a help stand-in was run")

            stand_in.__doc__ = function.__doc__
            listing.command(name, **options)(stand_in)
        return listing
    return build_app()


# --------------------------------------------------------------------------------------
# Entry point: one-line errors, exit codes 0 ok / 1 failure / 2 usage / 130 Ctrl-C


def main(argv: list[str] | None = None) -> None:
    """Run ``relu``; every failure becomes one ``relu: error: ...`` line on stderr and
    an exit status (:class:`relucli.exits.ExitStatus`)."""
    if argv is None:
        argv = sys.argv[1:]
    exits.install_signal_handlers()
    exits.stand_in_for_closed_streams()
    if _asks_for_help(argv):
        _defer_markdown()
        if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
            _plain_help()
    _escape_what_cannot_be_encoded()
    DEBUG["on"] = bool(os.environ.get("RELU_DEBUG"))
    try:
        code = _program(argv)
        if code == ExitStatus.INTERRUPTED:
            raise KeyboardInterrupt
        sys.stdout.flush()
    except (BrokenPipeError, ReaderWentAway):
        _silence_broken_pipe()
    except KeyboardInterrupt:
        exits.stop()
    except Exception as exc:
        _end_with_error(exc, argv)
    if isinstance(code, int) and code:
        sys.exit(code)


def _program(argv: list[str]):
    """Parse ``argv`` and run the one command it names; its exit code."""
    import warnings

    command = typer.main.get_command(app_for([a for a in argv if a != "--debug"]))
    if _asks_for_help(argv):
        _name_long_choices(command)
    with warnings.catch_warnings():
        # A library warning (NumPy's "overflow encountered", say) becomes one line.
        warnings.showwarning = _warning_line
        return command.main(args=argv, prog_name="relu", standalone_mode=False)


def _end_with_error(exc: Exception, argv: Sequence[str] = ()) -> NoReturn:
    """Exit with the one line and the status that ``exc`` calls for."""
    if type(exc).__name__ == "NoArgsIsHelpError":
        # `relu` or `relu eval` alone: typer has printed the help; nothing to add
        message = exc.format_message().strip()
        if message:
            try:
                print(message, file=sys.stderr)
            except OSError:  # a closed stderr: the status alone tells
                pass
        sys.exit(exc.exit_code)
    if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
        # typer's own usage errors (click's, vendored in typer >= 0.26)
        exits.fail(_usage_message(exc, argv), exc.exit_code)
    if DEBUG["on"]:
        raise exc
    if isinstance(exc, ReluError):
        exits.fail(str(exc), exc.exit_code)
    if isinstance(exc, MemoryError):
        exits.fail("out of memory; ask for fewer values, units or points", ExitStatus.FAILURE)
    stream_error = exits.stream_error_message(exc) if isinstance(exc, OSError) else None
    if stream_error:
        exits.fail(stream_error, ExitStatus.FAILURE)
    exits.fail(f"unexpected {type(exc).__name__}: {exc} (this is a bug; run with --debug "
               "to see the traceback and please report it)", ExitStatus.FAILURE)


def _asks_for_help(argv: list[str]) -> bool:
    """Whether typer will print help: ``-h``/``--help``, nothing at all, or a command
    that prints its help when given no arguments (``relu eval``). Only then is typer's
    rich help machinery (about 100 ms of imports) worth loading.

    >>> _asks_for_help(["eval"]), _asks_for_help(["table"]), _asks_for_help(["table", "-h"])
    (True, False, True)
    """
    if not argv or "--help" in argv or "-h" in argv:
        return True
    return len(argv) == 1 and argv[0] in COMMANDS and bool(
        load(argv[0])[1].get("no_args_is_help"))


def _defer_markdown() -> None:
    """typer.rich_utils imports rich.markdown, and with it markdown_it (about 35 ms, a
    sixth of ``relu dying-sim --help``), for ``rich_markup_mode="markdown"``, which relu
    does not use. A stand-in module answers that import and loads the real one only if
    a Markdown is ever made."""
    if "rich.markdown" in sys.modules:
        return
    import types

    stand_in = types.ModuleType("rich.markdown")

    class Markdown:  # replaced by rich's own on first use
        def __new__(cls, *args, **kwargs):
            import importlib

            del sys.modules["rich.markdown"]
            return importlib.import_module("rich.markdown").Markdown(*args, **kwargs)

    stand_in.Markdown = Markdown
    sys.modules["rich.markdown"] = stand_in


def _plain_help() -> None:
    """NO_COLOR or TERM=dumb: typer's rich help without escape codes either."""
    try:
        import typer.rich_utils as rich_utils

        rich_utils.COLOR_SYSTEM = None
    except ImportError:  # pragma: no cover - typer without rich
        pass


def _escape_what_cannot_be_encoded() -> None:
    """An output encoding without ∞, ∇, — (PYTHONIOENCODING=ascii, say) gets them as
    \\uXXXX escapes (lossless, and valid inside JSON strings) rather than a
    UnicodeEncodeError; `relu table` spells its symbols in ASCII there itself."""
    for stream in (sys.stdout, sys.stderr):
        try:
            "∞∇—".encode(stream.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            import codecs

            codecs.register_error("relucli-escape", _unicode_escape)
            try:
                stream.reconfigure(errors="relucli-escape")
            except (AttributeError, ValueError):  # not a TextIOWrapper: leave it
                pass
        except AttributeError:
            pass


def _unicode_escape(error: UnicodeEncodeError) -> tuple[str, int]:
    """JSON's escapes: \\uXXXX, and surrogate pairs beyond the BMP."""
    escaped = []
    for char in error.object[error.start:error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


def _warning_line(message, category, filename, lineno, file=None, line=None) -> None:
    exits.say(f"warning: {message}")


def _usage_message(exc, argv: Sequence[str] = ()) -> str:
    message = exc.format_message()
    option = getattr(exc, "option_name", "") or ""
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoSuchOption" and _is_number(option):
        # click reads `relu eval relu -1` as an option named -1 (and names only "-2" of
        # "-2.5e3"): the token as typed, and where a negative number goes
        token = next((a for a in argv if a.startswith(option) and _is_number(a)), option)
        where = (f"give it as -x {token}, -x={token} or in a list (-x {token},0,1)"
                 if ctx is not None and ctx.command_path.endswith(" eval") else
                 "a negative value goes right after its option (--mean -3) or as "
                 "--option=-3")
        message = f"{token} is read as an option, not a number: {where}"
    if ctx is not None and ctx.command_path:
        message += f" (see '{ctx.command_path} --help')"
    return message


#: A choice list longer than this is shown by a name in help's metavar column, the
#: choices in the help text: rich folds a long ``<table|markdown|json|csv>`` mid-word.
LONGEST_CHOICE_METAVAR = 14


def _name_long_choices(command) -> None:
    """Give each option of ``command`` (and its subcommands) with a long list of choices
    a short metavar (``--format FORMAT``), its choices moved into the help text."""
    for sub in getattr(command, "commands", {}).values():
        _name_long_choices(sub)
    for param in command.params:
        choices = getattr(param.type, "choices", None)
        if not choices or param.metavar is not None or not hasattr(param, "help"):
            continue
        names = [str(getattr(c, "value", c)) for c in choices]
        if len("|".join(names)) + 2 <= LONGEST_CHOICE_METAVAR:
            continue
        param.metavar = (param.name or "value").upper().replace("OUTPUT_", "")
        listed = ", ".join(names[:-1]) + " or " + names[-1]
        text = (param.help or "").rstrip()
        cut = text.rfind("\\[") if text.endswith("]") else -1  # a "[default]" stays last
        head, tail = (text[:cut].rstrip(), " " + text[cut:]) if cut >= 0 else (text, "")
        param.help = f"{head} One of {listed}.{tail}".lstrip()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _silence_broken_pipe() -> NoReturn:
    # The reader went away (e.g. `relu eval ... | head`): exit quietly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(0)

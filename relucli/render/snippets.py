"""``relu code``: snippets printed as plain lines of Python, the titles and warnings as
``#`` comments, so that what is copied from the screen or piped into a file runs.

On a colour terminal the code is highlighted, but never boxed, cut or wrapped by us:
a line longer than the terminal is left for the terminal to soft-wrap, and copying it
gives the whole line back."""

from __future__ import annotations


def snippet_lines(variant, snippet) -> list[str]:
    """The title comment, the code, and one comment per warning."""
    return ([f"# {snippet.title}: {variant.display}", snippet.code]
            + [f"# warning: {w}" for w in snippet.warnings])


def print_snippets(out, variant, snippets) -> None:
    """Highlighted on a colour terminal, plain text otherwise; the same lines either way."""
    if not (out.is_terminal and out.color_system is not None):
        out.file.write("\n\n".join("\n".join(snippet_lines(variant, s)) for s in snippets)
                       + "\n")
        return
    from rich.syntax import Syntax

    for number, snippet in enumerate(snippets):
        if number:
            out.print()
        text = "\n".join(snippet_lines(variant, snippet))
        highlighted = Syntax(text, "python", theme="ansi_dark",
                             background_color="default").highlight(text)
        highlighted.rstrip()
        out.print(highlighted, soft_wrap=True)

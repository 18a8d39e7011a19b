"""``relu code``: the snippets, highlighted on a colour terminal, else as plain Python."""

from __future__ import annotations


def print_snippets(out, variant, snippets) -> None:
    """Highlighted code on a colour terminal; plain Python text (with # comments for the
    titles and warnings) otherwise, so that it can be piped straight into a file."""
    if out.is_terminal and out.color_system is not None:
        from rich.panel import Panel
        from rich.syntax import Syntax
        from rich.text import Text

        for snippet in snippets:
            out.print(Panel(Syntax(snippet.code, "python", theme="ansi_dark",
                                   background_color="default"),
                            title=Text(f"{snippet.title}: {variant.display}", style="bold"),
                            title_align="left", expand=False))
            for warning in snippet.warnings:
                out.print(Text(f"  ⚠ {warning}", style="yellow"))
            out.print()
        return
    blocks = []
    for snippet in snippets:
        lines = [f"# {snippet.title}: {variant.display}", snippet.code]
        lines += [f"# warning: {w}" for w in snippet.warnings]
        blocks.append("\n".join(lines))
    out.file.write("\n\n".join(blocks) + "\n")

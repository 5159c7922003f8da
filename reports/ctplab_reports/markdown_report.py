"""The Markdown report, with its figures as PNG files next to it."""
from __future__ import annotations

import os

from .content import Code, Figures, Report, Table
from .plots import Plot


def _cell(text: str, code: bool = False) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return f"`{text}`" if code and text else text


def _table(t: Table) -> list[str]:
    codes = [h.startswith("command") or h == "path" for h in t.header]
    lines = ["| " + " | ".join(_cell(h) for h in t.header) + " |",
             "|" + "|".join(" --- " for _ in t.header) + "|"]
    for row in t.rows:
        lines.append("| " + " | ".join(_cell(c, code) for c, code in zip(row, codes)) + " |")
    return lines


def render(report: Report, plots: list[Plot]) -> str:
    """The report as Markdown; figures are referenced by their file names."""
    out = [f"# {report.title}", "", report.subtitle, ""]
    for section in report.sections:
        out += [f"## {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, Table):
                out += _table(block) + [""]
            elif isinstance(block, Code):
                fence = "````" if "```" in block.text else "```"
                out += [fence + block.language, block.text.rstrip("\n"), fence, ""]
            elif isinstance(block, Figures):
                for plot in plots:
                    out += [f"![{plot.title}]({plot.name})", "", f"*{plot.title}.* {plot.caption}",
                            ""]
                if not plots:
                    out += ["No plots.", ""]
            else:
                out += [block, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def write(report: Report, plots: list[Plot], path: str) -> list[str]:
    """Write the Markdown report and its PNG files; returns the paths written."""
    directory = os.path.dirname(os.path.abspath(path))
    written = []
    for plot in plots:
        png = os.path.join(directory, plot.name)
        with open(png, "wb") as fh:
            fh.write(plot.png)
        written.append(png)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render(report, plots))
    written.append(path)
    return written

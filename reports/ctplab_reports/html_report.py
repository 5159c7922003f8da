"""The HTML report: one self-contained file (inline CSS, figures as base64 PNG data URIs,
no scripts, no external links)."""
from __future__ import annotations

import base64
import html

from .content import Code, Figures, Report, Table
from .plots import Plot

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:72em;
padding:0 1em;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;
border-bottom:1px solid #ddd;padding-bottom:.2em}
.subtitle{color:#555;margin-top:0}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td code{font-size:.92em}
pre{background:#f6f6f6;border:1px solid #ddd;padding:.8em;overflow-x:auto;font-size:.85em}
figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#444;font-size:.9em}
"""


def _table(t: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in t.header)
    body = []
    for row in t.rows:
        cells = []
        for h, cell in zip(t.header, row):
            text = html.escape(cell)
            cells.append(f"<td><code>{text}</code></td>" if h.startswith("command") or
                         h == "path" else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(plot: Plot) -> str:
    data = base64.b64encode(plot.png).decode("ascii")
    return (f'<figure><img alt="{html.escape(plot.title)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{html.escape(plot.title)}. {html.escape(plot.caption)}"
            "</figcaption></figure>")


def render(report: Report, plots: list[Plot]) -> str:
    """The report as one HTML document."""
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{html.escape(report.title)}</title><style>{CSS}</style></head><body>",
           f"<h1>{html.escape(report.title)}</h1>",
           f'<p class="subtitle">{html.escape(report.subtitle)}</p>']
    for section in report.sections:
        out.append(f"<h2>{html.escape(section.title)}</h2>")
        for block in section.blocks:
            if isinstance(block, Table):
                out.append(_table(block))
            elif isinstance(block, Code):
                out.append(f"<pre><code>{html.escape(block.text)}</code></pre>")
            elif isinstance(block, Figures):
                out.extend(_figure(p) for p in plots)
                if not plots:
                    out.append("<p>No plots.</p>")
            else:
                out.append(f"<p>{html.escape(block)}</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def write(report: Report, plots: list[Plot], path: str) -> str:
    """Write the HTML report to ``path``; returns the path."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render(report, plots))
    return path

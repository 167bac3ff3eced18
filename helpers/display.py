"""Text that JupyterLab renders as Markdown."""

import html
import re

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)


def shown_as_text(markdown):
    """Markdown whose HTML outside code spans shows as text instead of becoming elements.

    A check's message quotes what a learner's app answered, and that may be HTML (a link, an
    ``<img onerror=...>`` from the XSS lab). JupyterLab sanitises Markdown, but a handout
    printed by nbconvert would make it live; escaped, it reads the same in both.
    """
    parts, last = [], 0
    for match in _CODE_SPAN.finditer(markdown):
        parts.append(html.escape(markdown[last:match.start()], quote=False))
        parts.append(match[0])
        last = match.end()
    parts.append(html.escape(markdown[last:], quote=False))
    return "".join(parts)


class Markdown(str):
    """Text that JupyterLab renders as Markdown and a terminal prints as it is."""

    def __repr__(self):
        return str(self)

    def _repr_markdown_(self):
        return str(self)

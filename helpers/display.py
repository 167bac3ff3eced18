"""Text that JupyterLab renders as Markdown."""


class Markdown(str):
    """Text that JupyterLab renders as Markdown and a terminal prints as it is."""

    def __repr__(self):
        return str(self)

    def _repr_markdown_(self):
        return str(self)

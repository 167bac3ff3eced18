"""Links that open a background server's app in a browser tab, locally and on Binder."""

import html
import os

from IPython.display import HTML


def app_url(server, path="/"):
    """The URL a browser should open: direct locally, through jupyter-server-proxy on a hub."""
    path = "/" + path.lstrip("/")
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX")
    if prefix is None:
        return f"{server.url}{path}"
    # The absolute route forwards the whole path; the server moves the prefix
    # into SCRIPT_NAME so that url_for links and redirects keep it.
    return f"{prefix.rstrip('/')}/proxy/absolute/{server.port}{path}"


def link(server, path="/", text=None):
    """An HTML link that opens ``path`` of the running app in a new browser tab."""
    url = app_url(server, path)
    label = html.escape(text or url)
    return HTML(f'<a href="{html.escape(url)}" target="_blank" rel="noopener">{label}</a>')


def frame(server, path="/", width="100%", height=300):
    """The running app shown inside the notebook's output, with a link to open it in a tab."""
    url = html.escape(app_url(server, path))
    return HTML(
        f'<iframe src="{url}" width="{width}" height="{height}" style="border:1px solid #ccc"></iframe>'
        f'<div><a href="{url}" target="_blank" rel="noopener">open {url} in a new tab</a></div>'
    )

"""Links that open a background server's app in a browser tab, locally and on Binder."""

import html
import os
from urllib.parse import unquote


def proxy_path(port):
    """The path jupyter-server-proxy gives ``port`` on a hub, or None when there is no hub.

    The hub names the user's prefix in ``JUPYTERHUB_SERVICE_PREFIX`` (e.g. ``/user/ada/``);
    the absolute route adds ``proxy/absolute/PORT`` and forwards the whole path to the app.
    """
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX")
    if prefix is None:
        return None
    return f"{prefix.rstrip('/')}/proxy/absolute/{port}"


def app_url(server, path="/"):
    """The URL a browser should open: direct locally, through jupyter-server-proxy on a hub."""
    path = "/" + path.lstrip("/")
    prefix = proxy_path(server.port)
    if prefix is None:
        return f"{server.url}{path}"
    # The server moves this prefix into SCRIPT_NAME (see ProxyPrefix), so that
    # url_for links and redirects keep it.
    return f"{prefix}{path}"


class ProxyPrefix:
    """WSGI middleware: move the hub's exact proxy prefix from ``PATH_INFO`` into ``SCRIPT_NAME``.

    Only the prefix :func:`proxy_path` gives is moved, and only at a segment boundary. Any
    other path, such as ``/%5Cevil.example/proxy/absolute/PORT/login``, reaches the app
    unchanged, so a request cannot choose what ``url_for`` puts in front of its links.

    :param app: the WSGI application to call.
    :param port: the port the app is served on; the prefix names it.
    """

    def __init__(self, app, port):
        self.app = app
        self.port = port

    def __call__(self, environ, start_response):
        prefix = proxy_path(self.port)
        if prefix is not None:
            # Compare with PATH_INFO in the form a WSGI server gives it: percent-decoded,
            # then UTF-8 bytes read as Latin-1 (PEP 3333).
            prefix = unquote(prefix).encode("utf-8").decode("latin-1")
            path = environ.get("PATH_INFO", "")
            if path == prefix or path.startswith(prefix + "/"):
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                environ["PATH_INFO"] = path[len(prefix):] or "/"
        return self.app(environ, start_response)


def link(server, path="/", text=None):
    """An HTML link that opens ``path`` of the running app in a new browser tab."""
    url = app_url(server, path)
    label = html.escape(text or url)
    from IPython.display import HTML  # here: a script that imports helpers, such as a test run, never loads IPython

    return HTML(f'<a href="{html.escape(url)}" target="_blank" rel="noopener">{label}</a>')


def frame(server, path="/", width="100%", height=300):
    """The running app shown inside the notebook's output, with a link to open it in a tab."""
    url = html.escape(app_url(server, path))
    from IPython.display import HTML

    return HTML(
        f'<iframe src="{url}" width="{width}" height="{height}" style="border:1px solid #ccc"></iframe>'
        f'<div><a href="{url}" target="_blank" rel="noopener">open {url} in a new tab</a></div>'
    )

"""Helpers for the Flask course: everything a notebook uses but does not teach.

serve(app, name=None, port=0) -> Server   run a WSGI app on 127.0.0.1 in a background thread
    Server: .url .port .log .running .stop(), usable as a context manager
stop_all() / servers()                    stop every server / the running ones by name
link(server, path) / frame(server, path)  open the app in a browser tab / inside the notebook
app_url(server, path)                     the URL a browser should use (direct, or via the proxy)
raw(response)                             the HTTP text of a requests or test-client exchange
scratch(name)                             a fresh folder for files a chapter writes (ignored by git)
check(id, *answer) / hint(id) / solution(id)   exercises
"""

from .exercises import check, hint, solution
from .http import raw
from .links import app_url, frame, link
from .scratch import scratch
from .server import Server, serve, servers, stop_all

__all__ = [
    "Server",
    "app_url",
    "check",
    "frame",
    "hint",
    "link",
    "raw",
    "scratch",
    "serve",
    "servers",
    "solution",
    "stop_all",
]

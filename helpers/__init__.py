"""Helpers for the Flask course: everything a notebook uses but does not teach.

serve(app, name=None, port=0) -> Server   run a WSGI app on 127.0.0.1 in a background thread
    Server: .url .port .log .running .stop(), usable as a context manager
stop_all() / servers()                    stop every server / the running ones by name
link(server, path) / frame(server, path)  open the app in a browser tab / inside the notebook
app_url(server, path)                     the URL a browser should use (direct, or via the proxy)
raw(response)                             the HTTP text of a requests or test-client exchange
scratch(name)                             a fresh folder for files a chapter writes (ignored by git)
check(id, *answer) / hint(id) / solution(id)   exercises ("2.1"): what the check saw, nudges, an answer
predict(id, guess) / reveal(id, actual)   predictions ("2.a"): write a guess, then see it beside what happened
progress() / load_progress(path)          your record (passes, predictions) in my-work/; merge a saved copy
versions()                                the course's libraries: installed against tested
unix_only(tool)                           True where a Unix-only tool (Gunicorn) runs; else says why, and False
"""

from .exercises import check, hint, load_progress, predict, progress, reveal, solution
from .http import raw
from .links import app_url, frame, link
from .scratch import scratch
from .server import Server, serve, servers, stop_all
from .installed import unix_only, versions

__all__ = [
    "Server",
    "app_url",
    "check",
    "frame",
    "hint",
    "link",
    "load_progress",
    "predict",
    "progress",
    "raw",
    "reveal",
    "scratch",
    "serve",
    "servers",
    "solution",
    "stop_all",
    "unix_only",
    "versions",
]

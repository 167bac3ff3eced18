"""Keep an app's cookies to its own proxied path when it is opened through a JupyterHub.

Every learner's app on a hub is served from the hub's one domain, under a path such as
``/user/ada/proxy/absolute/5000``. Flask and Werkzeug set cookies with ``Path=/``, so a browser
would send one app's session cookie to every app on the hub, another learner's included, and
two of one learner's apps would overwrite each other's ``session`` cookie. This middleware
rewrites the ``Path`` of each ``Set-Cookie`` header under the prefix that the proxy route put
into ``SCRIPT_NAME``. Requests that do not come through the proxy (``requests`` and the test
client in a notebook) have no such prefix and are left exactly as Flask answers them.

It is kept apart from :mod:`helpers.server` (which only wraps the app with it) so that changes
to how the proxy prefix is recognised and to how cookies are scoped do not touch each other.
"""

import re

_PATH = re.compile(r"(;\s*path=)([^;]*)", re.IGNORECASE)


def scoped_cookie(header, prefix):
    """A ``Set-Cookie`` value whose ``Path`` is moved under ``prefix`` (no trailing slash)."""

    def under_prefix(match):
        path = match[2].strip()
        if not path.startswith("/"):
            return match[0]  # not a path a browser would use; leave it alone
        return f"{match[1]}{prefix}{'' if path == '/' else path}"

    return _PATH.sub(under_prefix, header, count=1)


class ScopedCookies:
    """WSGI middleware: cookies set under a ``SCRIPT_NAME`` prefix stay under that prefix.

    :param app: the WSGI application whose ``Set-Cookie`` headers are rewritten.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        # Read the prefix now: an app that mounts others (DispatcherMiddleware) extends it later.
        prefix = environ.get("SCRIPT_NAME", "").rstrip("/")
        if not prefix:
            return self.app(environ, start_response)

        def scoped_start_response(status, headers, exc_info=None):
            headers = [
                (name, scoped_cookie(value, prefix) if name.lower() == "set-cookie" else value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.app(environ, scoped_start_response)

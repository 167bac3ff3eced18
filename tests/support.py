"""What several test modules share that is not a fixture: a small app, and an exercise run as a notebook runs it.

Import it as ``from tests.support import ...``; test modules never import each other.
"""

from flask import Flask, redirect, render_template_string, url_for


def make_app(name="test-app", greeting="hello"):
    """A small app with a link made by url_for, a redirect and a failing view."""
    app = Flask(name)

    @app.get("/")
    def index():
        return render_template_string('<a href="{{ url_for(\'target\') }}">go</a> {{ greeting }}', greeting=greeting)

    @app.get("/go")
    def go():
        return redirect(url_for("target"))

    @app.get("/target")
    def target():
        return "target page"

    @app.get("/boom")
    def boom():
        raise ZeroDivisionError("boom in a view")

    return app


def run_exercise(ex, code):
    """Run the exercise's set-up and then ``code`` as a notebook would; return the check's arguments."""
    namespace = {"__name__": "__main__"}
    exec(compile(f"{ex.setup}\n{code}", f"<exercise {ex.id}>", "exec"), namespace)
    return eval(f"({ex.args},)", namespace) if ex.args else ()

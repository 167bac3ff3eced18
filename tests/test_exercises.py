"""Every exercise's check rejects its starting code and accepts its solution."""

import re
from pathlib import Path

import pytest

from helpers.exercises import Result, Wrong, chapter_exercises, check, get, hint, solution

import helpers.exercises
from tests.support import run_exercise

CHAPTERS = sorted(int(p.stem[2:]) for p in Path(helpers.exercises.__file__).parent.glob("ch[0-9][0-9].py"))
EXERCISES = [ex for chapter in CHAPTERS for ex in chapter_exercises(chapter)]


def ids(ex):
    return f"ch{int(ex.id.split('.')[0]):02d}-{ex.id}"


@pytest.mark.parametrize("ex", EXERCISES, ids=ids)
def test_check_rejects_the_starter(ex):
    with pytest.raises(Wrong) as wrong:
        check(ex.id, *run_exercise(ex, ex.starter), strict=True)
    assert str(wrong.value), "a rejection must say what is wrong"


@pytest.mark.parametrize("ex", EXERCISES, ids=ids)
def test_check_accepts_the_solution(ex):
    result = check(ex.id, *run_exercise(ex, ex.solution), strict=True)
    assert result.passed


@pytest.mark.parametrize("ex", EXERCISES, ids=ids)
def test_learner_mode_shows_a_hint_instead_of_raising(ex):
    result = check(ex.id, *run_exercise(ex, ex.starter))
    assert isinstance(result, Result) and not result.passed
    assert f'hint("{ex.id}")' in result.message


@pytest.mark.parametrize("ex", EXERCISES, ids=ids)
def test_every_exercise_is_complete(ex):
    assert ex.title and ex.task and ex.starter and ex.solution
    assert ex.hints, "every exercise needs at least one hint"
    assert ex.starter != ex.solution


def test_there_are_at_least_two_exercises_per_chapter():
    for chapter in CHAPTERS:
        assert len(chapter_exercises(chapter)) >= 2, f"chapter {chapter}"


def test_an_exception_in_the_answer_is_reported_in_learner_mode_and_raised_when_strict():
    class Exploding:
        def test_client(self):
            raise ZeroDivisionError("from the learner's code")

    result = check("1.1", Exploding())
    assert not result.passed and "ZeroDivisionError: from the learner's code" in result.message
    with pytest.raises(ZeroDivisionError):
        check("1.1", Exploding(), strict=True)


def test_strict_mode_can_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT", "1")
    with pytest.raises(Wrong):
        check("1.3", run_exercise(get("1.3"), get("1.3").starter)[0])


def test_hints_come_one_at_a_time_then_point_to_the_solution():
    ex = get("1.1")
    shown = [hint("1.1") for _ in range(len(ex.hints) + 1)]
    for number, text in enumerate(shown[:-1], start=1):
        assert f"Hint {number} of {len(ex.hints)}" in text
    assert 'solution("1.1")' in shown[-1]
    assert ex.solution in solution("1.1")


def test_unknown_exercise_is_a_clear_error():
    with pytest.raises(KeyError, match="no exercise '9.99'"):
        check("9.99")


def test_result_renders_as_markdown():
    assert re.match(r"✅ \*\*Passed\*\*", Result("1.1", True, "well done.")._repr_markdown_())


def test_after_the_last_hint_every_hint_is_shown_again():
    ex = get("1.2")
    for _ in range(len(ex.hints) + 1):
        last = hint("1.2")
    assert all(text in last for text in ex.hints)


GENERATOR_APP = '''
def hello_wsgi(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    yield b"Hello from WSGI"
'''

# Plausible wrong answers and the words their hint must contain.
MISTAKES = [
    ("1.1", '@about_app.route("/about/")\ndef about():\n    return "Flask is a micro framework"', "trailing slash"),
    ("1.1", '@about_app.route("/about")\ndef about():\n    return None', "traceback"),
    ("1.2", 'def hello_wsgi(environ, start_response):\n    start_response("200 OK", [])\n    return b"x"', "list holding"),
    ("1.2", 'def hello_wsgi(environ, start_response):\n    start_response("200 OK", {"Content-Type": "text/plain"})\n    return [b"Hello from WSGI"]', "list of `(name, value)` tuples"),
    ("1.2", 'def hello_wsgi(environ, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])', "returned `None`"),
    ("1.3", '@json_app.route("/api/framwork")\ndef framework():\n    return {}', "check the path"),
    ("1.3", '@json_app.route("/api/framework")\ndef framework():\n    return {"name": "Flask", "micro": "true"}', "boolean"),
]


@pytest.mark.parametrize(("id", "code", "words"), MISTAKES)
def test_plausible_mistakes_get_a_specific_hint(id, code, words):
    ex = get(id)
    app_name = ex.args
    prelude = f"from flask import Flask\n{app_name} = Flask(__name__)\n" if id != "1.2" else ""
    with pytest.raises(Wrong, match=re.escape(words)):
        check(id, *run_exercise(ex, prelude + code), strict=True)


def test_a_generator_wsgi_app_is_accepted():
    assert check("1.2", *run_exercise(get("1.2"), GENERATOR_APP), strict=True)

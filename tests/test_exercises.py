"""Every exercise's check refuses the starter and every listed wrong answer, and accepts every right one."""

import random
import re
import string
import time

import pytest

from helpers.exercises import KINDS, Result, Wrong, all_exercises, chapter_exercises, check, get, hint, solution
from helpers.exercises.probe import BODY_LIMIT, SHORTEST_KEY, ask, short, weak_key
from helpers.exercises.source import MarkerError, split

EXERCISES = all_exercises()
CHAPTERS = sorted({int(ex.id.split(".")[0]) for ex in EXERCISES})


def ids(ex):
    return f"ch{int(ex.id.split('.')[0]):02d}-{ex.id}"


def listed(which):
    return [pytest.param(ex, code, words, id=f"{ids(ex)}-{which}{n}")
            for ex in EXERCISES for n, (code, words) in enumerate(ex.answers(which), start=1)]


@pytest.mark.parametrize("ex", EXERCISES, ids=ids)
def test_check_rejects_the_starter(ex):
    with pytest.raises(Wrong) as wrong:
        check(ex.id, *ex.run(ex.starter), strict=True)
    assert str(wrong.value), "a rejection must say what is wrong"


@pytest.mark.parametrize("ex", EXERCISES, ids=ids)
def test_check_accepts_the_solution(ex):
    result = check(ex.id, *ex.run(ex.solution))
    assert result.passed, result.message
    assert result.message.startswith("the check tried "), "a pass says in one line what was tried"


@pytest.mark.parametrize(("ex", "code", "words"), listed("right"))
def test_check_accepts_a_right_answer_written_differently(ex, code, words):
    result = check(ex.id, *ex.run(code))
    assert result.passed, result.message


@pytest.mark.parametrize(("ex", "code", "words"), listed("wrong") + listed("insecure"))
def test_check_refuses_a_listed_mistake_and_names_it(ex, code, words):
    with pytest.raises(Wrong) as wrong:
        check(ex.id, *ex.run(code), strict=True)
    assert words.lower() in str(wrong.value).lower(), f"the message should say {words!r}"


@pytest.mark.parametrize("ex", EXERCISES, ids=ids)
def test_learner_mode_shows_what_it_saw_and_offers_a_hint(ex):
    result = check(ex.id, *ex.run(ex.starter))
    assert isinstance(result, Result) and not result.passed
    assert f'hint("{ex.id}")' in result.message


@pytest.mark.parametrize("ex", EXERCISES, ids=ids)
def test_every_exercise_is_complete_and_written_once(ex):
    assert ex.title and ex.task and ex.hints and ex.kind in KINDS
    starter, answer = split(ex.source)
    assert starter != answer and (starter, answer) == (ex.starter, ex.solution)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_asks_the_learner_to_make_something_and_lists_answers(chapter):
    exercises = chapter_exercises(chapter)
    assert len(exercises) >= 2
    assert any(ex.kind == "make" for ex in exercises), "at least one exercise with no cell to copy"
    for ex in exercises:
        assert ex.wrong or ex.insecure, f"{ex.id} lists no wrong answer"
        assert ex.right, f"{ex.id} lists no right answer written differently"


def test_an_exception_in_the_answer_is_reported_in_learner_mode_and_raised_when_strict():
    class Exploding:
        @property
        def running(self):
            raise ZeroDivisionError("from the learner's code")

    result = check("0.1", "a page", Exploding())
    assert not result.passed and "ZeroDivisionError: from the learner's code" in result.message
    with pytest.raises(ZeroDivisionError):
        check("0.1", "a page", Exploding(), strict=True)


def test_strict_mode_can_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT", "1")
    with pytest.raises(Wrong):
        check("1.3", *get("1.3").run(get("1.3").starter))


def test_hints_come_one_at_a_time_then_point_to_the_solution():
    ex = get("1.1")
    shown = [hint("1.1") for _ in range(len(ex.hints) + 1)]
    for number, text in enumerate(shown[:-1], start=1):
        assert f"Hint {number} of {len(ex.hints)}" in text
    assert 'solution("1.1")' in shown[-1]
    assert ex.solution in solution("1.1") and "### BEGIN" not in solution("1.1")


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


def test_a_marked_source_gives_the_starter_and_the_solution():
    source = "a = 1\n    ### BEGIN SOLUTION\n    b = 2\n    ### STARTER\n    b = 0\n    ### END SOLUTION\n### BEGIN SOLUTION\nc = 3\n### END SOLUTION"
    assert split(source) == ("a = 1\n    b = 0\n...  # your code here", "a = 1\n    b = 2\nc = 3")


@pytest.mark.parametrize("source", ["a = 1", "### BEGIN SOLUTION\nb", "### STARTER\n", "### END SOLUTION",
                                    "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION"])
def test_unbalanced_markers_are_refused(source):
    with pytest.raises(MarkerError):
        split(source)


def test_a_check_stops_reading_an_endless_body():
    from flask import Flask

    endless = Flask("endless")

    @endless.get("/")
    def forever():
        def chunks():
            while True:
                yield b"x" * 65536

        return chunks()

    started = time.monotonic()
    with pytest.raises(Wrong, match=f"more than {BODY_LIMIT:,} bytes"):
        ask(endless, "GET", "/")
    assert time.monotonic() - started < 5


def test_a_crash_in_a_view_is_reported_as_what_a_visitor_would_get():
    from flask import Flask

    broken = Flask("broken")

    @broken.get("/")
    def index():
        return 1 / 0

    with pytest.raises(Wrong, match=r"`GET /` crashed in your code with `ZeroDivisionError.*500"):
        ask(broken, "GET", "/")


def test_a_check_can_keep_one_client_and_its_cookies():
    from flask import Flask, session

    counter = Flask("counter")
    counter.secret_key = "a key for this test only"

    @counter.get("/count")
    def count():
        session["visits"] = session.get("visits", 0) + 1
        return str(session["visits"])

    kept = counter.test_client()
    assert [ask(counter, "GET", "/count", client=kept).get_data(as_text=True) for _ in range(2)] == ["1", "2"]
    assert ask(counter, "GET", "/count").get_data(as_text=True) == "1", "without a client, every request starts afresh"


def test_a_long_value_in_a_message_is_cut_inside_its_quotes():
    page = b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>"
    assert short(page, 40).endswith("\u2026'") and len(short(page, 40)) <= 40
    assert short("x" * 100, 20) == "'" + "x" * 17 + "\u2026'"
    assert short("short", 20) == "'short'"
    assert short(list(range(100)), 12) == "[0, 1, 2, 3\u2026"


def test_a_message_shows_a_page_cut_short_with_its_quote_closed():
    wrong = get("1.4").answers("wrong")[0][0]
    with pytest.raises(Wrong) as refused:
        check("1.4", *get("1.4").run(wrong), strict=True)
    assert re.search(r"b'<!doctype html>.*\u2026'\)", str(refused.value)), str(refused.value)


@pytest.mark.parametrize("key", ["", None, 12345, "dev", b"secret", " Changeme ", "x" * 31, b"\x01" * 15,
                                 "my-super-secret-key-for-the-notes-app", "Please-Change-This-Key-In-Production!",
                                 b"a long random secret kept out of the code", "0123456789abcdef0123456789abcdef",
                                 "ab" * 20, b"\x00" * 32])
def test_the_judge_of_keys_refuses_what_it_can_see(key):
    assert weak_key(key), f"{key!r} passed as a key nobody can guess"


def test_the_judge_of_keys_accepts_random_keys_of_every_shape_secrets_makes():
    """Keys shaped as secrets.token_hex(16 or 32), token_urlsafe(32), token_bytes(16 or 32) make, from a seeded generator."""
    maker = random.Random(1905)
    alphabet = string.ascii_letters + string.digits + "-_"
    for _ in range(2000):
        keys = [maker.randbytes(16).hex(), maker.randbytes(32).hex(), maker.randbytes(16), maker.randbytes(32),
                "".join(maker.choice(alphabet) for _ in range(43))]
        for key in keys:
            assert weak_key(key) is None, f"a random key {key!r} was refused: {weak_key(key)}"


def test_the_capstone_and_the_checks_refuse_keys_by_one_length():
    """11.6's task says the capstone refuses its key by the same rule as the exercises' judge."""
    from noteboard import SHORTEST_SECRET_KEY

    assert SHORTEST_SECRET_KEY == SHORTEST_KEY["characters"]


def test_a_base64_request_id_keeps_its_dashes_when_3_5_counts_its_bits():
    """secrets.token_urlsafe(16) holds 128 bits; '-' is one of its 64 characters, not a uuid's separator."""
    from helpers.exercises.ch03 import _random_bits

    assert _random_bits("U62-WLLNl6-aiERVQ0iznQ") == 132  # a token_urlsafe(16) with two dashes, refused before
    assert _random_bits("1b4e28ba-2fa1-11d2-883f-0016d3cca427") == _random_bits("1b4e28ba2fa111d2883f0016d3cca427") == 128
    assert _random_bits("000042") < 122


def test_3_5_counts_hex_ids_as_hex_even_when_one_has_no_letter():
    """uuid4().hex[:6] is all digits one time in sixteen; judged alone it would count 19 bits, not 24."""
    from helpers.exercises.ch03 import _random_bits

    assert _random_bits("689009") == 19
    assert _random_bits("689009", among=["3fa9c1", "000042"]) == 24
    assert _random_bits("689009", among=["000042", "17"]) == 19


def test_the_probes_hold_random_and_the_clock_but_not_secrets():
    """random_repeating restarts `random` (module and own generators), clock_stopped holds datetime too; secrets stays random."""
    import datetime
    import random as module
    import secrets
    import uuid

    from helpers.exercises.probe import clock_stopped, random_repeating

    own, state = module.Random(), module.getstate()
    with random_repeating() as again:
        first = (module.getrandbits(64), own.random(), own.choice("abcdefgh" * 4), secrets.token_hex(8), uuid.uuid4())
        again()
        second = (module.getrandbits(64), own.random(), own.choice("abcdefgh" * 4), secrets.token_hex(8), uuid.uuid4())
    assert first[:3] == second[:3] and first[3] != second[3] and first[4] != second[4]
    assert module.getstate() == state and "random" not in module.Random.__dict__
    namespace = {"now": datetime.datetime, "time": time.time}
    with clock_stopped(namespace):
        before = (namespace["now"].now(), namespace["time"](), datetime.datetime.now())
        time.sleep(0.01)
        after = (namespace["now"].now(), namespace["time"](), datetime.datetime.now())
    assert before == after
    assert namespace == {"now": datetime.datetime, "time": time.time}


def test_the_hash_of_a_count_is_found_in_hex_uuid_and_base64_and_a_random_value_is_not():
    import base64
    import hashlib
    import secrets
    import uuid

    from helpers.exercises.probe import hash_of_a_count

    assert hash_of_a_count(hashlib.sha256(b"41").hexdigest()) == "the sha256 of '41'"
    assert hash_of_a_count(base64.urlsafe_b64encode(hashlib.md5(b"7").digest()).decode().rstrip("=")) == "the md5 of '7'"
    assert "uuid5" in hash_of_a_count(str(uuid.uuid5(uuid.NAMESPACE_URL, "3")))
    assert all(hash_of_a_count(value) is None for value in
               [uuid.uuid4().hex, str(uuid.uuid4()), secrets.token_urlsafe(16), secrets.token_hex(), "chosen-by-the-client"])

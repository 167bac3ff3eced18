"""Check messages quote what an app answered; HTML in them shows as text, in JupyterLab and in handouts."""

from nbconvert.filters import markdown2html

from helpers.display import shown_as_text
from helpers.exercises import Result

PAYLOAD = "a guest typed '<img src=x onerror=alert(1)>' and the page holds `<img src=x>`"


def test_html_outside_code_spans_is_escaped_and_code_spans_are_kept():
    assert shown_as_text(PAYLOAD) == "a guest typed '&lt;img src=x onerror=alert(1)&gt;' and the page holds `<img src=x>`"
    assert shown_as_text("**bold** & `a & b`") == "**bold** &amp; `a & b`"


def test_a_check_message_renders_no_element_in_a_handout():
    rendered = markdown2html(Result("11.3", False, PAYLOAD)._repr_markdown_())
    assert "<img" not in rendered, "the payload would run in the handout"
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered and "<code>&lt;img src=x&gt;</code>" in rendered

"""render_markdown: policy Markdown becomes HTML that cannot run script or restyle the page.

What "harmless" means here, checked on the real markup (the tags and attributes a browser
builds), not on the visible text: raw HTML typed into a policy is shown to the reader as
escaped text (so "&lt;a onclick=…&gt;" may appear as words on the page, which is the point),
but no tag outside the allow-list, no on…= or style attribute, and no link whose target is
anything but http, https, mailto or relative ever reaches the browser.
"""

import re
from html.parser import HTMLParser

import pytest
from django.utils.safestring import SafeString
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.markdown import (
    ALLOWED_TAGS,
    MAX_BLOCK_LINES,
    MAX_CHARS,
    MAX_SQUARE_BRACKETS,
    markdown_input_problem,
    render_markdown,
)

# (name, Markdown source). Raw HTML, Markdown link syntax and the awkward spellings of
# javascript: that browsers still accept.
XSS_VECTORS: list[tuple[str, str]] = [
    ("script tag", "<script>alert(1)</script>"),
    ("script tag mid-paragraph", "Phones are fine <script>alert(1)</script> in the lounge."),
    ("script tag as an html block", "<div>\n<script>alert(1)</script>\n</div>"),
    ("img onerror", "<img src=x onerror=alert(1)>"),
    ("svg onload", "<svg onload=alert(1)>"),
    ("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    ("style tag", "<style>body { display: none }</style>"),
    ("style attribute", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("markdown javascript link", "[x](javascript:alert(1))"),
    ("mixed-case javascript link", "[x](JaVaScRiPt:alert(1))"),
    ("entity-encoded colon", "[x](javascript&#58;alert(1))"),
    ("hex entity colon", "[x](javascript&#x3A;alert(1))"),
    ("entity-encoded letter", "[x](&#106;avascript:alert(1))"),
    ("entity-encoded parentheses", "[x](javascript:alert&#40;1&#41;)"),
    ("leading space in link", "[x]( javascript:alert(1))"),
    ("angle-bracket link target", "[x](<javascript:alert(1)>)"),
    ("tab inside the scheme", "[x](java\tscript:alert(1))"),
    ("data url link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("vbscript link", "[x](vbscript:msgbox(1))"),
    ("reference-style link", "[x][evil]\n\n[evil]: javascript:alert(1)"),
    ("reference-style link with title", '[x][evil]\n\n[evil]: javascript:alert(1) "Title"'),
    ("autolink", "<javascript:alert(1)>"),
    ("html comment", "<!-- <script>alert(1)</script> --> visible"),
    ("raw anchor with spaced javascript", '<a href=" javascript:alert(1)">x</a>'),
    ("raw anchor with onclick", '<a href="https://example.org" onclick="alert(1)">x</a>'),
    ("onclick smuggled in a link title", '[x](https://example.org "t" onclick="alert(1)")'),
    ("form", '<form action="https://evil.example"><input name="p"></form>'),
    ("object", '<object data="javascript:alert(1)"></object>'),
    ("embed", '<embed src="javascript:alert(1)">'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base href", '<base href="https://evil.example/">'),
    ("mathml", "<math><mi xlink:href=javascript:alert(1)>x</mi></math>"),
    ("image with javascript", "![x](javascript:alert(1))"),
    ("image tracking pixel", "![x](https://tracker.example/pixel.gif)"),
    ("emphasis around raw html", "**<img src=x onerror=alert(1)>**"),
    ("link text with raw html", "[<img src=x onerror=alert(1)>](https://example.org)"),
    ("blockquote with raw html", "> <script>alert(1)</script>"),
]

# The vectors written with Markdown's own link syntax: nothing of them may survive, not even
# as text.
MARKDOWN_LINK_VECTORS = [
    "markdown javascript link",
    "mixed-case javascript link",
    "entity-encoded colon",
    "hex entity colon",
    "entity-encoded letter",
    "entity-encoded parentheses",
    "leading space in link",
    "angle-bracket link target",
    "data url link",
    "vbscript link",
    "reference-style link",
]

_TAG_START = r"<[a-z][a-z0-9]*(?:\s+[^\s=>\"]+(?:=\"[^\"]*\")?)*"
_EVENT_HANDLER_RE = re.compile(_TAG_START + r"\s+on\w+\s*=", re.IGNORECASE)
_SCRIPT_URL_RE = re.compile(_TAG_START + r"\s+[^\s=>\"]+=\"\s*(?:java|vb)script:", re.IGNORECASE)
_SAFE_SCHEME_RE = re.compile(r"^(?:https?|mailto):", re.IGNORECASE)
_ANY_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)


class _Markup(HTMLParser):
    """The tags and attributes (entity-decoded, as a browser sees them) in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _markup(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def assert_harmless(html: str) -> None:
    assert "<script" not in html.lower()
    # In a real tag (escaped text has &lt;, never "<"): an on…= attribute, or an attribute
    # whose value starts with javascript: (the parser below also sees entity-encoded ones).
    assert not re.search(_EVENT_HANDLER_RE, html), html
    assert not re.search(_SCRIPT_URL_RE, html), html
    parsed = _markup(html)
    assert parsed.comments == []
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, f"disallowed <{tag}> in {html!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name}= on <{tag}> in {html!r}"
            assert name in {"href", "rel", "start"}, f"{name}= on <{tag}> in {html!r}"
            if name == "href":
                # As a browser's URL parser does: strip leading and trailing controls and
                # spaces, drop tabs and newlines anywhere.
                target = re.sub(r"[\t\n\r]", "", value or "")
                target = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", target)
                assert _SAFE_SCHEME_RE.match(target) or not _ANY_SCHEME_RE.match(target), html


@pytest.mark.parametrize(
    "source", [v for _name, v in XSS_VECTORS], ids=[n for n, _v in XSS_VECTORS]
)
def test_a_known_xss_vector_renders_harmless(source: str) -> None:
    assert_harmless(render_markdown(source))


@pytest.mark.parametrize("name", MARKDOWN_LINK_VECTORS)
def test_a_dangerous_markdown_link_keeps_its_text_and_loses_its_target(name: str) -> None:
    html = render_markdown(dict(XSS_VECTORS)[name])

    assert html == '<p><a rel="noopener noreferrer">x</a></p>'
    assert "javascript" not in html.lower()


def test_raw_html_is_shown_as_text_not_markup() -> None:
    html = render_markdown('Talk first. <img src=x onerror=alert(1)> <a onclick="x()">here</a>')

    assert html == (
        "<p>Talk first. &lt;img src=x onerror=alert(1)&gt; "
        '&lt;a onclick="x()"&gt;here&lt;/a&gt;</p>'
    )


def test_an_html_comment_is_shown_as_text_and_hides_nothing() -> None:
    html = render_markdown("<!-- hidden --> visible")

    assert html == "<p>&lt;!-- hidden --&gt; visible</p>"


def test_images_stay_as_the_text_the_author_typed() -> None:
    html = render_markdown("![a chart](https://tracker.example/pixel.gif)")

    assert html == "<p>![a chart](https://tracker.example/pixel.gif)</p>"


def test_a_link_title_cannot_smuggle_an_attribute() -> None:
    html = render_markdown('[x](https://example.org "t" onclick="alert(1)")')

    assert html == '<p><a href="https://example.org" rel="noopener noreferrer">x</a></p>'


def test_headings_lists_emphasis_and_quotes_render_as_expected() -> None:
    source = (
        "# Mobile devices\n\n"
        "## When phones are used\n\n"
        "Youth keep their phones. *Staff* check in **every evening**.\n\n"
        "- Phones charge in the lounge at night\n"
        "- Gaming until 22:00\n\n"
        "1. Talk with your case manager\n"
        "2. Agree a plan together\n\n"
        "> Rules we wrote ourselves are rules we keep.\n"
    )

    assert render_markdown(source) == (
        "<h1>Mobile devices</h1>\n"
        "<h2>When phones are used</h2>\n"
        "<p>Youth keep their phones. <em>Staff</em> check in <strong>every evening</strong>.</p>\n"
        "<ul>\n<li>Phones charge in the lounge at night</li>\n<li>Gaming until 22:00</li>\n</ul>\n"
        "<ol>\n<li>Talk with your case manager</li>\n<li>Agree a plan together</li>\n</ol>\n"
        "<blockquote>\n<p>Rules we wrote ourselves are rules we keep.</p>\n</blockquote>"
    )


def test_safe_links_keep_their_target_and_get_noopener_noreferrer() -> None:
    source = (
        "[Guidance](https://example.org/guide) · [old site](http://example.org) · "
        "[email us](mailto:policy@example.org) · [our plans](/plans/) · <https://example.org/a>"
    )

    assert render_markdown(source) == (
        '<p><a href="https://example.org/guide" rel="noopener noreferrer">Guidance</a> · '
        '<a href="http://example.org" rel="noopener noreferrer">old site</a> · '
        '<a href="mailto:policy@example.org" rel="noopener noreferrer">email us</a> · '
        '<a href="/plans/" rel="noopener noreferrer">our plans</a> · '
        '<a href="https://example.org/a" rel="noopener noreferrer">https://example.org/a</a></p>'
    )


def test_other_schemes_lose_their_target() -> None:
    html = render_markdown("[call](tel:5550100) [file](ftp://example.org/x)")

    assert (
        html == '<p><a rel="noopener noreferrer">call</a> <a rel="noopener noreferrer">file</a></p>'
    )


def test_code_is_escaped_and_kept() -> None:
    html = render_markdown("Type `<b>` to shout.")

    assert html == "<p>Type <code>&lt;b&gt;</code> to shout.</p>"


def test_the_result_is_safe_for_templates_and_empty_text_gives_empty_html() -> None:
    assert isinstance(render_markdown("Hello"), SafeString)
    assert render_markdown("") == ""


_FRAGMENTS = [source for _name, source in XSS_VECTORS] + [
    "<",
    ">",
    "[",
    "](",
    ")",
    '"',
    "'",
    "&#",
    "&#x",
    ";",
    ":",
    "javascript",
    "JAVASCRIPT",
    "java\nscript",
    "on",
    "onerror=",
    " onload=alert(1) ",
    "=",
    "\n\n",
    "\n",
    "    ",
    "*",
    "_",
    "`",
    "#",
    "> ",
    "- ",
    "1. ",
    "\t",
    "\x00",
    "https://",
    "<a href=",
    "<img",
    "<svg",
    "<!--",
    "-->",
    "&lt;",
    "&amp;",
]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map("".join),
        st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=5)), max_size=12).map(
            "".join
        ),
    )
)
def test_no_text_at_all_renders_script_javascript_links_or_event_handlers(source: str) -> None:
    assert_harmless(render_markdown(source))


def test_headings_can_move_down_to_fit_under_the_page_headings() -> None:
    html = render_markdown("# Title\n\n## Part\n\n###### Small", heading_offset=2)

    assert html == "<h3>Title</h3>\n<h4>Part</h4>\n<h6>Small</h6>"


def test_a_heading_offset_outside_0_to_5_is_refused() -> None:
    with pytest.raises(ValueError, match="heading_offset"):
        render_markdown("# Title", heading_offset=6)


def test_deeply_nested_lists_show_their_words_instead_of_failing() -> None:
    source = "- " * 500 + "stay safe <b>online</b>"

    html = render_markdown(source)

    assert html == (
        "<p><em>Shown without formatting. Lists or quotes are nested more than 20 levels deep: "
        "flatten them.</em></p>\n<p>" + "- " * 499 + "- stay safe &lt;b&gt;online&lt;/b&gt;</p>"
    )
    assert markdown_input_problem(source) == (
        "Lists or quotes are nested more than 20 levels deep: flatten them."
    )


def test_deeply_nested_quotes_are_refused_as_input() -> None:
    source = "".join(">" * depth + " x\n" for depth in range(1, 30))

    assert markdown_input_problem(source) == (
        "Lists or quotes are nested more than 20 levels deep: flatten them."
    )
    assert "</em></p>\n<p>&gt; x<br>\n&gt;&gt; x<br>" in render_markdown(source)


def test_thousands_of_square_brackets_are_shown_as_plain_text() -> None:
    # Python-Markdown takes over a minute on 20,000 "[": this must come back at once.
    source = "Intro\n\n" + "[" * 20_000 + "<script>"

    html = render_markdown(source)

    assert html.endswith("</em></p>\n<p>Intro</p>\n<p>" + "[" * 20_000 + "&lt;script&gt;</p>")
    assert markdown_input_problem(source) == (
        f"This text has more than {MAX_SQUARE_BRACKETS} square brackets “[”: "
        "use fewer links or brackets."
    )


def test_too_long_a_text_is_shown_as_plain_paragraphs() -> None:
    source = "*Youth* keep phones.\n" * (MAX_CHARS // 20)

    html = render_markdown(source)

    assert (
        markdown_input_problem(source) == "This text is too long: keep it under 50,000 characters."
    )
    assert html.startswith(
        "<p><em>Shown without formatting. This text is too long: keep it under 50,000 "
        "characters.</em></p>\n<p>*Youth* keep phones.<br>\n*Youth* keep phones.<br>"
    )
    assert html.count("<em>") == 1


def test_a_paragraph_with_too_many_lines_is_refused_as_input() -> None:
    source = "# Rules\n\n" + "- a rule\n" * MAX_BLOCK_LINES

    assert markdown_input_problem(source) == (
        "A paragraph or list runs longer than 150 lines or 10,000 characters: "
        "add blank lines between its parts."
    )
    assert markdown_input_problem("# Rules\n\n" + "- a rule\n" * (MAX_BLOCK_LINES - 1)) is None


def test_blank_lines_typed_in_a_browser_separate_paragraphs() -> None:
    section = "- a rule\r\n" * 100
    source = f"# Rules\r\n\r\n{section}\r\n\r\n{section}"

    assert markdown_input_problem(source) is None
    assert render_markdown(source).count("<li>") == 200


def test_ordinary_policy_text_has_no_input_problem() -> None:
    source = "# Phones\n\nYouth keep phones.\n\n- [Guide](https://example.org)\n  - nested\n"

    assert markdown_input_problem(source) is None


def test_a_recursion_error_inside_markdown_still_shows_the_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Exploding:
        def convert(self, text: str) -> str:
            raise RecursionError

    monkeypatch.setattr("policies.markdown._converter", lambda heading_offset: Exploding())

    assert render_markdown("Keep <b>talking</b>.") == "<p>Keep &lt;b&gt;talking&lt;/b&gt;.</p>"

"""Policy text in Markdown, rendered to HTML that is safe to show staff.

Two layers, so that a gap in one is caught by the other:

1. Python-Markdown with its raw-HTML handling switched off: `<script>`, `<img …>`, comments
   and any other tag typed into a policy come out as visible, escaped text, not markup.
   Images are switched off too (a policy needs none, and a remote image is a tracking pixel):
   `![alt](url)` stays as the plain text the author typed.
2. nh3 (the ammonia sanitiser) on the result: only an allow-list of tags and attributes
   survives, links keep only http, https, mailto or relative targets, and every link gets
   rel="noopener noreferrer".

Python-Markdown recurses once per level of nested list or quote (a few hundred levels raise
RecursionError) and is quadratic in the number of square brackets ("[" repeated 20,000
times takes over a minute). Every staff member opens policy pages, so text past the limits
below is shown as plain escaped paragraphs instead; markdown_input_problem() lets a form
refuse such text with a message before it is saved.
"""

import re
from xml.etree.ElementTree import Element

import markdown as python_markdown
import nh3
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "a",
    }
)
# No "title": it adds nothing for keyboard or screen-reader users, and it is one more
# attribute an attacker could try to smuggle markup into.
# "*" (attributes on any tag) is set empty on purpose: nh3 otherwise allows lang and title
# everywhere.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}, "ol": {"start"}, "*": set()}
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"

# Tags whose content is dropped along with the tag (the rest keep their text).
_DROP_WITH_CONTENT = {"script", "style"}

# Measured: with every limit at its maximum, the slowest text found takes about a second.
MAX_CHARS = 50_000  # a long policy is a few thousand words
MAX_SQUARE_BRACKETS = 200
MAX_NESTING = 20
MAX_BLOCK_LINES = 150  # lines in one paragraph or list with no blank line
MAX_BLOCK_CHARS = 10_000

# Markdown's own passthrough of raw HTML, and images.
_DISABLED_PREPROCESSORS = ("html_block",)
_DISABLED_INLINE_PATTERNS = ("html", "image_link", "image_reference", "short_image_ref")


class _ShiftHeadings(Treeprocessor):
    """Moves every heading down a number of levels (never past h6)."""

    def __init__(self, md: python_markdown.Markdown, offset: int) -> None:
        super().__init__(md)
        self.offset = offset

    def run(self, root: Element) -> None:
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1] in "123456":
                element.tag = f"h{min(6, int(element.tag[1]) + self.offset)}"


def _converter(heading_offset: int) -> python_markdown.Markdown:
    # A fresh converter per call: Markdown instances keep state between conversions
    # (reference links, footnotes) and are not safe to share between threads.
    converter = python_markdown.Markdown(extensions=["sane_lists"], output_format="html")
    for name in _DISABLED_PREPROCESSORS:
        converter.preprocessors.deregister(name)
    for name in _DISABLED_INLINE_PATTERNS:
        converter.inlinePatterns.deregister(name)
    if heading_offset:
        converter.treeprocessors.register(
            _ShiftHeadings(converter, heading_offset), "shift_headings", 5
        )
    return converter


def render_markdown(text: str, *, heading_offset: int = 0) -> SafeString:
    """Markdown (headings, lists, emphasis, links, paragraphs, blockquotes) to sanitised HTML.

    Raw HTML in the input is shown as escaped text; only ALLOWED_TAGS and ALLOWED_ATTRIBUTES
    survive; links only http, https, mailto (and relative); every link gets
    rel="noopener noreferrer".

    heading_offset moves the text's headings down to fit the page around it: with 2, a
    policy's "# Title" becomes <h3> under the page's <h1> and its section's <h2>.
    """
    if not 0 <= heading_offset <= 5:
        raise ValueError("heading_offset must be between 0 and 5")
    text = text or ""
    problem = markdown_input_problem(text)
    if problem:
        # Say why the formatting is gone, so that whoever reads it can get it fixed.
        shown = gettext("Shown without formatting. %(problem)s") % {"problem": problem}
        notice = f"<p><em>{escape(shown)}</em></p>\n"
        return _sanitise(notice + _plain_paragraphs(text))
    try:
        html = _converter(heading_offset).convert(text)
    except RecursionError:
        # Nesting the limits did not foresee: still show the words.
        html = _plain_paragraphs(text)
    return _sanitise(html)


def markdown_input_problem(text: str) -> str | None:
    """Why this text would not be shown as formatted Markdown, in words for a form error;
    None when it will be."""
    # Browsers send a textarea's line breaks as CRLF.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_CHARS:
        return gettext("This text is too long: keep it under %(max)s characters.") % {
            "max": number_format(MAX_CHARS, force_grouping=True)
        }
    if text.count("[") > MAX_SQUARE_BRACKETS:
        return gettext(
            "This text has more than %(max)s square brackets “[”: use fewer links or brackets."
        ) % {"max": MAX_SQUARE_BRACKETS}
    if _nesting_depth(text) > MAX_NESTING:
        return gettext(
            "Lists or quotes are nested more than %(max)s levels deep: flatten them."
        ) % {"max": MAX_NESTING}
    for block in _BLANK_LINE_RE.split(text):
        if block.count("\n") >= MAX_BLOCK_LINES or len(block) > MAX_BLOCK_CHARS:
            return gettext(
                "A paragraph or list runs longer than %(lines)s lines or %(chars)s characters: "
                "add blank lines between its parts."
            ) % {
                "lines": MAX_BLOCK_LINES,
                "chars": number_format(MAX_BLOCK_CHARS, force_grouping=True),
            }
    return None


_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


_LEADING_QUOTES_RE = re.compile(r"[ \t>]*")
_LIST_MARKERS_RE = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+")
_ONE_LIST_MARKER_RE = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+")


def _nesting_depth(text: str) -> int:
    """A generous estimate of the deepest list or quote nesting: quote marks, plus
    indentation in steps of two spaces, plus list markers that open on the same line."""
    deepest = 0
    for line in text.splitlines():
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        lead = _LEADING_QUOTES_RE.match(expanded)
        quotes = lead.group().count(">") if lead else 0
        run = _LIST_MARKERS_RE.match(expanded, lead.end() if lead else 0)
        markers = len(_ONE_LIST_MARKER_RE.findall(run.group())) if run else 0
        deepest = max(deepest, quotes + indent // 2 + markers)
    return deepest


def _plain_paragraphs(text: str) -> str:
    paragraphs = _BLANK_LINE_RE.split(text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(
        "<p>" + escape(p.strip()).replace("\n", "<br>\n") + "</p>" for p in paragraphs if p.strip()
    )


def _sanitise(html: str) -> SafeString:
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # nh3 has just sanitised it against the allow-list.
    return mark_safe(cleaned)  # noqa: S308  # nosec B308 B703

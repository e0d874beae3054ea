"""Policy text in Markdown, rendered to HTML that is safe to show staff.

Two layers, so that a gap in one is caught by the other:

1. Python-Markdown with its raw-HTML handling switched off: `<script>`, `<img …>`, comments
   and any other tag typed into a policy come out as visible, escaped text, not markup.
   Images are switched off too (a policy needs none, and a remote image is a tracking pixel):
   `![alt](url)` stays as the plain text the author typed.
2. nh3 (the ammonia sanitiser) on the result: only an allow-list of tags and attributes
   survives, links keep only http, https, mailto or relative targets, and every link gets
   rel="noopener noreferrer".
"""

from xml.etree.ElementTree import Element

import markdown as python_markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
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
    html = _converter(heading_offset).convert(text or "")
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it against the allow-list

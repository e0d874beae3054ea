"""side_by_side and diff_summary: the version in force against a draft, line by line and
word by word, with every piece of policy text escaped."""

import re
from html import unescape

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.diff import ADDED, CHANGED, EQUAL, REMOVED, DiffRow, diff_summary, side_by_side


def deleted(text: str) -> str:
    return (
        f'<del><span class="visually-hidden">removed: </span>{text}'
        '<span class="visually-hidden"> (end removed)</span></del>'
    )


def inserted(text: str) -> str:
    return (
        f'<ins><span class="visually-hidden">added: </span>{text}'
        '<span class="visually-hidden"> (end added)</span></ins>'
    )


IN_FORCE = (
    "# Mobile devices\n"
    "\n"
    "Youth keep their phones during the day.\n"
    "\n"
    "- Phones charge in the lounge at night.\n"
    "- Staff check in with each youth every evening.\n"
)


def test_equal_texts_give_only_equal_rows() -> None:
    rows = side_by_side(IN_FORCE, IN_FORCE)

    assert rows == [
        DiffRow(EQUAL, "# Mobile devices", "# Mobile devices", 1, 1),
        DiffRow(
            EQUAL,
            "Youth keep their phones during the day.",
            "Youth keep their phones during the day.",
            3,
            3,
        ),
        DiffRow(
            EQUAL,
            "- Phones charge in the lounge at night.",
            "- Phones charge in the lounge at night.",
            5,
            5,
        ),
        DiffRow(
            EQUAL,
            "- Staff check in with each youth every evening.",
            "- Staff check in with each youth every evening.",
            6,
            6,
        ),
    ]
    assert diff_summary(rows) == {ADDED: 0, REMOVED: 0, CHANGED: 0, EQUAL: 4}


def test_line_endings_trailing_spaces_and_blank_lines_are_not_changes() -> None:
    draft = IN_FORCE.replace("\n", "\r\n").replace("day.", "day.   ") + "\n\n\n"

    assert {row.kind for row in side_by_side(IN_FORCE, draft)} == {EQUAL}


def test_a_rewrapped_paragraph_is_no_change_and_a_changed_sentence_shows_once() -> None:
    old = (
        "Access may be paused for a few days at most,\n"
        "after which the youth and their case manager\n"
        "review it together.\n"
    )
    new = (
        "Access may be paused for two days at most, after which\n"
        "the youth and their case manager review it together.\n"
    )

    rows = side_by_side(old, new)

    assert rows == [
        DiffRow(
            CHANGED,
            f"Access may be paused for {deleted('a few')} days at most, after which the youth "
            "and their case manager review it together.",
            f"Access may be paused for {inserted('two')} days at most, after which the youth "
            "and their case manager review it together.",
            1,
            1,
        )
    ]


def test_headings_list_items_and_paragraphs_are_separate_units() -> None:
    text = "# Phones\nYouth keep phones.\nStaff help.\n- One\n  more\n- Two\n---\nEnd."

    rows = side_by_side(text, text)

    assert [(row.old_html, row.old_number) for row in rows] == [
        ("# Phones", 1),
        ("Youth keep phones. Staff help.", 2),
        ("- One more", 4),
        ("- Two", 6),
        ("---", 7),
        ("End.", 8),
    ]


def test_an_added_paragraph_is_one_added_row_with_an_empty_old_side() -> None:
    draft = IN_FORCE + "\nYouth helped write this policy.\n"

    rows = side_by_side(IN_FORCE, draft)

    assert [row.kind for row in rows] == [EQUAL, EQUAL, EQUAL, EQUAL, ADDED]
    assert rows[-1] == DiffRow(ADDED, "", inserted("Youth helped write this policy."), None, 8)


def test_a_removed_paragraph_is_one_removed_row_with_an_empty_new_side() -> None:
    draft = IN_FORCE.replace("Youth keep their phones during the day.\n\n", "")

    rows = side_by_side(IN_FORCE, draft)

    assert [row.kind for row in rows] == [EQUAL, REMOVED, EQUAL, EQUAL]
    assert rows[1] == DiffRow(
        REMOVED, deleted("Youth keep their phones during the day."), "", 3, None
    )


def test_a_changed_line_marks_only_the_changed_words() -> None:
    draft = IN_FORCE.replace("in the lounge at night", "in the office at night")

    rows = side_by_side(IN_FORCE, draft)

    assert [row.kind for row in rows] == [EQUAL, EQUAL, CHANGED, EQUAL]
    assert rows[2].old_html == f"- Phones charge in the {deleted('lounge')} at night."
    assert rows[2].new_html == f"- Phones charge in the {inserted('office')} at night."
    assert (rows[2].old_number, rows[2].new_number) == (5, 5)


def test_a_rewritten_phrase_reads_as_one_removal_and_one_addition() -> None:
    rows = side_by_side(
        "Youth may use phones in the lounge.", "Youth can keep their phones in the lounge."
    )

    assert rows == [
        DiffRow(
            CHANGED,
            f"Youth {deleted('may use')} phones in the lounge.",
            f"Youth {inserted('can keep their')} phones in the lounge.",
            1,
            1,
        )
    ]


def test_words_added_at_the_end_of_a_line() -> None:
    rows = side_by_side("Staff review plans.", "Staff review plans with youth.")

    assert rows[0].new_html == f"Staff review plans{inserted(' with youth')}."
    assert rows[0].old_html == "Staff review plans."


def test_an_unrelated_replacement_shows_as_removed_and_added_not_changed() -> None:
    rows = side_by_side(
        "Phones are handed in at curfew.", "Youth choose a quiet hour together each week."
    )

    assert [row.kind for row in rows] == [REMOVED, ADDED]


def test_lines_that_share_only_list_markers_spaces_and_full_stops_are_not_paired() -> None:
    rows = side_by_side(
        "- Phones found in bedrooms are immediately confiscated.",
        "- Gaming after midnight is strictly prohibited.",
    )

    assert [row.kind for row in rows] == [REMOVED, ADDED]


def test_a_changed_line_is_paired_with_its_most_similar_new_line() -> None:
    old = "Gaming stops at 22:00 on school nights."
    new = (
        "Youth can ask for a gaming pass.\n\n"
        "Passes are agreed with the case manager.\n\n"
        "Gaming stops at 23:00 on school nights."
    )

    rows = side_by_side(old, new)

    assert [row.kind for row in rows] == [ADDED, ADDED, CHANGED]
    assert rows[2].old_html == f"Gaming stops at {deleted('22')}:00 on school nights."
    assert rows[2].new_html == f"Gaming stops at {inserted('23')}:00 on school nights."


def test_a_first_version_shows_every_line_as_added() -> None:
    rows = side_by_side("", IN_FORCE)

    assert [row.kind for row in rows] == [ADDED] * 4
    assert diff_summary(rows) == {ADDED: 4, REMOVED: 0, CHANGED: 0, EQUAL: 0}


def test_a_large_rewrite_still_pairs_lines_in_order() -> None:
    old = "\n".join(f"- Rule {n}: phones charge in the lounge." for n in range(30))
    new = "\n".join(f"- Rule {n}: phones charge in the office." for n in range(30))

    rows = side_by_side(old, new)

    assert [row.kind for row in rows] == [CHANGED] * 30
    assert rows[29].new_html == f"- Rule 29: phones charge in the {inserted('office')}."


def test_two_huge_changed_paragraphs_are_shown_whole_rather_than_word_by_word() -> None:
    # Word by word, two 8,000-word paragraphs took seconds; whole, they come back at once.
    old = "Youth keep phones in the lounge. " * 1_600
    new = old + "Staff help."

    rows = side_by_side(old, new)

    assert [row.kind for row in rows] == [CHANGED]
    assert rows[0].old_html == deleted(old.rstrip())
    assert rows[0].new_html == inserted(new)


def test_html_in_the_text_is_escaped_in_every_kind_of_row() -> None:
    old = "<b>Same</b>\n\n<i>old</i> words\n\n<script>alert(1)</script>"
    new = "<b>Same</b>\n\n<i>new</i> words\n\n<img src=x onerror=alert(1)>"

    rows = side_by_side(old, new)

    assert [row.kind for row in rows] == [EQUAL, CHANGED, REMOVED, ADDED]
    assert rows[0].old_html == rows[0].new_html == "&lt;b&gt;Same&lt;/b&gt;"
    assert rows[1].old_html == f"&lt;i&gt;{deleted('old')}&lt;/i&gt; words"
    assert rows[1].new_html == f"&lt;i&gt;{inserted('new')}&lt;/i&gt; words"
    assert rows[2].old_html == deleted("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert rows[3].new_html == inserted("&lt;img src=x onerror=alert(1)&gt;")
    for row in rows:
        assert isinstance(row.old_html, SafeString)
        assert isinstance(row.new_html, SafeString)


def test_the_summary_counts_each_kind_of_line() -> None:
    draft = (
        "# Mobile devices\n\n"
        "Youth keep their phones during the day and the evening.\n\n"
        "- Staff check in with each youth every evening.\n"
        "- Youth and staff review this policy every six months.\n"
    )

    assert diff_summary(side_by_side(IN_FORCE, draft)) == {
        ADDED: 1,
        REMOVED: 1,
        CHANGED: 1,
        EQUAL: 2,
    }


def test_the_diff_partial_is_a_two_column_table_with_caption_headers_and_legend() -> None:
    draft = IN_FORCE.replace("lounge", "office") + "\nA <new> line.\n"
    rows = side_by_side(IN_FORCE, draft)

    html = render_to_string(
        "policies/includes/_diff.html", {"rows": rows, "summary": diff_summary(rows)}
    )

    assert "<caption" in html
    assert '<th scope="col" class="w-50">Version in force</th>' in html
    assert '<th scope="col" class="w-50">This draft</th>' in html
    assert "<del>struck-through text</del> is removed from the version in force" in html
    assert "<ins>underlined text</ins> is added in this draft" in html
    assert "1 changed, 1 added, 0 removed, 3 unchanged" in html
    assert html.count('<tr class="diff-row diff-row-') == 5
    assert '<tr class="diff-row diff-row-added">' in html
    assert inserted("A &lt;new&gt; line.") in html
    assert "Not in the version in force" in html
    # Each cell names its column for the stacked phone layout.
    assert html.count('<span class="diff-cell-label">Version in force</span>') == 5
    assert html.count('<span class="diff-cell-label">This draft</span>') == 5


def test_the_diff_partial_says_so_when_both_texts_are_empty() -> None:
    html = render_to_string("policies/includes/_diff.html", {"rows": side_by_side("", "")})

    assert "Both texts are empty." in html
    assert "<table" not in html


_HIDDEN_LABEL_RE = re.compile(r'<span class="visually-hidden">[^<]*</span>')
_CHANGE_TAG_RE = re.compile(r"</?(?:ins|del)>")


def _plain(html: str) -> str:
    """The text a row shows, without the change markup and hidden labels."""
    return unescape(_CHANGE_TAG_RE.sub("", _HIDDEN_LABEL_RE.sub("", html)))


_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Phones charge in the lounge.",
                "Phones charge in the office.",
                "- Gaming until 22:00",
                "<b>bold</b> & <script>x</script>",
                "",
                "   ",
            ]
        ),
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=30),
    ),
    max_size=8,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(_LINES, _LINES)
def test_each_side_of_the_diff_gives_back_its_own_words_in_order(old: str, new: str) -> None:
    rows = side_by_side(old, new)

    # Units join a paragraph's lines with spaces, so compare the words in order.
    old_side = " ".join(_plain(r.old_html) for r in rows if r.kind != ADDED)
    new_side = " ".join(_plain(r.new_html) for r in rows if r.kind != REMOVED)
    assert old_side.split() == old.split()
    assert new_side.split() == new.split()
    for row in rows:
        # Only our own markup: every "<" starts an ins/del or a hidden label.
        for html in (row.old_html, row.new_html):
            assert "<" not in _CHANGE_TAG_RE.sub("", _HIDDEN_LABEL_RE.sub("", html))

"""Side-by-side, word-level comparison of two policy texts (the version in force and a draft).

The unit of comparison is the paragraph as Markdown sees it: a heading, a list item, or the
lines of a paragraph joined into one (so re-wrapping a paragraph is no change, and a changed
sentence shows once, not on every line it touches). Units are aligned first
(difflib.SequenceMatcher), then the words inside each pair of changed units. Within a block
of replaced units, each old unit is paired with the most similar new one (as difflib.Differ
does) when they are at least PAIRING_CUTOFF alike; units with no partner show as removed or
added.

All text is escaped; the only markup is <del>/<ins> around changed words, each carrying a
visually-hidden "removed:"/"added:" so that screen-reader users hear what sighted users see.
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

EQUAL = "equal"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"

# How alike (0..1, by words) two lines must be to show as one changed line rather than a
# removed line and an added one.
PAIRING_CUTOFF = 0.5
# Above this many pairs in one replaced block (20 x 20 units; at worst about 0.1 s), pair
# units in order instead of searching for the best partner (the search is cubic in the size).
_MAX_PAIRING_WORK = 400
# Above this many (old words x new words) in one replaced block, pair in order too: comparing
# long paragraphs word by word is itself slow (measured: 20 x 20 paragraphs of 300 words
# took 2.4 s with the search, 0.1 s in order).
_MAX_PAIRING_WORDS = 250_000
# Above this many (old tokens x new tokens), a changed unit is shown removed and added whole
# rather than word by word (two 8,000-word paragraphs took 3.5 s).
_MAX_WORD_DIFF_WORK = 4_000_000

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TOKEN_RE = re.compile(r"\s+|[^\W_]+(?:['’][^\W_]+)*|[^\s]")
# Lines that start a unit: a list item or a quote. Headings and rules (or setext
# underlines) are units of one line.
_UNIT_START_RE = re.compile(r"^\s{0,3}(?:[-*+]\s|\d{1,9}[.)]\s|>)")
_ONE_LINE_UNIT_RE = re.compile(r"^\s{0,3}(?:#{1,6}(?:\s|$)|([-*_=])(?:\s*\1){2,}\s*$)")


@dataclass(frozen=True)
class DiffRow:
    kind: str  # EQUAL | CHANGED | ADDED | REMOVED
    old_html: SafeString  # the old unit, escaped, removed words in <del>; "" when added
    new_html: SafeString  # the new unit, escaped, added words in <ins>; "" when removed
    old_number: int | None = None  # 1-based line where the unit starts in the old text
    new_number: int | None = None  # 1-based line where the unit starts in the new text


def side_by_side(old_text: str, new_text: str) -> list[DiffRow]:
    """Align by line/paragraph (difflib.SequenceMatcher on lines), then word-level within
    changed pairs."""
    old_lines = _units(old_text)
    new_lines = _units(new_text)
    old_keys = [line for _number, line in old_lines]
    new_keys = [line for _number, line in new_lines]
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for (old_no, line), (new_no, _line) in zip(
                old_lines[i1:i2], new_lines[j1:j2], strict=True
            ):
                rows.append(DiffRow(EQUAL, escape(line), escape(line), old_no, new_no))
        else:
            rows.extend(_replace_block(old_lines[i1:i2], new_lines[j1:j2]))
    return rows


def diff_summary(rows: Iterable[DiffRow]) -> dict[str, int]:
    """How many units (paragraphs, headings, list items) are added, removed, changed and
    unchanged."""
    summary = {ADDED: 0, REMOVED: 0, CHANGED: 0, EQUAL: 0}
    for row in rows:
        summary[row.kind] += 1
    return summary


def _units(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each heading, list item or paragraph; the lines of a
    paragraph or list item are joined with single spaces."""
    units: list[tuple[int, str]] = []
    current: tuple[int, str] | None = None
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, 1):
        one_line = bool(_ONE_LINE_UNIT_RE.match(line))
        if not line.strip() or one_line or _UNIT_START_RE.match(line):
            if current:
                units.append(current)
            current = None
        if not line.strip():
            continue
        if one_line:
            units.append((number, line.rstrip()))
        elif current is None:
            current = (number, line.rstrip())
        else:
            current = (current[0], f"{current[1]} {line.strip()}")
    if current:
        units.append(current)
    return units


def _tokens(line: str) -> list[str]:
    return _TOKEN_RE.findall(line)


def _words(line: str) -> list[str]:
    """The words of a line, to judge how alike two lines are: spaces, list markers and
    punctuation would make any two lines look alike."""
    return _WORD_RE.findall(line)


def _replace_block(old: list[tuple[int, str]], new: list[tuple[int, str]]) -> list[DiffRow]:
    if not old or not new:
        return [_removed(line) for line in old] + [_added(line) for line in new]
    old_word_count = sum(len(_words(line)) for _number, line in old)
    new_word_count = sum(len(_words(line)) for _number, line in new)
    if (
        len(old) * len(new) > _MAX_PAIRING_WORK
        or old_word_count * new_word_count > _MAX_PAIRING_WORDS
    ):
        return _pair_in_order(old, new)
    best_ratio, best_i, best_j = 0.0, -1, -1
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    old_words = [_words(line) for _number, line in old]
    for j, (_new_no, new_line) in enumerate(new):
        matcher.set_seq2(_words(new_line))  # difflib caches details about the second sequence
        for i, words in enumerate(old_words):
            matcher.set_seq1(words)
            # The cheap upper bounds first, as difflib.Differ does.
            if (
                matcher.real_quick_ratio() > best_ratio
                and matcher.quick_ratio() > best_ratio
                and matcher.ratio() > best_ratio
            ):
                best_ratio, best_i, best_j = matcher.ratio(), i, j
    if best_ratio < PAIRING_CUTOFF:
        return [_removed(line) for line in old] + [_added(line) for line in new]
    return [
        *_replace_block(old[:best_i], new[:best_j]),
        _changed(old[best_i], new[best_j]),
        *_replace_block(old[best_i + 1 :], new[best_j + 1 :]),
    ]


def _pair_in_order(old: list[tuple[int, str]], new: list[tuple[int, str]]) -> list[DiffRow]:
    rows = []
    for o, n in zip(old, new, strict=False):
        old_words, new_words = _words(o[1]), _words(n[1])
        matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
        # quick_ratio (shared words, ignoring order) is linear: enough for huge paragraphs.
        huge = len(old_words) * len(new_words) > _MAX_WORD_DIFF_WORK
        if (matcher.quick_ratio() if huge else matcher.ratio()) >= PAIRING_CUTOFF:
            rows.append(_changed(o, n))
        else:
            rows += [_removed(o), _added(n)]
    rows += [_removed(line) for line in old[len(new) :]]
    rows += [_added(line) for line in new[len(old) :]]
    return rows


def _removed(line: tuple[int, str]) -> DiffRow:
    return DiffRow(REMOVED, _wrap("del", "removed", line[1]), SafeString(""), line[0], None)


def _added(line: tuple[int, str]) -> DiffRow:
    return DiffRow(ADDED, SafeString(""), _wrap("ins", "added", line[1]), None, line[0])


def _changed(old: tuple[int, str], new: tuple[int, str]) -> DiffRow:
    old_html, new_html = _word_diff(old[1], new[1])
    return DiffRow(CHANGED, old_html, new_html, old[0], new[0])


def _wrap(tag: str, label: str, text: str) -> SafeString:
    """`label` is REMOVED or ADDED; screen readers hear it in the reader's language."""
    if label == REMOVED:
        start, end = pgettext("diff", "removed"), pgettext("diff", "end removed")
    else:
        start, end = pgettext("diff", "added"), pgettext("diff", "end added")
    return format_html(
        '<{tag}><span class="visually-hidden">{start}: </span>{text}'
        '<span class="visually-hidden"> ({end})</span></{tag}>',
        tag=tag,
        start=start,
        end=end,
        text=text,
    )


def _word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    if len(old_tokens) * len(new_tokens) > _MAX_WORD_DIFF_WORK:
        return _wrap("del", "removed", old), _wrap("ins", "added", new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    # Merge changes separated only by spaces, so that a rewritten phrase reads as one
    # removal and one addition rather than a word-by-word checkerboard.
    spans: list[list] = []  # [tag, old text, new text]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        spans.append([tag, old_part, new_part])
    merged: list[list] = []
    for index, span in enumerate(spans):
        only_spaces_between_changes = (
            span[0] == "equal"
            and not span[1].strip()
            and index + 1 < len(spans)
            and spans[index + 1][0] != "equal"
        )
        if (
            merged
            and merged[-1][0] != "equal"
            and (span[0] != "equal" or only_spaces_between_changes)
        ):
            merged[-1] = ["replace", merged[-1][1] + span[1], merged[-1][2] + span[2]]
        else:
            merged.append(span)

    old_parts: list[SafeString] = []
    new_parts: list[SafeString] = []
    for tag, old_part, new_part in merged:
        if tag == "equal":
            old_parts.append(escape(old_part))
            new_parts.append(escape(new_part))
            continue
        if old_part:
            old_parts.append(_wrap("del", "removed", old_part))
        if new_part:
            new_parts.append(_wrap("ins", "added", new_part))
    # Every part was escaped above; only our own <ins>/<del> wrappers are markup.
    old_html = mark_safe("".join(old_parts))  # noqa: S308  # nosec B308 B703
    new_html = mark_safe("".join(new_parts))  # noqa: S308  # nosec B308 B703
    return old_html, new_html

"""Automatic checks on a policy draft: warnings for the author and the reviewer, never blocks.

Three checks:

- ``zero_tolerance``: blanket-ban wording ("zero tolerance", "strictly prohibited"…, the list
  is data) used as a ban WITH NO PATH BACK. Matching ignores case and treats hyphens, dashes
  and runs of spaces or line breaks between the words alike ("Zero-Tolerance" matches
  "zero tolerance"). An occurrence is NOT reported when:

  1. it is negated or rejected: a negation word (NEGATION_CUES: not, no, never, avoid,
     instead of, rather than, without, any "…n't" word…) stands right before the phrase in
     the same clause (no comma, semicolon, colon or dash between), with at most
     MAX_GAP_WORDS words between them, and only from a short list of linking words
     (GAP_WORDS: a, the, use, any, believe in, youth, means…). So "we do not use
     zero-tolerance rules", "no youth will be banned" and "rather than a blanket ban" pass,
     but "youth who don't comply face immediate expulsion" is still reported, because
     "comply" is not a linking word;
  2. or the phrase is itself negated right after it ("zero-tolerance rules are not used",
     "zero tolerance doesn't work");
  3. or the same sentence, or the next sentence of the same paragraph or list item, gives a
     path back (PATH_BACK_PATTERNS: until, for 48 hours, review, after which, unless, earn
     back, restored, returned to the youth, temporarily…), and that path-back word is not
     itself negated ("with no review" does not count; neither does "until further notice"
     or "until discharge"). Decision: a ban with a way back is a restriction, which the product's
     harm-reduction model allows, so it is not reported at all (rather than reported at a
     lower level): the reviewer still reads the whole text in the diff.

  Each remaining occurrence is one finding whose excerpt is its sentence, escaped, with the
  phrase wrapped in <mark>.

- ``no_youth_input``: the version has no youth contribution recorded.
- ``no_next_review``: the version has no next-review date.

Findings come in text order, then the two process checks. The rules are word lists and
windows on purpose: a reviewer can predict and explain every warning.
"""

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

ZERO_TOLERANCE = "zero_tolerance"
NO_YOUTH_INPUT = "no_youth_input"
NO_NEXT_REVIEW = "no_next_review"

# The wording the policies app seeds its FlaggedPhrase table with; run_checks takes the list
# as data, this is only the starting point.
DEFAULT_PHRASES: tuple[str, ...] = (
    "under no circumstances",
    "zero tolerance",
    "immediate expulsion",
    "strictly prohibited",
    "will be banned",
    "permanently banned",
    "no exceptions",
    "immediately confiscated",
)

NEGATION_CUES: tuple[tuple[str, ...], ...] = (
    ("not",),
    ("no",),
    ("never",),
    ("nor",),
    ("neither",),
    ("without",),
    ("cannot",),
    ("avoid",),
    ("avoids",),
    ("avoided",),
    ("avoiding",),
    ("against",),
    ("reject",),
    ("rejects",),
    ("rejected",),
    ("rejecting",),
    ("replace",),
    ("replaces",),
    ("replaced",),
    ("replacing",),
    ("unlike",),
    ("instead", "of"),
    ("rather", "than"),
    ("away", "from"),
    ("in", "place", "of"),
    ("alternative", "to"),
    ("alternatives", "to"),
    ("no", "place", "for"),
    ("nobody",),
    ("none",),
)
# Words that may stand between a negation and the phrase: "do not USE A zero tolerance…".
GAP_WORDS: frozenset[str] = frozenset(
    {
        "a",
        "an",
        "the",
        "any",
        "our",
        "this",
        "that",
        "such",
        "of",
        "in",
        "on",
        "be",
        "is",
        "are",
        "have",
        "has",
        "use",
        "uses",
        "using",
        "used",
        "apply",
        "applying",
        "impose",
        "imposing",
        "enforce",
        "enforcing",
        "believe",
        "support",
        "rely",
        "follow",
        "practice",
        "practise",
        "adopt",
        "want",
        "kind",
        "type",
        "strict",
        # "no youth will be banned", "no one faces immediate expulsion"
        "one",
        "youth",
        "young",
        "person",
        "people",
        "resident",
        "residents",
        # "never means immediate expulsion", "does not lead to zero tolerance"
        "face",
        "faces",
        "mean",
        "means",
        "lead",
        "leads",
        "to",
        "result",
        "results",
    }
)
MAX_GAP_WORDS = 3
# After the phrase: "zero-tolerance RULES ARE not used", "zero tolerance DOES not work".
AFTER_GAP_WORDS: frozenset[str] = frozenset(
    {
        "rule",
        "rules",
        "policy",
        "policies",
        "approach",
        "approaches",
        "model",
        "ban",
        "bans",
        "is",
        "are",
        "was",
        "were",
        "does",
        "do",
        "has",
        "have",
        "will",
        "would",
        "should",
    }
)
_AFTER_NEGATIONS = frozenset({"not", "never", "cannot"})

_NUMBER = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"twenty-four|forty-eight|seventy-two|a\s+few|few|several)"
)
_UNIT = r"(?:minutes?|hours?|days?|nights?|weeks?)"
PATH_BACK_PATTERNS: tuple[str, ...] = (
    # "until further notice" or "until discharge" is no way back during the stay.
    r"until\b(?!\s+(?:further\s+notice|discharge|(?:they\s+are\s+)?discharged|exit|"
    r"they\s+(?:leave|move\s+out)|departure|the\s+end\s+of\s+(?:their|the)\s+stay)\b)",
    rf"(?:for|after|within|up\s+to)\s+(?:the\s+(?:first|next)\s+)?{_NUMBER}\s+{_UNIT}",
    r"review(?:s|ed|ing)?",
    r"after\s+which",
    r"unless",
    r"earn(?:s|ed|ing)?(?:\s+\w+){0,3}?\s+back",
    r"restor(?:e|es|ed|ing)",
    r"returned\s+to\s+(?:the\s+)?(?:youth|young\s+person|them)",
    r"give(?:s|n)?\s+back",
    r"re-?assess\w*",
    r"re-?evaluat\w*",
    r"revisit\w*",
    r"temporar(?:y|ily)",
    r"(?:path|way)\s+back",
)
_PATH_BACK_RE = re.compile(
    r"(?<![^\W_])(?:" + "|".join(PATH_BACK_PATTERNS) + r")(?![^\W_])", re.IGNORECASE
)

_SEPARATOR = r"[\s\-\u2010-\u2015]+"
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Sentence ends: . ! ? … (with closing quotes or brackets) followed by space or the end.
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
# A new block: a blank line, or a line that starts a list item, heading or quote.
_BLOCK_START_RE = re.compile(r"^\s{0,3}(?:[-*+]\s|\d{1,9}[.)]\s|#{1,6}\s|>)")
# Markdown markers to leave out of an excerpt.
_LEADING_MARKERS_RE = re.compile(r"\s*(?:>\s*)*(?:[-*+]\s+|\d{1,9}[.)]\s+|#{1,6}\s+)?")
_BLANK_LINE_RE = re.compile(r"\n\s*\n")
# Clause punctuation: a negation on the other side of it does not apply to the phrase
# ("if they do not, immediate expulsion").
_CLAUSE_BREAK_RE = re.compile(r"[,;:—–()]")
_WINDOW_CHARS = 200
# A page of a thousand warnings helps nobody: list this many, then count the rest.
MAX_WORDING_FINDINGS = 50
EXCERPT_MAX_CHARS = 300
_EXCERPT_CONTEXT_CHARS = 120


@dataclass(frozen=True)
class Finding:
    code: str  # ZERO_TOLERANCE | NO_YOUTH_INPUT | NO_NEXT_REVIEW
    message: str  # plain words for staff
    excerpt_html: SafeString | None  # the sentence, escaped, with the phrase in <mark>
    line: int | None = None  # 1-based line of the text where the phrase starts
    phrase: str | None = None  # the flagged phrase as configured
    hint: str = ""  # what to do about it


def run_checks(
    text: str, phrases: Sequence[str], *, has_youth_input: bool, has_next_review: bool
) -> list[Finding]:
    """Warnings about a policy text and its version: see the module docstring for the rules."""
    findings = _zero_tolerance_findings(text or "", phrases)
    if not has_youth_input:
        findings.append(
            Finding(
                code=NO_YOUTH_INPUT,
                message=gettext("No youth input is recorded for this version."),
                excerpt_html=None,
                hint=gettext(
                    "Youth keep rules they helped shape: record who contributed ideas, wording "
                    "or feedback before this version is approved."
                ),
            )
        )
    if not has_next_review:
        findings.append(
            Finding(
                code=NO_NEXT_REVIEW,
                message=gettext("No next review date is set."),
                excerpt_html=None,
                hint=gettext(
                    "Technology changes quickly: set a date to review this policy again "
                    "with staff and youth."
                ),
            )
        )
    return findings


def _phrase_pattern(phrase: str) -> str | None:
    words = [w for w in re.split(_SEPARATOR, phrase.strip()) if w]
    if not words:
        return None
    escaped = [re.sub("['’]", "['’]", re.escape(w)) for w in words]
    return _SEPARATOR.join(escaped)


def _normalise(phrase: str) -> str:
    words = re.split(_SEPARATOR, phrase.strip().lower().replace("’", "'"))
    return " ".join(word for word in words if word)


def _zero_tolerance_findings(text: str, phrases: Sequence[str]) -> list[Finding]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    by_normal: dict[str, str] = {}
    for phrase in phrases:
        if _phrase_pattern(phrase) is not None:
            by_normal.setdefault(_normalise(phrase), phrase.strip())
    if not by_normal or not text.strip():
        return []
    # Longest first, so that "zero tolerance policy" wins over "zero tolerance". One named
    # group per phrase tells which one matched (case folding can change the matched text).
    ordered = sorted(by_normal.items(), key=lambda item: len(item[0]), reverse=True)
    alternatives = "|".join(
        f"(?P<p{number}>{_phrase_pattern(normal)})" for number, (normal, _) in enumerate(ordered)
    )
    matcher = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)

    sentences = _sentences(text)
    starts = [start for start, _end, _block in sentences]
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    findings = []
    more = 0
    path_back: dict[int, bool] = {}  # per sentence: one long sentence may hold many matches
    for match in matcher.finditer(text):
        if _BLANK_LINE_RE.search(match.group()):
            continue  # the words are in two different paragraphs
        index = bisect.bisect_right(starts, match.start()) - 1
        start, end, block = sentences[index]
        # Only the words next to the phrase matter: bounded windows keep this linear.
        before = text[max(start, match.start() - _WINDOW_CHARS) : match.start()]
        after = text[match.end() : min(end, match.end() + _WINDOW_CHARS)]
        if _is_negated(before, after):
            continue
        if index not in path_back:
            following = ""
            if index + 1 < len(sentences) and sentences[index + 1][2] == block:
                following = text[sentences[index + 1][0] : sentences[index + 1][1]]
            path_back[index] = _has_path_back(text[start:end]) or _has_path_back(following)
        if path_back[index]:
            continue
        if len(findings) == MAX_WORDING_FINDINGS:
            more += 1
            continue
        phrase = ordered[int((match.lastgroup or "p0")[1:])][1]
        findings.append(
            Finding(
                code=ZERO_TOLERANCE,
                message=gettext('Blanket ban wording: "%(phrase)s" with no path back.')
                % {"phrase": phrase},
                excerpt_html=_excerpt(text, start, end, match.start(), match.end()),
                line=bisect.bisect_right(line_starts, match.start()),
                phrase=phrase,
                hint=gettext(
                    "Say how and when the youth gets access back (for how long, who reviews it "
                    "with them), or describe the harm-reduction step instead."
                ),
            )
        )
    if more:
        findings.append(
            Finding(
                code=ZERO_TOLERANCE,
                message=ngettext(
                    "Blanket ban wording in %(more)s more place.",
                    "Blanket ban wording in %(more)s more places.",
                    more,
                )
                % {"more": more},
                excerpt_html=None,
                hint=gettext("Rework the passages above first, then run the checks again."),
            )
        )
    return findings


def _sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, block number) of each sentence, covering the text in order."""
    blocks: list[tuple[int, int]] = []
    block_start: int | None = None
    offset = 0
    for line in text.split("\n"):
        line_end = offset + len(line)
        if not line.strip():
            if block_start is not None:
                blocks.append((block_start, offset))
                block_start = None
        elif block_start is None:
            block_start = offset
        elif _BLOCK_START_RE.match(line):
            blocks.append((block_start, offset))
            block_start = offset
        offset = line_end + 1
    if block_start is not None:
        blocks.append((block_start, len(text)))

    sentences: list[tuple[int, int, int]] = []
    for number, (b_start, b_end) in enumerate(blocks):
        start = b_start
        for end_match in _SENTENCE_END_RE.finditer(text, b_start, b_end):
            sentences.append((start, end_match.end(), number))
            start = end_match.end()
        if text[start:b_end].strip():
            sentences.append((start, b_end, number))
    # Text before the first block (only blank lines) still needs a sentence to bisect into.
    if not sentences or sentences[0][0] > 0:
        sentences.insert(0, (0, sentences[0][0] if sentences else len(text), -1))
    return sentences


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD_RE.findall(text)]


def _ends_with_negation(words: list[str]) -> bool:
    if words and words[-1].endswith("n't"):
        return True
    return any(len(cue) <= len(words) and tuple(words[-len(cue) :]) == cue for cue in NEGATION_CUES)


def _is_negated(before: str, after: str) -> bool:
    clause_before = _CLAUSE_BREAK_RE.split(before)[-1]
    words = _words(clause_before)
    for gap in range(MAX_GAP_WORDS + 1):
        if gap > len(words):
            break
        if gap and words[-gap] not in GAP_WORDS:
            break
        if _ends_with_negation(words[: len(words) - gap]):
            return True
    for word in _words(_CLAUSE_BREAK_RE.split(after)[0])[:3]:
        if word in _AFTER_NEGATIONS or word.endswith("n't"):
            return True
        if word not in AFTER_GAP_WORDS:
            break
    return False


def _has_path_back(sentence: str) -> bool:
    for match in _PATH_BACK_RE.finditer(sentence):
        previous = _words(sentence[: match.start()])[-2:]
        if any(w in {"no", "not", "never", "without"} or w.endswith("n't") for w in previous):
            continue
        return True
    return False


def _excerpt(text: str, start: int, end: int, mark_start: int, mark_end: int) -> SafeString:
    leading = _LEADING_MARKERS_RE.match(text, start, mark_start)
    if leading:
        start = leading.end()
    while end > mark_end and text[end - 1].isspace():
        end -= 1
    prefix = suffix = ""
    if end - start > EXCERPT_MAX_CHARS:
        if mark_start - start > _EXCERPT_CONTEXT_CHARS:
            cut = text.rfind(" ", start, mark_start - _EXCERPT_CONTEXT_CHARS)
            start = cut + 1 if cut != -1 else mark_start - _EXCERPT_CONTEXT_CHARS
            prefix = "… "
        if end - mark_end > _EXCERPT_CONTEXT_CHARS:
            cut = text.find(" ", mark_end + _EXCERPT_CONTEXT_CHARS, end)
            end = cut if cut != -1 else mark_end + _EXCERPT_CONTEXT_CHARS
            suffix = " …"
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        prefix,
        text[start:mark_start],
        text[mark_start:mark_end],
        text[mark_end:end],
        suffix,
    )

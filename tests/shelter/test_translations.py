"""The Spanish catalogue is complete, compiled from what is committed, and keeps every
placeholder: a string marked for translation cannot ship in English by accident.

Needs GNU gettext (makemessages, msgfmt): `make test` installs it (scripts/ensure-gettext).
The catalogue is locale/es/LC_MESSAGES/django.po; scripts/merge-translations refreshes it.
"""

import hashlib
import shutil
import subprocess
from pathlib import Path

import polib
from django.conf import settings

from shelter.translations import make_messages

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "es" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "es" / "LC_MESSAGES" / "django.mo"


def _fingerprint(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _entries(mo: polib.MOFile) -> dict[tuple[str | None, str], object]:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in mo
        if entry.msgid  # the header
    }


def test_every_string_marked_for_translation_has_a_spanish_translation(tmp_path: Path) -> None:
    assert PO.exists(), f"{PO} is missing: run scripts/merge-translations"
    before = _fingerprint(LOCALE)
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)

    fresh = polib.pofile(str(make_messages(copy)))

    assert _fingerprint(LOCALE) == before, "makemessages wrote into the repository's locale/"
    missing = [entry.msgid for entry in fresh.untranslated_entries()]
    fuzzy = [entry.msgid for entry in fresh.fuzzy_entries()]
    assert not missing, f"{len(missing)} strings have no Spanish translation: {missing[:20]}"
    assert not fuzzy, f"{len(fuzzy)} Spanish translations are marked fuzzy: {fuzzy[:20]}"
    assert len(fresh.translated_entries()) > 100  # the whole interface, not an empty file


def test_the_committed_compiled_catalogue_matches_the_committed_translations(
    tmp_path: Path,
) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(PO)], check=True)  # noqa: S603, S607

    committed = _entries(polib.mofile(str(MO)))
    fresh = _entries(polib.mofile(str(compiled)))

    stale = sorted(key[1] for key in committed.keys() ^ fresh.keys())
    changed = sorted(
        key[1] for key in committed.keys() & fresh.keys() if committed[key] != fresh[key]
    )
    assert not stale and not changed, (
        "locale/es/LC_MESSAGES/django.mo is out of date (run compilemessages): "
        f"{(stale + changed)[:20]}"
    )


def test_every_translation_keeps_the_placeholders_of_its_english_text() -> None:
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--check-format", "-o", "/dev/null", str(PO)],  # noqa: S607
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr

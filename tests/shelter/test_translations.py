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
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from shelter.models import Language, User
from shelter.services import staff_set_language
from shelter.translations import make_messages
from tests.builders import admit_youth

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


# A Spanish-speaking staff member's pages. These pass once the merged catalogue
# (locale/es/LC_MESSAGES/django.mo) is committed.


@pytest.mark.django_db
def test_a_spanish_speaking_staff_members_home_page_is_in_spanish(
    case_manager: User, cm_client: Client
) -> None:
    staff_set_language(user=case_manager, language=Language.SPANISH)
    page = cm_client.get(reverse("home")).content.decode()
    assert '<html lang="es">' in page
    assert f"Hola, {case_manager.first_name}" in page
    assert "Encargado(a) de caso" in page  # the role
    assert ">Tablero</a>" in page  # the menu's short word for the house board
    assert "Cerrar sesión" in page
    assert "Sign out" not in page
    assert "Hello," not in page


@pytest.mark.django_db
def test_a_spanish_speaking_staff_members_house_board_is_in_spanish(
    case_manager: User, cm_client: Client
) -> None:
    admit_youth(case_manager, preferred_name="Fictional Youth", client_id="TEST-0001")
    staff_set_language(user=case_manager, language=Language.SPANISH)
    page = cm_client.get(reverse("desk:board")).content.decode()
    assert "Tablero de la casa" in page
    assert "¿En línea ahora?" in page
    assert "Registrar una solicitud" in page
    assert "se actualiza cada minuto" in page
    assert "Online now?" not in page
    assert "House board" not in page

"""Policy and report pages in Spanish for a staff member whose language is Spanish.

The interface is translated; what staff wrote (policy text, flagged phrases) stays
as written; files that other systems read (register and summary CSV) stay English."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import polib
import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from shelter.models import Language, User
from tests.builders import make_full_plan
from tests.policies.builders import approved, social_media, submitted

pytestmark = pytest.mark.django_db

# The merged catalogue once it exists; until then this helper's own PO file.
CATALOGUES = (
    Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po",
    Path("/work/i18n/h15.po"),
)


@pytest.fixture(autouse=True)
def spanish_catalogue(tmp_path: Path, settings: Settings) -> Iterator[None]:
    """The Spanish catalogue compiled into a temporary LOCALE_PATHS (changing the
    setting clears Django's translation caches, before and after)."""
    source = next(path for path in CATALOGUES if path.exists())
    target = tmp_path / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    polib.pofile(str(source)).save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path]
    yield


def speaks_spanish(user: User) -> None:
    user.language = Language.SPANISH
    user.save(update_fields=["language"])


def main_part(html: str) -> str:
    return html.split("<main", 1)[1]


def test_a_spanish_speaking_supervisor_reviews_a_policy_draft_in_spanish(
    supervisor_client: Client, supervisor: User, case_manager: User, other_supervisor: User
) -> None:
    speaks_spanish(supervisor)
    approved(social_media(), case_manager, other_supervisor, text="Phones stay with youth.\n")
    version = submitted(
        social_media(), case_manager, text="Phones are strictly prohibited at night.\n"
    )
    response = supervisor_client.get(reverse("policies:version-review", args=[version.pk]))
    assert response.status_code == 200
    page = main_part(response.content.decode())
    for words in (
        "Revisión: política Social media, versión 2",
        "Comparado con la versión 1, la versión vigente.",
        "Cambios respecto a la versión vigente",
        "Comprobaciones automáticas: avisos, no bloqueos",
        "Redacción de prohibición total: “strictly prohibited” sin un camino de vuelta.",
        "No hay aportes de jóvenes registrados para esta versión.",
        "Aprobar esta versión",
        "Devolver con comentarios",
        "Enviada a revisión",
        "Vigente desde",
    ):
        assert words in page, words
    for english in ("Approve this version", "Return with comments", "Blanket ban wording"):
        assert english not in page, english
    # What staff wrote is data, not interface: the policy text and the phrase stay as written.
    assert "<mark>strictly prohibited</mark>" in page
    assert "Phones are strictly prohibited at night." in page


def test_the_same_review_page_stays_english_for_an_english_speaking_supervisor(
    supervisor_client: Client, supervisor: User, case_manager: User
) -> None:
    assert supervisor.language == Language.ENGLISH
    version = submitted(social_media(), case_manager)
    page = main_part(
        supervisor_client.get(
            reverse("policies:version-review", args=[version.pk])
        ).content.decode()
    )
    assert "Approve this version" in page
    assert "Aprobar esta versión" not in page


def test_a_spanish_speaking_supervisor_reads_the_policy_list_and_a_policy_in_spanish(
    supervisor_client: Client, supervisor: User, case_manager: User, other_supervisor: User
) -> None:
    speaks_spanish(supervisor)
    approved(social_media(), case_manager, other_supervisor)
    listing = main_part(supervisor_client.get(reverse("policies:policy-list")).content.decode())
    assert "Políticas de tecnología" in listing
    assert "Versión 1 vigente desde el 5 Ene 2026" in listing
    detail = main_part(
        supervisor_client.get(
            reverse("policies:policy-detail", args=[social_media().pk])
        ).content.decode()
    )
    assert "Versión 1, vigente desde el 5 Ene 2026" in detail
    assert "He leído esta versión" in detail


def test_a_spanish_speaking_supervisor_sees_the_summary_and_its_charts_in_spanish(
    supervisor_client: Client, supervisor: User
) -> None:
    speaks_spanish(supervisor)
    response = supervisor_client.get(reverse("reports:summary"))
    assert response.status_code == 200
    page = main_part(response.content.decode())
    for words in (
        "Resumen anonimizado",
        "Solo cantidades y duraciones: sin nombres ni ID de cliente.",
        "Todas las cifras",
        "Solicitudes de jóvenes",
        "Descargar CSV",
    ):
        assert words in page, words
    # The charts' SVG text is interface too: its title and bar labels.
    risk_chart = page.split('data-testid="chart-risk"', 1)[1].split("</svg>", 1)[0]
    assert "<title" in risk_chart and "Jóvenes por nivel de riesgo" in risk_chart
    restrictions_chart = page.split('data-testid="chart-restrictions"', 1)[1].split("</svg>")[0]
    assert "Entraron en vigor" in restrictions_chart
    assert "Needed approval" not in restrictions_chart


def test_the_summary_csv_stays_english_for_a_spanish_speaking_supervisor(
    supervisor_client: Client, supervisor: User
) -> None:
    speaks_spanish(supervisor)
    response = supervisor_client.post(
        reverse("reports:summary-download"), {"start": "2026-01-01", "end": "2026-03-31"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Section", "Measure", "Value"]
    assert ["Range", "From", "2026-01-01"] in rows
    assert any(row[0] == "Youth by risk level" for row in rows)
    assert "Jóvenes" not in text


def test_register_headers_are_spanish_on_screen_and_english_in_the_file(
    admin_client_: Client, administrator: User, case_manager: User, supervisor: User
) -> None:
    speaks_spanish(administrator)
    approved(social_media(), case_manager, supervisor)
    page = main_part(admin_client_.get(reverse("reports:policies")).content.decode())
    assert "Registro de versiones de políticas" in page
    assert '<th scope="col">Tema</th>' in page
    assert '<th scope="col">Estado</th>' in page
    response = admin_client_.post(
        reverse("reports:register-download", kwargs={"report": "policies", "export_format": "csv"})
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:3] == ["Topic", "Version", "Status"]


def test_the_excel_file_stays_english_for_a_spanish_speaking_administrator(
    admin_client_: Client, administrator: User, case_manager: User, supervisor: User
) -> None:
    speaks_spanish(administrator)
    approved(social_media(), case_manager, supervisor)
    response = admin_client_.post(
        reverse("reports:register-download", kwargs={"report": "policies", "export_format": "xlsx"})
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, first = (list(row) for row in sheet.iter_rows(max_row=2, values_only=True))
    assert header[:3] == ["Topic", "Version", "Status"]
    assert first[2] == "Approved, in force"


def test_a_spanish_register_preview_does_not_put_spanish_words_in_the_next_english_file(
    admin_client_: Client, administrator: User, case_manager: User
) -> None:
    """The rule summaries are cached per wording: the cache is keyed by language."""
    speaks_spanish(administrator)
    make_full_plan(case_manager)
    page = main_part(admin_client_.get(reverse("reports:plans")).content.decode())
    assert "supervisado" in page
    response = admin_client_.post(
        reverse("reports:register-download", kwargs={"report": "plans", "export_format": "csv"})
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "supervised" in text
    assert "supervisado" not in text

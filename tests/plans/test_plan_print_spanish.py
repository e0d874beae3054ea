"""The youth's printable plan prints in the youth's preferred language, whatever
the staff member's own: a Spanish-speaking youth reads their plan in Spanish ("tú"),
with Spanish day and month names; the youth form records the language."""

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from plans.history import youth_history
from plans.models import Plan, Youth
from plans.plainwords import clock_words, date_words
from plans.rightnow import CategoryAccess, State
from shelter.models import Language, User
from tests.builders import admit_youth, make_full_plan, signed_in_client

pytestmark = pytest.mark.django_db

# The merged catalogue once it exists; until then the plans helper's own PO file.
CATALOGUES = (
    Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po",
    Path("/work/i18n/h14.po"),
)
DAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip


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


def print_text(client: Client, youth: Youth) -> str:
    """The sheet's words as a reader sees them: tags out, spaces squeezed."""
    html = client.get(reverse("plans:plan-print", args=[youth.pk])).content.decode()
    body = html[html.index("<main") :]
    inline = re.sub(r"</?strong>", "", body)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).replace("&#x27;", "'").split())


def spanish_date(day: date) -> str:
    return f"{DAYS[day.weekday()]} {day.day} de {MONTHS[day.month - 1]} de {day.year}"


def test_a_spanish_speaking_youths_plan_prints_in_spanish_for_an_english_speaking_case_manager(
    cm_client: Client, case_manager: User
) -> None:
    assert case_manager.language == Language.ENGLISH
    youth = make_full_plan(case_manager, preferred_language=Language.SPANISH)
    response = cm_client.get(reverse("plans:plan-print", args=[youth.pk]))
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
    text = print_text(cm_client, youth)

    assert "Tu plan de uso de tecnología Para Jordan Test · impreso el " in text
    assert f"impreso el {spanish_date(timezone.localdate())}" in text
    # Windows, limits and supervision, in "tú".
    assert (
        "Puedes usar las redes sociales de 4 p. m. a 8 p. m. los días de escuela y de "
        "10 a. m. a 9 p. m. los fines de semana, hasta 1 hora al día." in text
    )
    assert (
        "Puedes jugar videojuegos en línea de 8 p. m. a 1 a. m. las noches de viernes y "
        "sábado, hasta 1 hora y 30 minutos al día." in text
    )
    assert (
        "Puedes navegar por internet de 3 p. m. a 9 p. m. los días de escuela, "
        "con alguien del personal a tu lado." in text
    )
    assert "Puedes tener tu propio teléfono contigo de 7 a. m. a 10 p. m. todos los días." in text
    # The restriction in force, with its end (Spanish day and month names), and the coming one.
    day, month = "|".join(DAYS), "|".join(MONTHS)
    moment = rf"el (?:{day}) \d+ de (?:{month}) a las? \d+(?::\d\d)? [ap]\. m\."
    assert re.search(
        rf"Por ahora, hasta {moment}, hay una pausa en videojuegos en línea porque an adult "
        r"from a game asked to meet this weekend\. Después vuelve tu plan de siempre\.",
        text,
    )
    assert re.search(
        rf"Desde {moment} hasta {moment}, puedes usar redes sociales y mensajes solo con "
        r"alguien del personal a tu lado, porque the shelter's location was shared in a post\.",
        text,
    )
    # Help they can always reach, whatever the pauses.
    assert (
        "Ayuda con la que siempre puedes contar A cualquier hora, de día o de noche. "
        "Nada en este plan, ni ninguna pausa, te quita esta ayuda nunca." in text
    )
    assert (
        "Línea Nacional contra la Trata de Personas: Llama al 1-888-373-7888 o manda un "
        "mensaje de texto al 233733" in text
    )
    assert "Aunt Rosa (fictional): Call or text 555-0142" in text  # staff's words, as written
    assert f"Tu encargado(a) de caso: {case_manager}" in text
    # Review date and signatures.
    review = Plan.objects.get(youth=youth).next_review_on
    assert f"Volveremos a revisar este plan juntos el {spanish_date(review)}." in text
    assert "Hicimos este plan juntos Tu firma Fecha" in text
    assert f"Encargado(a) de caso: {case_manager} Fecha" in text
    # No English left in the sheet's own words.
    for english in ("You can", "Your technology plan", "For now", "Help you can always reach"):
        assert english not in text


def test_an_english_speaking_youths_plan_prints_in_english_for_a_spanish_speaking_case_manager(
    case_manager: User,
) -> None:
    User.objects.filter(pk=case_manager.pk).update(language=Language.SPANISH)
    youth = make_full_plan(case_manager)
    text = print_text(signed_in_client(case_manager), youth)
    assert "Your technology plan For Jordan Test" in text
    assert "You can use messaging apps any time, up to 2 hours a day." in text
    assert "Puedes" not in text


def test_the_printed_plan_leaves_the_staff_members_language_as_it_was(
    cm_client: Client, case_manager: User
) -> None:
    youth = make_full_plan(case_manager, preferred_language=Language.SPANISH)
    with translation.override("en"):
        print_text(cm_client, youth)
        assert translation.get_language() == "en"
        assert clock_words(time(16)) == "4 pm"


def test_plain_words_follow_the_active_language() -> None:
    with translation.override("es"):
        assert clock_words(time(0)) == "medianoche"
        assert clock_words(time(9, 5)) == "9:05 a. m."
        assert date_words(date(2026, 12, 4), year=True) == "viernes 4 de diciembre de 2026"
        assert date_words(date(2027, 5, 3)) == "lunes 3 de mayo"
    assert date_words(date(2026, 12, 4), year=True) == "Friday 4 December 2026"


def test_the_youth_form_saves_the_preferred_language_and_its_change_is_in_the_history(
    cm_client: Client, case_manager: User
) -> None:
    response = cm_client.post(
        reverse("plans:youth-new"),
        {
            "preferred_name": "Luz Test",
            "client_id": "TEST-0914",
            "birth_year": "2010",
            "admitted_on": "2026-11-20",
            "preferred_language": "es",
        },
    )
    assert response.status_code == 302
    youth = Youth.objects.get(client_id="TEST-0914")
    assert youth.preferred_language == Language.SPANISH

    edit = cm_client.get(reverse("plans:youth-edit", args=[youth.pk])).content.decode()
    assert 'name="preferred_language"' in edit
    response = cm_client.post(
        reverse("plans:youth-edit", args=[youth.pk]),
        {
            "preferred_name": "Luz Test",
            "client_id": "TEST-0914",
            "birth_year": "2010",
            "admitted_on": "2026-11-20",
            "preferred_language": "en",
            "version": str(youth.version),
        },
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.preferred_language == Language.ENGLISH
    changes = [
        change for entry in youth_history(youth, parts=["youth"]) for change in entry.changes
    ]
    assert [(change.label, change.old, change.new) for change in changes] == [
        ("Preferred language", "Español", "English")
    ]


def test_a_youth_form_posted_without_a_language_keeps_the_youths_own(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager, preferred_language=Language.SPANISH)
    data = {
        "preferred_name": youth.preferred_name,
        "client_id": youth.client_id,
        "birth_year": str(youth.birth_year),
        "admitted_on": youth.admitted_on.isoformat(),
        "version": str(youth.version),
    }
    assert cm_client.post(reverse("plans:youth-edit", args=[youth.pk]), data).status_code == 302
    youth.refresh_from_db()
    assert youth.preferred_language == Language.SPANISH


def test_a_language_that_is_not_offered_is_refused_next_to_the_field(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    data = {
        "preferred_name": youth.preferred_name,
        "client_id": youth.client_id,
        "birth_year": str(youth.birth_year),
        "admitted_on": youth.admitted_on.isoformat(),
        "preferred_language": "fr",
        "version": str(youth.version),
    }
    response = cm_client.post(reverse("plans:youth-edit", args=[youth.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    youth.refresh_from_db()
    assert youth.preferred_language == Language.ENGLISH and youth.version == 1


def test_access_right_now_labels_follow_the_active_language_though_rightnow_stays_pure() -> None:
    zone = ZoneInfo("America/New_York")
    access = CategoryAccess(
        category_key="social-media",
        category_name="Social media",
        state=State.OUTSIDE_WINDOW,
        supervised=False,
        until=None,
        next_opening=datetime(2026, 12, 5, 20, 0, tzinfo=zone),  # the Saturday after
        daily_limit_minutes=60,
        as_of=datetime(2026, 12, 1, 10, 0, tzinfo=zone),
    )
    assert access.label == "Closed — opens Sat 20:00"
    with translation.override("es"):
        assert access.label == "Cerrado — abre sáb 20:00"
        assert access.limit_label == "Hasta 60 minutos al día"


def test_a_spanish_speaking_case_manager_reads_the_youth_page_in_spanish(
    case_manager: User,
) -> None:
    User.objects.filter(pk=case_manager.pk).update(language=Language.SPANISH)
    youth = make_full_plan(case_manager)
    html = signed_in_client(case_manager).get(reverse("plans:youth-detail", args=[youth.pk]))
    page = html.content.decode()
    assert "Acceso en este momento" in page
    assert "Editar el plan y las reglas" in page
    assert "Imprimir el plan del o de la joven" in page
    assert "Access right now" not in page

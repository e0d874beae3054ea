"""Each staff member reads the pages in their own language (User.language): chosen on
the Language page of the account menu, or by an administrator in the staff admin."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from shelter.models import Language, User
from shelter.services import staff_set_language

pytestmark = pytest.mark.django_db


def test_the_settings_offer_exactly_the_languages_staff_can_choose() -> None:
    assert [code for code, _ in settings.LANGUAGES] == Language.values
    assert settings.LANGUAGE_CODE == Language.ENGLISH


def test_the_account_menu_links_to_the_language_page(cm_client: Client) -> None:
    page = cm_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("language")}"' in page


def test_the_language_page_shows_the_staff_members_current_choice(
    case_manager: User, cm_client: Client
) -> None:
    staff_set_language(user=case_manager, language=Language.SPANISH)
    response = cm_client.get(reverse("language"))
    assert response.status_code == 200
    assert response.context["form"]["language"].value() == "es"


def test_choosing_spanish_saves_it_and_the_next_pages_say_so_in_their_headers(
    case_manager: User, cm_client: Client
) -> None:
    response = cm_client.post(reverse("language"), {"language": "es"})
    assert response.status_code == 302
    case_manager.refresh_from_db()
    assert case_manager.language == Language.SPANISH
    home = cm_client.get(reverse("home"))
    assert home["Content-Language"] == "es"
    assert '<html lang="es">' in home.content.decode()


def test_an_unknown_language_is_refused_next_to_the_field_and_nothing_changes(
    case_manager: User, cm_client: Client
) -> None:
    response = cm_client.post(reverse("language"), {"language": "xx"})
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    case_manager.refresh_from_db()
    assert case_manager.language == Language.ENGLISH


def test_english_staff_and_anonymous_visitors_get_english_pages(
    cm_client: Client, anon_client: Client
) -> None:
    home = cm_client.get(reverse("home"))
    assert home["Content-Language"] == "en"
    assert '<html lang="en">' in home.content.decode()
    sign_in = anon_client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es")
    assert sign_in["Content-Language"] == "en"
    assert '<html lang="en">' in sign_in.content.decode()


def test_one_staff_members_language_does_not_leak_into_anothers_pages(
    case_manager: User, cm_client: Client, supervisor_client: Client
) -> None:
    staff_set_language(user=case_manager, language=Language.SPANISH)
    assert cm_client.get(reverse("home"))["Content-Language"] == "es"
    assert supervisor_client.get(reverse("home"))["Content-Language"] == "en"


def test_the_language_page_answers_get_and_post_only(cm_client: Client) -> None:
    assert cm_client.put(reverse("language")).status_code == 405


def test_an_administrator_can_set_a_staff_members_language_in_the_staff_admin(
    admin_client_: Client, case_manager: User
) -> None:
    page = admin_client_.get(reverse("admin:shelter_user_change", args=[case_manager.pk]))
    assert page.status_code == 200
    assert 'name="language"' in page.content.decode()


def test_an_administrator_sets_a_staff_members_language_in_the_staff_admin(
    admin_client_: Client, case_manager: User
) -> None:
    response = admin_client_.post(
        reverse("admin:shelter_user_change", args=[case_manager.pk]),
        {
            "username": case_manager.username,
            "first_name": case_manager.first_name,
            "last_name": case_manager.last_name,
            "email": case_manager.email,
            "language": "es",
            "role": "case_manager",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    case_manager.refresh_from_db()
    assert case_manager.language == Language.SPANISH


def test_the_language_page_takes_a_fixed_number_of_queries(
    cm_client: Client, django_assert_num_queries
) -> None:
    cm_client.get(reverse("language"))  # warm the session
    # The session, the signed-in user, the user's groups (their role, for the menu).
    with django_assert_num_queries(3):
        assert cm_client.get(reverse("language")).status_code == 200

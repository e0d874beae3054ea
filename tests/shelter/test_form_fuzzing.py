"""Property-based fuzzing of every form, and of the pages that take them.

Forms are found by introspection (every Form class in every project app's
`forms.py`, and the form of every FilterSet in its `filters.py`), so a new form is
fuzzed the day it is added; one that needs a constructor argument this module
cannot make fails with a message saying what to add to PROVIDERS.

Whatever arrives (any unicode, NUL characters, very long text, huge or negative
numbers, dates far in the past or future, choices that do not exist), a form
answers with errors attached to its fields, or is valid; a page answers with a
200 showing errors, a redirect on success, or a 4xx: never a 500.
"""

import importlib
import importlib.util
import inspect
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from library.models import Resource
from plans.models import Category, HelpContact, Restriction, Youth
from policies.models import PolicyVersion
from shelter.formfields import (
    OUT_OF_RANGE,
    BoundedDateTimeField,
    ModelMultipleChoiceByIdField,
)
from shelter.models import User
from tests.builders import admit_youth, plan_form_data
from tests.policies.builders import approved, contribution, draft, social_media

FORM_EXAMPLES = 25
PAGE_EXAMPLES = 15
FUZZ = settings(
    max_examples=FORM_EXAMPLES,
    deadline=None,
    # The personas and youth are made once per test; every example reuses them.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PAGE_FUZZ = settings(FUZZ, max_examples=PAGE_EXAMPLES)


# Finding every form


def _project_modules(name: str) -> Iterator[ModuleType]:
    """`<app>.<name>` of every app whose code lives in this project (not in a package)."""
    root = Path(django_settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root not in path.parents or ".venv" in path.parts:
            continue
        if importlib.util.find_spec(f"{config.name}.{name}") is not None:
            yield importlib.import_module(f"{config.name}.{name}")


def _defined_in(module: ModuleType, base: type) -> list[type]:
    return [
        cls
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, base) and cls.__module__ == module.__name__
    ]


def _forms_modules() -> Iterator[ModuleType]:
    """Every app's `forms.py`, and the `<part>_forms.py` of a part of an app that keeps
    its own (library/training_forms.py)."""
    yield from _project_modules("forms")
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if Path(django_settings.BASE_DIR).resolve() not in path.parents or ".venv" in path.parts:
            continue
        for file in sorted(path.glob("*_forms.py")):
            yield importlib.import_module(f"{config.name}.{file.stem}")


FORM_CLASSES: list[type[forms.BaseForm]] = [
    cls for module in _forms_modules() for cls in _defined_in(module, forms.BaseForm)
]
FILTERSET_CLASSES: list[type[django_filters.FilterSet]] = [
    cls
    for module in _project_modules("filters")
    for cls in _defined_in(module, django_filters.FilterSet)
]


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# Constructor arguments the forms need, by "module.Class.argument" or by argument name.


def _device_choices() -> list[Any]:
    from desk.forms import OWN_PHONE, DeviceChoice

    category = Category.objects.order_by("pk").first()
    return [DeviceChoice(OWN_PHONE, "Their own phone", None, category, None)]


PROVIDERS: dict[str, Callable[[User], Any]] = {
    "user": lambda user: user,
    "category_choices": lambda user: [(c.pk, c.name) for c in Category.objects.all()],
    "policies.forms.PlanPoliciesForm.choices": lambda user: PolicyVersion.objects.in_force(),
    "desk.forms.CheckOutForm.choices": lambda user: _device_choices(),
}


def _constructor_kwargs(cls: type, user: User) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if name == "self" or parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        provider = PROVIDERS.get(f"{_name(cls)}.{name}") or PROVIDERS.get(name)
        if provider is None:
            pytest.fail(f"Add to PROVIDERS how to make `{name}` for {_name(cls)}.")
        kwargs[name] = provider(user)
    return kwargs


# What arrives in a request

NASTY = [
    "",
    " ",
    "\x00",
    "Fictional\x00text",
    "x" * 100_001,
    "é" * 20_000,
    "\u202eright-to-left",
    "-1",
    "0",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "0000-00-00",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31T20:00",
    "24:00",
    "23:59:60",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]
nasty = st.one_of(st.sampled_from(NASTY), st.text(max_size=60))


def _choice_values(field: forms.ChoiceField) -> list[str]:
    values: list[str] = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            values.extend(str(inner) for inner, _ in label)
        else:
            values.append(str(value))
    return values


def _pks(field: forms.ModelChoiceField) -> list[str]:
    return [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:5]]


def _plausible(field: forms.Field) -> st.SearchStrategy[str]:
    """Well-formed values of the field's own kind (valid or near the edges)."""
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return st.sampled_from(["on", "true", "false", "1", "0", "unknown"])
    if isinstance(field, forms.ModelChoiceField):
        return st.sampled_from(_pks(field) or ["1"])
    if isinstance(field, forms.ChoiceField):
        return st.sampled_from(_choice_values(field) or ["1"])
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return st.one_of(st.integers().map(str), st.floats().map(str))
    if isinstance(field, forms.DateTimeField):
        moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
        return moments.map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))
    if isinstance(field, forms.DateField):
        return st.dates().map(date.isoformat)
    if isinstance(field, forms.TimeField):
        return st.times().map(lambda moment: moment.strftime("%H:%M"))
    return st.text(max_size=300)


def _is_multiple(field: forms.Field) -> bool:
    return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)


def _value(field: forms.Field) -> st.SearchStrategy[Any]:
    one = st.one_of(_plausible(field), nasty)
    return st.lists(one, max_size=4) if _is_multiple(field) else one


def _form_data(form: forms.BaseForm) -> st.SearchStrategy[MultiValueDict]:
    """Any subset of the form's fields, each with a plausible or a nasty value."""
    optional = {form.add_prefix(name): _value(field) for name, field in form.fields.items()}
    return st.fixed_dictionaries({}, optional=optional).map(
        lambda data: MultiValueDict(
            {key: value if isinstance(value, list) else [value] for key, value in data.items()}
        )
    )


def _assert_answered(form: forms.BaseForm) -> None:
    """Valid, or errors that name the form's own fields (or the form as a whole)."""
    if form.is_valid():
        assert not form.errors
        return
    assert form.errors
    assert set(form.errors) <= set(form.fields) | {NON_FIELD_ERRORS}
    for messages in form.errors.values():
        assert all(isinstance(message, str) and message for message in messages)


# Every form


def test_every_forms_module_and_filter_set_is_found() -> None:
    names = {cls.__name__ for cls in FORM_CLASSES + FILTERSET_CLASSES}
    assert {
        "YouthForm",
        "PlanForm",
        "WindowForm",
        "RestrictionImposeForm",
        "DraftForm",
        "ContributionForm",
        "SummaryRangeForm",
        "YouthFilter",
        "RestrictionRegisterFilter",
        "TrainingRecordForm",
        "RequestRegisterFilter",
    } <= names


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=_name)
def test_every_form_answers_any_input_with_field_errors_or_success(
    form_class: type[forms.BaseForm], supervisor: User
) -> None:
    kwargs = _constructor_kwargs(form_class, supervisor)

    @FUZZ
    @given(data=_form_data(form_class(**kwargs)))
    def check(data: MultiValueDict) -> None:
        _assert_answered(form_class(data, **kwargs))

    check()


def _youth(user: User) -> Youth:
    return admit_youth(user, client_id="TEST-FUZZ")


# A saved record for each model a ModelForm edits.
INSTANCE_BUILDERS: dict[str, Callable[[User], Model]] = {
    "plans.youth": _youth,
    "plans.plan": lambda user: _youth(user).plan,
    "plans.helpcontact": lambda user: HelpContact.objects.create(
        plan=_youth(user).plan, name="Fictional aunt", added_by=user
    ),
    "policies.contribution": lambda user: contribution(
        draft(social_media(), user), user, pseudonym="Fictional P."
    ),
}


MODEL_FORMS = [cls for cls in FORM_CLASSES if issubclass(cls, forms.BaseModelForm)]


@pytest.mark.parametrize("form_class", MODEL_FORMS, ids=_name)
def test_every_model_form_editing_a_saved_record_answers_any_input(
    form_class: type[forms.BaseModelForm], supervisor: User
) -> None:
    label = form_class._meta.model._meta.label_lower
    if label not in INSTANCE_BUILDERS:
        pytest.fail(f"Add to INSTANCE_BUILDERS a saved {label} for {_name(form_class)}.")
    instance = INSTANCE_BUILDERS[label](supervisor)
    kwargs = {**_constructor_kwargs(form_class, supervisor), "instance": instance}

    @FUZZ
    @given(data=_form_data(form_class(**kwargs)))
    def check(data: MultiValueDict) -> None:
        _assert_answered(form_class(data, **kwargs))

    check()


@pytest.mark.parametrize("filterset_class", FILTERSET_CLASSES, ids=_name)
def test_every_filter_form_answers_any_input_with_field_errors_or_success(
    filterset_class: type[django_filters.FilterSet], supervisor: User, rf: RequestFactory
) -> None:
    request = rf.get("/")
    request.user = supervisor
    queryset = filterset_class._meta.model.objects.none()

    @FUZZ
    @given(data=_form_data(filterset_class(queryset=queryset, request=request).form))
    def check(data: MultiValueDict) -> None:
        _assert_answered(filterset_class(data, queryset=queryset, request=request).form)

    check()


# Every field but tick boxes (they read any text as "ticked"; nothing is stored as text).
EVERY_TEXT_FIELD = [
    pytest.param(cls, name, id=f"{_name(cls)}.{name}")
    for cls in FORM_CLASSES
    for name, field in cls.base_fields.items()
    if not isinstance(field, forms.BooleanField)
]


@pytest.mark.parametrize(("form_class", "field_name"), EVERY_TEXT_FIELD)
def test_a_nul_character_in_any_field_is_refused_next_to_that_field(
    form_class: type[forms.BaseForm], field_name: str, supervisor: User
) -> None:
    kwargs = _constructor_kwargs(form_class, supervisor)
    if field_name not in form_class(**kwargs).fields:
        # Some fields exist only when editing a saved record (a youth's discharge date).
        model = form_class._meta.model._meta.label_lower  # type: ignore[attr-defined]
        kwargs["instance"] = INSTANCE_BUILDERS[model](supervisor)
    form = form_class(**kwargs)
    data = MultiValueDict({form.add_prefix(field_name): ["Fictional\x00text"]})
    filled = form_class(data, **kwargs)
    assert not filled.is_valid()
    assert field_name in filled.errors


# Pages that take forms: fuzzed POSTs never give a 500


def _fuzzed(base: dict[str, Any], keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """`base` (a valid submission) with any of `keys` replaced by nasty values."""
    return st.fixed_dictionaries({}, optional=dict.fromkeys(keys, nasty)).map(
        lambda changes: {**base, **changes}
    )


def _answered_page(client: Client, method: str, url: str, data: dict[str, Any]) -> None:
    response = getattr(client, method)(url, data)
    status = response.status_code
    assert status in (200, 302) or 400 <= status < 500, status
    if method == "post" and status == 200:
        page = response.content.decode()
        # An error next to a field or above the form, or the "someone else saved" notice.
        marks = ("is-invalid", "invalid-feedback", "alert-danger", 'data-testid="conflict"')
        assert any(mark in page for mark in marks)


def test_the_plan_edit_page_with_rules_and_time_windows_never_fails(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    url = reverse("plans:plan-edit", args=[youth.pk])
    base = plan_form_data(youth)
    base.update(
        {
            "windows-TOTAL_FORMS": "2",
            "windows-0-category": str(Category.objects.order_by("pk").first().pk),  # type: ignore[union-attr]
            "windows-0-weekdays": "0",
            "windows-0-start_time": "20:00",
            "windows-0-end_time": "01:00",
        }
    )
    keys = [key for key in base if not key.endswith("-INITIAL_FORMS")] + [
        "windows-1-category",
        "windows-1-start_time",
        "windows-1-end_time",
        "windows-1-weekdays",
        "windows-0-DELETE",
    ]

    @PAGE_FUZZ
    @given(data=_fuzzed(base, keys))
    def check(data: dict[str, Any]) -> None:
        # A fresh version each time: a save by an earlier example is not a conflict here.
        data["version"] = str(Youth.objects.get(pk=youth.pk).plan.version)
        _answered_page(cm_client, "post", url, data)

    check()


def test_the_new_restriction_page_never_fails(cm_client: Client, case_manager: User) -> None:
    youth = admit_youth(case_manager)
    url = reverse("plans:restriction-new", args=[youth.pk])
    now = datetime.now() + timedelta(minutes=1)  # noqa: DTZ005 - the form reads agency time
    base = {
        "categories": str(Category.objects.order_by("pk").first().pk),  # type: ignore[union-attr]
        "kind": "deny",
        "reason": "Fictional: an unknown adult keeps messaging them.",
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
    }

    @PAGE_FUZZ
    @given(data=_fuzzed(base, [*base, "all_categories"]))
    def check(data: dict[str, Any]) -> None:
        _answered_page(cm_client, "post", url, data)

    check()


def test_the_youth_pages_never_fail(supervisor_client: Client, case_manager: User) -> None:
    youth = admit_youth(case_manager)
    base = {
        "preferred_name": "Testy Fuzz",
        "client_id": "TEST-0100",
        "birth_year": "2010",
        "birth_date": "",
        "admitted_on": "2026-11-01",
        "case_manager": str(case_manager.pk),
    }
    edit_url = reverse("plans:youth-edit", args=[youth.pk])

    @PAGE_FUZZ
    @given(
        new=_fuzzed(base, list(base)),
        edit=_fuzzed({**base, "discharged_on": ""}, [*base, "discharged_on", "version"]),
    )
    def check(new: dict[str, Any], edit: dict[str, Any]) -> None:
        _answered_page(supervisor_client, "post", reverse("plans:youth-new"), new)
        edit.setdefault("version", str(Youth.objects.get(pk=youth.pk).version))
        _answered_page(supervisor_client, "post", edit_url, edit)

    check()


def test_the_policy_draft_and_contribution_pages_never_fail(
    cm_client: Client, case_manager: User
) -> None:
    version = draft(social_media(), case_manager)
    youth = admit_youth(case_manager)
    edit_url = reverse("policies:version-edit", args=[version.pk])
    contribution_url = reverse("policies:contribution-new", args=[version.pk])
    contribution = {
        "youth": str(youth.pk),
        "pseudonym": "",
        "kind": "idea",
        "summary": "Fictional: phones at dinner.",
        "contributed_on": "2026-11-02",
        "facilitated_by": str(case_manager.pk),
        "credit": "first_name",
    }

    @PAGE_FUZZ
    @given(
        text=_fuzzed({"text": "# Fictional\n\nYouth keep phones."}, ["text", "revision"]),
        credit=_fuzzed(contribution, list(contribution)),
    )
    def check(text: dict[str, Any], credit: dict[str, Any]) -> None:
        text.setdefault("revision", str(PolicyVersion.objects.get(pk=version.pk).revision))
        _answered_page(cm_client, "post", edit_url, text)
        _answered_page(cm_client, "post", contribution_url, credit)

    check()


def test_the_policy_review_forms_never_fail(
    supervisor_client: Client, other_supervisor: User, case_manager: User
) -> None:
    in_force = approved(social_media(), case_manager, other_supervisor)
    youth = admit_youth(case_manager)
    plan_url = reverse("policies:plan-policies", args=[youth.plan.pk])

    @PAGE_FUZZ
    @given(choice=_fuzzed({"versions": str(in_force.pk), "expected": ""}, ["versions", "expected"]))
    def check(choice: dict[str, Any]) -> None:
        _answered_page(supervisor_client, "post", plan_url, choice)

    check()


def test_the_training_record_page_never_fails(cm_client: Client) -> None:
    course = Resource.objects.create(title="Fictional course", summary="F.", is_course=True)
    base = {
        "resource": str(course.pk),
        "course_name": "",
        "completed_on": "2026-01-05",
        "hours": "1.5",
    }

    @PAGE_FUZZ
    @given(data=_fuzzed(base, list(base)))
    def check(data: dict[str, Any]) -> None:
        _answered_page(cm_client, "post", reverse("library:training-record-new"), data)

    check()


REGISTER_FILTERS = [
    "status",
    "case_manager",
    "risk_level",
    "review",
    "restricted",
    "start",
    "end",
    "category",
    "kind",
    "approval",
    "policy",
    "page",
]


@pytest.mark.parametrize("report", ["plans", "restrictions", "policies", "requests"])
def test_the_register_filters_and_downloads_never_fail(admin_client_: Client, report: str) -> None:
    page_url = reverse(f"reports:{report}")
    download_url = reverse("reports:register-download", args=[report, "csv"])

    @PAGE_FUZZ
    @given(filters=_fuzzed({}, REGISTER_FILTERS))
    def check(filters: dict[str, Any]) -> None:
        _answered_page(admin_client_, "get", page_url, filters)
        response = admin_client_.post(download_url, {**filters, "deidentified": "on"})
        assert response.status_code in (200, 400), response.status_code
        if response.status_code == 200:
            b"".join(response.streaming_content)

    check()


def test_the_summary_and_youth_list_filters_never_fail(supervisor_client: Client) -> None:
    @PAGE_FUZZ
    @given(
        summary=_fuzzed({}, ["start", "end"]),
        filters=_fuzzed({}, ["status", "case_manager", "risk_level", "review", "page"]),
        search=nasty,
    )
    def check(summary: dict[str, Any], filters: dict[str, Any], search: str) -> None:
        _answered_page(supervisor_client, "get", reverse("reports:summary"), summary)
        response = supervisor_client.post(reverse("reports:summary-download"), summary)
        assert response.status_code in (200, 400)
        supervisor_client.post(reverse("plans:youth-search"), {"q": search})
        _answered_page(supervisor_client, "get", reverse("plans:youth-list"), filters)

    check()


def test_every_multiple_choice_of_records_refuses_ids_no_database_can_hold() -> None:
    plain = [
        f"{_name(cls)}.{name}"
        for cls in FORM_CLASSES
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, ModelMultipleChoiceByIdField)
    ]
    assert plain == [], "Use shelter.formfields.ModelMultipleChoiceByIdField for these"


def test_every_date_and_time_field_refuses_the_edges_of_the_calendar() -> None:
    plain = [
        f"{_name(cls)}.{name}"
        for cls in FORM_CLASSES
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateTimeField) and not isinstance(field, BoundedDateTimeField)
    ]
    assert plain == [], "Use shelter.formfields.BoundedDateTimeField for these"


def test_a_restriction_in_the_last_evening_of_the_calendar_is_refused_next_to_its_dates(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    data = {
        "all_categories": "on",
        "kind": "deny",
        "reason": "Fictional: an unknown adult keeps messaging them.",
        "starts_at": "9999-12-31T20:00",
        "ends_at": "9999-12-31T23:00",
    }
    response = cm_client.post(reverse("plans:restriction-new", args=[youth.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "starts_at": [OUT_OF_RANGE],
        "ends_at": [OUT_OF_RANGE],
    }
    assert not Restriction.objects.exists()


def test_a_huge_category_id_is_an_invalid_choice_not_a_server_error(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    url = reverse("plans:restriction-new", args=[youth.pk])
    response = cm_client.post(url, {"categories": "99999999999999999999999999", "kind": "deny"})
    assert response.status_code == 200
    assert "99999999999999999999999999 is not one of the available choices" in (
        response.content.decode()
    )


def test_a_register_date_at_the_edge_of_the_calendar_is_refused_next_to_it(
    admin_client_: Client,
) -> None:
    response = admin_client_.get(reverse("reports:restrictions"), {"end": "9999-12-31"})
    assert response.status_code in (200, 400)
    assert str(OUT_OF_RANGE) in response.content.decode()


def test_a_page_refusing_a_hidden_field_says_so(cm_client: Client, case_manager: User) -> None:
    version = draft(social_media(), case_manager)
    url = reverse("policies:version-edit", args=[version.pk])
    response = cm_client.post(url, {"text": "# Fictional", "revision": "not a number"})
    assert response.status_code == 200
    assert "This page was out of date or incomplete, so nothing was saved." in (
        response.content.decode()
    )
    assert PolicyVersion.objects.get(pk=version.pk).text == version.text


def test_far_dates_and_times_are_among_the_fuzzed_values() -> None:
    # The edges the issue names stay covered, whatever hypothesis happens to draw.
    assert {"0001-01-01", "9999-12-31", "10000-01-01", "\x00", "99999999999999999999999999"} <= set(
        NASTY
    )
    assert max(len(value) for value in NASTY) > 100_000

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PoliciesConfig(AppConfig):
    default = True
    name = "policies"
    verbose_name = gettext_lazy("Technology policies")

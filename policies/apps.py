from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    default = True
    name = "policies"
    verbose_name = "Technology policies"

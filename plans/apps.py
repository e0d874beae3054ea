from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self) -> None:
        # plans.rightnow stays free of Django: its staff labels get their words
        # in the active language from Django's catalogue through this hook.
        from django.utils import translation

        from plans.rightnow import use_translator

        use_translator(translation)

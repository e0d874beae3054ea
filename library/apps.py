from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class LibraryConfig(AppConfig):
    default = True
    name = "library"
    verbose_name = gettext_lazy("Research and training")

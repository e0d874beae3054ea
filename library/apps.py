from django.apps import AppConfig


class LibraryConfig(AppConfig):
    default = True
    name = "library"
    verbose_name = "Research and training"

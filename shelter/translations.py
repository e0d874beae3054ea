"""Extracting the interface's strings into a locale folder, without touching anything else.

Run from the project root, makemessages would adopt the repository's own locale/ folder
for every file it finds there, whatever LOCALE_PATHS says. So it runs in a scratch root
made of links to the project's own apps and templates, with `locale` linked to the folder
asked for: the catalogue test points it at a copy, scripts/merge-translations at the
repository's locale/.
"""

import os
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings


def translatable_roots() -> list[Path]:
    """The project's own apps and template folders (not tests, scripts or installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    roots = {Path(config.path).resolve() for config in apps.get_app_configs()}
    for engine in settings.TEMPLATES:
        roots.update(Path(folder).resolve() for folder in engine.get("DIRS", []))
    ours = {
        root
        for root in roots
        if root.is_relative_to(base)
        and not root.relative_to(base).parts[0].startswith(".")  # the virtualenv
        and "site-packages" not in root.parts
    }
    # A folder inside another one is extracted with it.
    return sorted(
        root for root in ours if not any(root != o and root.is_relative_to(o) for o in ours)
    )


def make_messages(locale_dir: Path, *, languages: tuple[str, ...] = ("es",)) -> Path:
    """Run makemessages (obsolete entries dropped) so that it writes only into locale_dir.

    Returns the path of the first language's django.po."""
    locale_dir = Path(locale_dir).resolve()
    locale_dir.mkdir(parents=True, exist_ok=True)
    base = Path(settings.BASE_DIR).resolve()
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="makemessages-") as scratch:
        root = Path(scratch)
        for source in translatable_roots():
            link = root / source.relative_to(base)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(source, target_is_directory=True)
        (root / "locale").symlink_to(locale_dir, target_is_directory=True)
        os.chdir(root)
        try:
            with override_settings(LOCALE_PATHS=[root / "locale"]):
                call_command(
                    "makemessages",
                    locale=list(languages),
                    no_obsolete=True,
                    symlinks=True,
                    verbosity=0,
                )
        finally:
            os.chdir(here)
    return locale_dir / languages[0] / "LC_MESSAGES" / "django.po"

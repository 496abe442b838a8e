"""Which installed apps' static files we collect and serve.

viewflow ships the assets of its own Material front end (fonts, icons, scripts: two thirds of all
our static files by size). We use its process engine only: no page of ours, and no viewflow page we
route to, loads them (our pages are Bootstrap from our own static files; our templates override
viewflow's error and sign-in pages). One of those assets, a stylesheet left over from viewflow's
npm build (`viewflow/fonts/roboto/node_modules/…/roboto-fontface.css`), points at fonts the package
does not contain, so the production storage, which rewrites every stylesheet's references to
hashed names, stopped there and the deploy failed. Not shipping what nobody loads removes the
failure at its cause and keeps development and production alike: a template that started to use
viewflow's assets would miss them on the developer's machine too, not only after a deploy.
"""

from django.apps import apps
from django.contrib.staticfiles import finders

# Apps whose static files are never loaded by any page we serve.
APPS_WITHOUT_USED_STATIC_FILES = frozenset({"viewflow"})


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's finder of apps' `static/` directories, without the apps listed above."""

    def __init__(self, app_names=None, *args, **kwargs):
        if app_names is None:
            app_names = [
                config.name
                for config in apps.get_app_configs()
                if config.name not in APPS_WITHOUT_USED_STATIC_FILES
            ]
        super().__init__(app_names, *args, **kwargs)

"""Static files as production ships them: minified, then hashed and compressed by whitenoise."""

from pathlib import Path, PurePosixPath

import rcssmin
import rjsmin
from django.conf import settings
from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


class MinifiedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The sources keep their comments for the people who maintain them; readers download the
    files without comments and indentation (the article's page-weight budget counts them).

    Only the project's own files are minified; Django's admin ships its files as they are."""

    def post_process(self, paths, dry_run=False, **options):
        if not dry_run:
            own = {Path(folder).resolve() for folder in settings.STATICFILES_DIRS}
            for name, (storage, path) in list(paths.items()):
                minify = MINIFIERS.get(PurePosixPath(name).suffix)
                source = Path(storage.path(path)).resolve()
                if minify and any(source.is_relative_to(folder) for folder in own):
                    self._minify(name, minify)
                    # Hashing reads each file from `paths`: from now on, the minified copy.
                    paths[name] = (self, name)
        yield from super().post_process(paths, dry_run=dry_run, **options)

    def _minify(self, name, minify):
        with self.open(name) as file:
            source = file.read().decode()
        self.delete(name)
        self.save(name, ContentFile(minify(source).encode()))

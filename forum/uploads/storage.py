"""Where upload bytes live. Local disk by default; an S3-compatible store can implement the same three
methods (and `send`, e.g. as a redirect to a signed URL)."""

import os
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app, send_file
from werkzeug.exceptions import NotFound


class Storage(Protocol):
    def save(self, key: str, data: bytes) -> None: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...

    def send(self, key: str, content_type: str, download_name: str, as_attachment: bool): ...


class LocalStorage:
    def __init__(self, root: str):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("storage key escapes the storage folder")
        return path

    def save(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A temporary file of its own: two members may upload the same bytes (the same key) at once.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def send(self, key: str, content_type: str, download_name: str, as_attachment: bool):
        path = self._path(key)
        if not path.is_file():  # a row whose file is gone (restored without its files, removed by hand)
            raise NotFound()
        return send_file(
            path, mimetype=content_type, download_name=download_name, as_attachment=as_attachment,
            max_age=3600, conditional=True,
        )


def storage() -> Storage:
    return LocalStorage(current_app.config["FORUM_UPLOADS_DIR"])

"""Files Kreator writes: one check, before anything is written, that names the path.

Every writer replaces its file atomically (a temporary file renamed over it). Renamed over a
folder that fails half-way; renamed over a device or a pipe it would destroy it; renamed over a
symbolic link it would replace the link instead of the file it points to. :func:`check_output`
refuses the first two and resolves the third.
"""

from __future__ import annotations

import os
from pathlib import Path

from kreator.core.errors import InputFileError


def check_output(path: Path, *, field: str | None = None) -> Path:
    """The real path to write ``path`` to (symbolic links followed), or an InputFileError naming
    it: a folder, a folder that does not exist, or something that is not a regular file."""
    if not path.name or path.is_dir():
        raise InputFileError("is a folder, not a file.", where=str(path), field=field,
                             fix="give the path of a file to write.", key="output_is_folder")
    real = Path(os.path.realpath(path))
    if not real.parent.is_dir():
        raise InputFileError(f"the folder {real.parent} does not exist.", where=str(path),
                             field=field, fix="create it first, or choose another folder.",
                             key="output_no_folder", params={"folder": str(real.parent)})
    if real.exists() and not real.is_file():
        raise InputFileError("is not a regular file (a device or a pipe): writing would replace "
                             "it.", where=str(path), field=field,
                             fix="give the path of a file to write.", key="output_not_file")
    return real

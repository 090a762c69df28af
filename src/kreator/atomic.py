"""Every file Kreator writes goes through here: all or nothing under the final name.

The content is written to a temporary file in the same folder, flushed to disk (``fsync``), then
renamed over the final name (``os.replace``, atomic on POSIX) and the folder is synced so the
rename itself survives a power cut. A full disk, a killed process or Ctrl-C leave the final name
as it was (the previous file intact, or no file); a failure is an :class:`InputFileError` that
names the path, never a traceback.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kreator.core.errors import InputFileError
from kreator.core.files import check_output


@contextmanager
def atomic_path(path: Path, *, field: str | None = None) -> Iterator[Path]:
    """A temporary path next to ``path``; renamed over ``path`` only if the block completes."""
    target = check_output(path, field=field)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise unwritable(path, exc, field) from None
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)
        yield tmp
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        raise unwritable(path, exc, field) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str, *, field: str | None = None) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    write_bytes(path, text.encode("utf-8"), field=field)


def write_bytes(path: Path, data: bytes, *, field: str | None = None) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path, field=field) as tmp:
        tmp.write_bytes(data)


def unwritable(path: Path, exc: OSError, field: str | None = None) -> InputFileError:
    """The error for a file that cannot be written (full disk, no permission), naming it."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return InputFileError(f"cannot be written ({reason}).", where=str(path), field=field,
                          fix="choose a folder you can write to, with free space.",
                          key="file_unwritable", params={"reason": reason})


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some file systems do not open folders; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once, at import: os.umask is process-wide, not thread-safe

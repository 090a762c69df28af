"""From the paths a user gives to bounded, in-memory sources: files, zip members, folders.

Sizes are checked before reading (``stat`` for files, the zip directory for members);
entries with unsafe names (``../``, absolute paths) make the whole zip refused; zips inside
zips are opened to :data:`~kreator.importers.limits.MAX_ZIP_DEPTH`. Nothing is written to disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from kreator.core.errors import ImportFileError, Phrase
from kreator.importers import limits as L

STUDIO_ZIP = re.compile(r"^(?P<tab>[A-Za-z]+)_(?P<start>\d{4}-\d{2}-\d{2})_(?P<ts>\d{9,11})_"
                        r"(?P<handle>[^/\\]+)\.zip$", re.IGNORECASE)
"""``<Tab>_<window start>_<unix seconds of download>_<handle>.zip`` (TikTok Studio)."""

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SKIP_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})


@dataclass(frozen=True)
class Hints:
    """What a file's name and container say about its dates and account."""

    download: dt.datetime | None = None
    window_start: dt.date | None = None
    entry_time: dt.datetime | None = None
    mtime: dt.datetime | None = None
    handle: str | None = None

    def reference(self, as_of: dt.date | None) -> tuple[dt.date, str]:
        """The date that dates without a year are placed before, and where it came from."""
        if self.download is not None:
            return self.download.date(), "the download time in the zip name"
        if as_of is not None:
            return as_of, "--as-of"
        if self.entry_time is not None:
            return self.entry_time.date(), "the time stored in the zip"
        if self.mtime is not None:
            return self.mtime.date(), "the file's modification time"
        return dt.date.today(), "today"

    def saved(self) -> tuple[dt.date, str] | None:
        """When the file was saved, as far as it tells (its download time, the time stored in
        its zip, its modification time), or None."""
        for when, basis in ((self.download, "the download time in the zip name"),
                            (self.entry_time, "the time stored in the zip"),
                            (self.mtime, "the file's modification time")):
            if when is not None:
                return when.date(), basis
        return None


@dataclass
class Source:
    """One file's bytes, its display name and where it came from."""

    name: str
    path: Path
    member: str | None
    data: bytes
    explicit: bool
    hints: Hints = field(default_factory=Hints)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def basename(self) -> str:
        return PurePosixPath(self.member).name if self.member else self.path.name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.basename).suffix.lower()

    @property
    def stem(self) -> str:
        return PurePosixPath(self.basename).stem

    @property
    def sha256(self) -> str:
        if "sha256" not in self.cache:
            self.cache["sha256"] = hashlib.sha256(self.data).hexdigest()
        return str(self.cache["sha256"])

    def is_zip(self) -> bool:
        return self.data[:4] in ZIP_MAGIC


@dataclass
class Budget:
    """Bytes and files read so far in one run, against the fixed limits."""

    bytes: int = 0
    files: int = 0

    def take(self, size: int, where: str) -> None:
        if size > L.MAX_FILE_BYTES:
            raise ImportFileError(
                f"is {L.megabytes(size):,.1f} MB; Kreator reads files of at most "
                f"{L.limit_text(L.MAX_FILE_BYTES, 'MAX_FILE_BYTES', 'bytes')}.", where=where,
                fix="give the TikTok export itself (Studio CSVs and the JSON export are small).",
                key="import_file_too_large", params={"size": size, "limit": L.MAX_FILE_BYTES,
                                                        **_mb(size, L.MAX_FILE_BYTES)})
        self.bytes += size
        self.files += 1
        if self.bytes > L.MAX_TOTAL_BYTES:
            raise ImportFileError(
                f"brings this import to {L.megabytes(self.bytes):,.1f} MB; one run reads at most "
                f"{L.limit_text(L.MAX_TOTAL_BYTES, 'MAX_TOTAL_BYTES', 'bytes')}.", where=where,
                fix="import fewer files at a time.", key="import_total_too_large",
                params={"size": self.bytes, "limit": L.MAX_TOTAL_BYTES,
                        **_mb(self.bytes, L.MAX_TOTAL_BYTES)})
        if self.files > L.MAX_FILES:
            raise ImportFileError(f"is file number {self.files:,}; one run reads at most "
                                  f"{L.limit_text(L.MAX_FILES, 'MAX_FILES', 'files')}.",
                                  where=where, fix="import fewer files at a time.",
                                  key="import_too_many_files",
                                  params={"count": self.files, "limit": L.MAX_FILES})


@dataclass
class Expanded:
    sources: list[Source] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)


def expand(paths: list[Path]) -> Expanded:
    """Every readable source under ``paths`` (files, folders, zips), in a stable order."""
    out = Expanded()
    budget = Budget()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            _walk(path, out, budget)
        elif path.exists():
            _add_file(path, path.name, True, out, budget)
        else:
            raise ImportFileError("does not exist.", where=str(path),
                                  fix="check the path (files, zips or folders).",
                                  key="import_no_such_path")
    return out


def _walk(root: Path, out: Expanded, budget: Budget) -> None:
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or path.name.lower() in SKIP_NAMES:
            continue
        if path.is_file():
            _add_file(path, f"{root.name}/{rel.as_posix()}", False, out, budget)


def _add_file(path: Path, name: str, explicit: bool, out: Expanded, budget: Budget) -> None:
    try:
        stat = path.stat()
        budget.take(stat.st_size, name)
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"cannot be read ({exc.strerror}).", where=name,
                              fix="check the path and its permissions.",
                              key="import_unreadable", params={"reason": exc.strerror}) from None
    mtime = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).replace(tzinfo=None)
    hints = _name_hints(path.name, Hints(mtime=mtime))
    src = Source(name, path, None, data, explicit, hints)
    if src.is_zip() and src.suffix != ".xlsx":
        _unzip(src, out, budget, depth=1)
    else:
        out.sources.append(src)


def _name_hints(filename: str, base: Hints) -> Hints:
    m = STUDIO_ZIP.match(filename)
    if not m:
        return base
    try:
        start = dt.date.fromisoformat(m.group("start"))
        download = dt.datetime.fromtimestamp(int(m.group("ts")), dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return base
    if not all(L.FIRST_DAY <= day <= L.LAST_DAY for day in (start, download.date())):
        return base  # not a name TikTok wrote: its dates cannot anchor the rows
    return Hints(download, start, base.entry_time, base.mtime, m.group("handle"))


def open_zip(src: Source) -> zipfile.ZipFile:
    """Open a zip and check its directory against the limits (no member is read yet)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(src.data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise ImportFileError(f"is not a complete zip file ({exc}); it may be truncated.",
                              where=src.name, fix="download it again from TikTok.",
                              key="import_zip_truncated", params={"detail": str(exc)}) from None
    if len(infos) > L.MAX_ZIP_MEMBERS:
        raise ImportFileError(
            f"holds {len(infos):,} entries; Kreator opens zips of at most "
            f"{L.limit_text(L.MAX_ZIP_MEMBERS, 'MAX_ZIP_MEMBERS', 'entries')}.",
            where=src.name,
            fix="give the TikTok download itself.", key="import_zip_too_many_entries",
            params={"count": len(infos), "limit": L.MAX_ZIP_MEMBERS})
    total = 0
    for info in infos:
        _check_entry(src.name, info)
        total += info.file_size
    if total > L.MAX_TOTAL_BYTES:
        raise ImportFileError(
            f"unpacks to {L.megabytes(total):,.1f} MB; Kreator unpacks at most "
            f"{L.limit_text(L.MAX_TOTAL_BYTES, 'MAX_TOTAL_BYTES', 'bytes')}.", where=src.name,
            fix="this is not a TikTok export (or it is damaged); give the original download.",
            key="import_zip_too_large", params={"size": total, "limit": L.MAX_TOTAL_BYTES,
                                                       **_mb(total, L.MAX_TOTAL_BYTES)})
    return zf


def _mb(size: int, limit: int) -> dict[str, float]:
    return {"size_mb": L.megabytes(size), "limit_mb": L.megabytes(limit)}


def _check_entry(where: str, info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
        raise ImportFileError(f"holds an entry with an unsafe name '{name}' (it points outside "
                              "the zip); Kreator refuses the whole zip.", where=where,
                              fix="give the TikTok download itself, not a repacked zip.",
                              key="import_zip_unsafe_name", params={"entry": name})
    if info.file_size > L.MAX_FILE_BYTES:
        raise ImportFileError(
            f"entry '{name}' unpacks to {L.megabytes(info.file_size):,.1f} MB; the limit is "
            f"{L.limit_text(L.MAX_FILE_BYTES, 'MAX_FILE_BYTES', 'bytes')}.", where=where,
            fix="this is not a TikTok export (or it is damaged); give the original download.",
            key="import_zip_entry_too_large",
            params={"entry": name, "size": info.file_size, "limit": L.MAX_FILE_BYTES,
                    **_mb(info.file_size, L.MAX_FILE_BYTES)})
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > L.RATIO_FLOOR_BYTES and ratio > L.MAX_ZIP_RATIO:
        raise ImportFileError(
            f"entry '{name}' is compressed {ratio:,.0f} to 1; the limit is "
            f"{L.limit_text(L.MAX_ZIP_RATIO, 'MAX_ZIP_RATIO', 'to 1')} (a zip bomb?).",
            where=where, fix="give the TikTok download itself.", key="import_zip_bomb",
            params={"entry": name, "ratio": ratio, "limit": L.MAX_ZIP_RATIO})


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    """A member's bytes, never more than its declared size (checked by CRC)."""
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError) as exc:
        raise ImportFileError(f"entry '{info.filename}' cannot be unpacked ({exc}); the zip "
                              "may be truncated or damaged.", where=where,
                              fix="download it again from TikTok.", key="import_zip_entry_damaged",
                              params={"entry": info.filename, "detail": str(exc)}) from None
    if len(data) > info.file_size:
        raise ImportFileError(f"entry '{info.filename}' is larger than its zip directory "
                              "says.", where=where, fix="download it again from TikTok.",
                              key="import_zip_entry_too_long", params={"entry": info.filename})
    return data


def _unzip(src: Source, out: Expanded, budget: Budget, depth: int) -> None:
    zf = open_zip(src)
    hints = _name_hints(src.basename, src.hints)
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        base = PurePosixPath(info.filename).name
        if info.is_dir() or base.startswith(".") or info.filename.startswith("__MACOSX/") \
                or base.lower() in SKIP_NAMES:
            continue
        name = f"{src.name}/{info.filename}"
        budget.take(info.file_size, name)
        data = read_member(zf, info, src.name)
        entry = dt.datetime(*info.date_time) if info.date_time[0] >= 1980 else None
        member_hints = Hints(hints.download, hints.window_start, entry, hints.mtime,
                             hints.handle)
        child = Source(name, src.path, info.filename, data, False, member_hints)
        if child.is_zip() and child.suffix != ".xlsx":
            if depth >= L.MAX_ZIP_DEPTH:
                limit = L.limit_text(L.MAX_ZIP_DEPTH, "MAX_ZIP_DEPTH", "levels")
                out.ignored.append((name, Phrase(
                    f"a zip inside a zip {depth} levels deep; Kreator opens {limit}",
                    "import_zip_too_deep", {"depth": depth, "limit": L.MAX_ZIP_DEPTH})))
                continue
            _unzip(child, out, budget, depth + 1)
        else:
            out.sources.append(child)

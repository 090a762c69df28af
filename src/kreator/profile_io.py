"""Reading and writing Kreator's own profile files (TOML, JSON or YAML).

Keys are the CLI flag names with underscores (``views_30d``); dashes are accepted too.
``audience`` may be a table (``{US = 0.7}``) or the CLI form ``"US=0.7,GB=0.2"``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from kreator.core.errors import InputFileError, ProfileError
from kreator.core.profile import Profile, parse_profile

MAX_PROFILE_BYTES = 1_000_000


def parse_audience(text: str, field: str = "audience") -> dict[str, float]:
    """``"US=0.7,GB=20%"`` -> ``{"US": 0.7, "GB": 0.2}``."""
    out: dict[str, float] = {}
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        code, sep, share = part.partition("=")
        if not sep:
            raise ProfileError(f"'{part}' is not CODE=SHARE.", field=field,
                               fix="write it like US=0.7,GB=0.2 (or US=70%).",
                               key="audience_part", params={"value": part})
        share = share.strip()
        try:
            value = float(share[:-1]) / 100 if share.endswith("%") else float(share)
        except ValueError:
            raise ProfileError(f"share '{share}' for {code.strip()} is not a number.", field=field,
                               fix="write it like US=0.7 or US=70%.", key="audience_share_nan",
                               params={"value": share, "code": code.strip()}) from None
        _add_share(out, code.strip(), value, field)
    return out


def _add_share(out: dict[str, float], code: str, value: float, field: str) -> None:
    """One country's share; a share given twice or one that is not finite is an error."""
    if not math.isfinite(value):
        raise ProfileError(f"share for {code} must be between 0 and 1 (got {value}).",
                           field=field, fix="write shares as 0.7 or 70%.", key="audience_share",
                           params={"code": code, "share": value})
    if code.upper() in (c.upper() for c in out):
        raise ProfileError(f"{code} is given twice.", field=field,
                           fix="give each country once, e.g. US=0.7,GB=0.2.",
                           key="audience_twice", params={"code": code})
    out[code] = value


def read_profile_file(path: str | Path) -> dict[str, Any]:
    """Raw profile values from a file; errors name the file and the line or key."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_PROFILE_BYTES:
            raise InputFileError(f"is {size:,} bytes; a profile file is at most "
                                 f"{MAX_PROFILE_BYTES:,}.", where=str(p), fix="give a profile file.",
                                 key="profile_too_large",
                                 params={"size": size, "limit": MAX_PROFILE_BYTES})
        raw = p.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read it ({exc.strerror}).", where=str(p),
                             fix="check the path.", key="profile_unreadable",
                             params={"reason": exc.strerror}) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError("is not UTF-8 text.", where=str(p), fix="save it as UTF-8.",
                             key="not_utf8") from None
    data = _parse(text, p)
    if not isinstance(data, dict):
        raise InputFileError("must hold a table of profile fields at the top level.", where=str(p),
                             fix="write key = value lines, e.g. followers = 4000.",
                             key="profile_not_a_table")
    out = {str(k).replace("-", "_"): v for k, v in data.items()}
    if isinstance(out.get("audience"), str):
        out["audience"] = parse_audience(out["audience"])
    return out


def _parse(text: str, p: Path) -> Any:
    suffix = p.suffix.lower()
    try:
        if suffix == ".json":
            return json.loads(text)
        if suffix in (".yaml", ".yml"):
            import yaml

            return yaml.safe_load(text)
        import tomllib

        return tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"is not valid JSON: {exc.msg} at line {exc.lineno}, column "
                             f"{exc.colno}.", where=str(p), fix="fix the syntax there.",
                             key="profile_bad_json", params={
                                 "detail": exc.msg, "line": exc.lineno, "column": exc.colno},
                             ) from None
    except Exception as exc:  # yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError
        kind = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}.get(suffix, "TOML")
        if isinstance(exc, RecursionError):
            exc = ValueError("it nests lists or tables too deeply")
        raise InputFileError(f"is not valid {kind}: {exc}".rstrip(".") + ".", where=str(p),
                             fix="fix the syntax there (profiles are .toml, .json or .yaml).",
                             key="profile_file_syntax",
                             params={"kind": kind, "detail": f"{exc}".rstrip(".")}) from None


def load_profile_file(path: str | Path) -> Profile:
    return parse_profile(read_profile_file(path), where=str(path))


def write_profile_file(profile: Profile, path: str | Path) -> None:
    """Write a profile as TOML (or JSON/YAML by extension)."""
    from kreator.atomic import write_text

    p = Path(path)
    data = profile.to_dict(exclude_none=True)
    if p.suffix.lower() == ".json":
        write_text(p, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if p.suffix.lower() in (".yaml", ".yml"):
        import yaml

        write_text(p, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        return
    write_text(p, to_toml(data))


def to_toml(data: dict[str, Any]) -> str:
    """Minimal TOML for a flat profile (plus the audience table)."""
    lines = []
    tables = []
    for k, v in data.items():
        if isinstance(v, dict):
            tables.append(f"\n[{k}]\n" + "".join(f"{c} = {_lit(s)}\n" for c, s in v.items()))
        else:
            lines.append(f"{k} = {_lit(v)}\n")
    return "".join(lines) + "".join(tables)


def _lit(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    return json.dumps(str(v), ensure_ascii=False)

"""Kreator's own profile files (TOML, JSON or YAML; keys are the profile field names).

They fill what the exports cannot know (niche, age, country, sponsored posts...) and rank
last: a value read from a TikTok export wins over the same field typed into a profile file.
Unknown keys are reported when the merged profile is validated, naming this file.
"""

from __future__ import annotations

from typing import Any

from kreator.core.errors import ImportFileError, InputFileError
from kreator.core.profile import PROFILE_FIELDS
from kreator.importers.base import Context, Extract, json_doc
from kreator.importers.model import Facts, Snapshot
from kreator.importers.sources import Source

SUFFIXES = (".toml", ".yaml", ".yml", ".json")


def _fields(doc: Any) -> bool:
    if not isinstance(doc, dict) or not doc:
        return False
    keys = {str(k).replace("-", "_") for k in doc}
    return len(keys & set(PROFILE_FIELDS)) >= max(1, len(keys) // 2)


def parse_profile_bytes(src: Source) -> dict[str, Any]:
    """Raw profile values from TOML/YAML/JSON bytes (keys normalised, audience parsed)."""
    from kreator.profile_io import parse_audience

    try:
        text = src.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("is not UTF-8 text.", where=src.name, fix="save it as UTF-8.",
                              key="not_utf8") from None
    data = json_doc(src) if src.suffix == ".json" else _parse(text, src)
    if not isinstance(data, dict):
        raise ImportFileError("must hold a table of profile fields at the top level.",
                              where=src.name, fix="write key = value lines, e.g. "
                              "followers = 4000.", key="profile_not_a_table")
    out = {str(k).replace("-", "_"): v for k, v in data.items()}
    if isinstance(out.get("audience"), str):
        out["audience"] = parse_audience(out["audience"])
    return out


def _parse(text: str, src: Source) -> Any:
    try:
        if src.suffix in (".yaml", ".yml"):
            import yaml

            return yaml.safe_load(text)
        import tomllib

        return tomllib.loads(text)
    except Exception as exc:  # yaml.YAMLError, tomllib.TOMLDecodeError
        kind = "YAML" if src.suffix in (".yaml", ".yml") else "TOML"
        detail = f"{exc}".rstrip(".")
        raise ImportFileError(f"is not valid {kind}: {exc}".rstrip(".") + ".", where=src.name,
                              fix="fix the syntax there.", key="profile_bad_syntax",
                              params={"kind": kind, "detail": detail}) from None


class KreatorProfile:
    name = "kreator.profile"
    title = "Kreator profile file"
    rank = 9

    def identify(self, src: Source) -> int:
        if src.suffix not in SUFFIXES:
            return 0
        if src.suffix == ".json":
            return 15 if _fields(json_doc(src)) else 0
        try:
            return 15 if _fields(self._read(src)) else 0
        except InputFileError as exc:
            src.cache["table_error"] = exc
            return 1 if src.explicit else 0

    def _read(self, src: Source) -> dict[str, Any]:
        if "profile" not in src.cache:
            src.cache["profile"] = parse_profile_bytes(src)
        data: dict[str, Any] = src.cache["profile"]
        return data

    def extract(self, src: Source, ctx: Context) -> Extract:
        data = self._read(src)
        facts = Facts()
        for key, value in data.items():
            facts.profile[key] = Snapshot(value, f"{src.name}:{key}", self.rank)
        return Extract(facts, 1)

"""The data registry: look up a raw input file by its source id, fetch it and verify it.

``data/sources.yml`` lists every raw file with its sha256 and where it comes from. A file is
taken from the local mirror (``RI_DATA_MIRROR``) when one is configured, otherwise downloaded
with :mod:`pooch` from its commit-pinned URL into the cache. Either way the checksum is
verified; a missing, changed or corrupt file raises :class:`DataSourceError` naming the
source id and the path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import pooch
import yaml

from helpers import config

RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"


class DataSourceError(RuntimeError):
    """A raw input file is unknown, missing, unreachable or fails its checksum."""


@dataclass(frozen=True)
class Source:
    """One raw input file as registered in ``data/sources.yml``."""

    id: str
    dataset: str
    file: str
    sha256: str
    title: str
    publisher: str
    upstream_url: str
    licence: str
    citation: str
    retrieved: str = ""
    repo: str | None = None
    commit: str | None = None
    repo_path: str | None = None
    mirror_only: str | None = None
    role: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def url(self) -> str | None:
        """Commit-pinned download URL, or ``None`` for mirror-only files."""
        if self.mirror_only or not (self.repo and self.commit and self.repo_path):
            return None
        return RAW_URL.format(repo=self.repo, commit=self.commit, path=quote(self.repo_path))

    @property
    def mirror_path(self) -> str:
        """Path of the file inside a mirror directory (``<dataset>/<file>``)."""
        return f"{self.dataset}/{self.file}"


_DATASET_KEYS = {"title", "publisher", "upstream_url", "licence", "citation", "retrieved"}


def load_registry(path: Path | None = None) -> dict[str, Source]:
    """Read the registry file into ``{source_id: Source}``; validates required fields."""
    path = path or config.SOURCES_FILE
    return dict(_load_registry(Path(path)))


@lru_cache(maxsize=4)
def _load_registry(path: Path) -> tuple[tuple[str, Source], ...]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources: dict[str, Source] = {}
    for dataset, meta in doc["datasets"].items():
        missing = (_DATASET_KEYS - {"retrieved"}) - set(meta)
        if missing:
            raise DataSourceError(f"{path}: dataset {dataset!r} lacks {sorted(missing)}")
        for source_id, entry in meta["files"].items():
            if source_id in sources:
                raise DataSourceError(f"{path}: source id {source_id!r} is registered twice")
            if "sha256" not in entry or "file" not in entry:
                raise DataSourceError(f"{path}: source {source_id!r} needs 'file' and 'sha256'")
            if not entry.get("mirror_only") and not entry.get("repo_path"):
                raise DataSourceError(
                    f"{path}: source {source_id!r} needs 'repo_path' (pinned URL) or 'mirror_only'"
                )
            sources[source_id] = Source(
                id=source_id,
                dataset=dataset,
                file=entry["file"],
                sha256=entry["sha256"],
                title=meta["title"],
                publisher=meta["publisher"],
                upstream_url=meta["upstream_url"],
                licence=meta["licence"],
                citation=meta["citation"],
                retrieved=str(meta.get("retrieved", "")),
                repo=entry.get("repo", meta.get("repo")),
                commit=entry.get("commit", meta.get("commit")),
                repo_path=entry.get("repo_path"),
                mirror_only=entry.get("mirror_only"),
                role=entry.get("role"),
            )
    return tuple(sources.items())


def get_source(source_id: str, registry: dict[str, Source] | None = None) -> Source:
    """The registered source with this id; an unknown id lists the known ones."""
    registry = registry if registry is not None else load_registry()
    try:
        return registry[source_id]
    except KeyError:
        known = ", ".join(sorted(registry))
        raise DataSourceError(f"Unknown source id {source_id!r}. Registered ids: {known}") from None


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks (:func:`helpers.config.file_sha256`)."""
    return config.file_sha256(path)


def verify(source: Source, path: Path) -> Path:
    """Check that ``path`` exists and has the registered checksum; return it."""
    if not path.is_file():
        raise DataSourceError(f"Source {source.id!r}: file not found at {path}")
    actual = sha256_of(path)
    if actual != source.sha256:
        raise DataSourceError(
            f"Source {source.id!r}: checksum mismatch for {path}\n"
            f"  expected sha256 {source.sha256}\n  found    sha256 {actual}\n"
            "The file is corrupt or has changed; restore it or update data/sources.yml "
            "after checking the new version."
        )
    return path


def fetch(
    source_id: str,
    *,
    mirror: Path | None | str = "env",
    cache: Path | None = None,
    registry: dict[str, Source] | None = None,
) -> Path:
    """Local path of a verified raw file, from the mirror or downloaded into the cache.

    ``mirror="env"`` (default) uses ``RI_DATA_MIRROR``; pass a directory to override or
    ``None`` to force the download path.
    """
    source = get_source(source_id, registry)
    mirror_root = config.mirror_dir() if mirror == "env" else mirror
    if mirror_root is not None:
        return verify(source, Path(mirror_root) / source.mirror_path)
    if source.url is None:
        raise DataSourceError(
            f"Source {source.id!r} ({source.mirror_path}) has no download URL "
            f"({source.mirror_only}); set {config.MIRROR_ENV} to a directory that holds it."
        )
    target_dir = Path(cache or config.cache_dir()) / source.dataset
    try:
        downloaded = pooch.retrieve(
            url=source.url,
            known_hash=f"sha256:{source.sha256}",
            fname=source.file,
            path=target_dir,
            progressbar=False,
        )
    except ValueError as exc:  # pooch raises ValueError on a hash mismatch
        raise DataSourceError(f"Source {source.id!r}: {exc} (url {source.url})") from exc
    except Exception as exc:  # network errors: name the source and where it was sought
        raise DataSourceError(
            f"Source {source.id!r}: could not download {source.url} into {target_dir}: {exc}. "
            f"Offline? Set {config.MIRROR_ENV} to a local mirror of the raw files."
        ) from exc
    return verify(source, Path(downloaded))


def raw_data_available(source_ids: list[str]) -> tuple[bool, str]:
    """Whether all these sources can be read now, with a reason when not (for test skips)."""
    for source_id in source_ids:
        try:
            fetch(source_id)
        except DataSourceError as exc:
            return False, str(exc).splitlines()[0]
    return True, ""


class SchemaError(DataSourceError):
    """A file does not have the columns, types or values its schema requires."""


def validate(schema: object, df: object, where: Path | str) -> object:
    """Validate ``df`` with a pandera ``schema``; a failure names the file ``where``."""
    import pandera.errors

    try:
        return schema.validate(df, lazy=True)  # type: ignore[attr-defined]
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(10).to_string(index=False)
        raise SchemaError(
            f"{where}: does not match schema {getattr(schema, 'name', '')!r}:\n{cases}"
        ) from None

import csv
import functools
import hashlib
import http.server
import re
import threading
from pathlib import Path

import pytest

from helpers import config
from helpers.data import registry
from helpers.data.registry import DataSourceError, fetch, load_registry


def test_every_registered_file_has_a_pinned_url_or_a_mirror_only_reason():
    sources = load_registry()
    assert len(sources) >= 50
    for source in sources.values():
        assert re.fullmatch(r"[0-9a-f]{64}", source.sha256), source.id
        assert source.publisher and source.licence and source.citation and source.upstream_url
        if source.mirror_only:
            assert source.url is None
        else:
            assert source.url.startswith("https://raw.githubusercontent.com/")
            assert re.search(r"/[0-9a-f]{40}/", source.url), (
                f"{source.id}: URL not pinned to a commit"
            )


def test_registry_matches_the_shared_manifest_when_present():
    manifest = config.ROOT.parent / "shared" / "data" / "raw" / "MANIFEST.tsv"
    if not manifest.is_file():
        pytest.skip(f"no raw-data manifest at {manifest}")
    rows = {r["path"]: r["sha256"] for r in csv.DictReader(manifest.open(), delimiter="\t")}
    registered = {s.mirror_path: s.sha256 for s in load_registry().values()}
    assert registered == rows


def test_url_quotes_special_characters():
    source = load_registry()["nuts2013_1pct_l0"]
    assert source.url.endswith("/NUTS/nuts_0_1%25.json")


def _registry_with(tmp_path: Path, content: bytes, *, mirror_only: bool = False) -> dict:
    digest = hashlib.sha256(content).hexdigest()
    where = "mirror_only: transcribed" if mirror_only else "repo_path: data/f.csv"
    text = f"""
datasets:
  demo:
    title: Demo
    publisher: Test
    upstream_url: https://example.org
    licence: CC0
    citation: Test (2026)
    repo: owner/repo
    commit: {"a" * 40}
    files:
      demo_file:
        file: f.csv
        {where}
        sha256: {digest}
"""
    path = tmp_path / "sources.yml"
    path.write_text(text)
    return load_registry(path)


def test_fetch_from_mirror_verifies_checksum(tmp_path):
    reg = _registry_with(tmp_path, b"a,b\n1,2\n")
    (tmp_path / "mirror" / "demo").mkdir(parents=True)
    good = tmp_path / "mirror" / "demo" / "f.csv"
    good.write_bytes(b"a,b\n1,2\n")
    assert fetch("demo_file", mirror=tmp_path / "mirror", registry=reg) == good


def test_corrupt_file_names_source_id_and_path(tmp_path):
    reg = _registry_with(tmp_path, b"a,b\n1,2\n")
    (tmp_path / "mirror" / "demo").mkdir(parents=True)
    bad = tmp_path / "mirror" / "demo" / "f.csv"
    bad.write_bytes(b"a,b\n1,3\n")
    with pytest.raises(DataSourceError, match="checksum mismatch") as err:
        fetch("demo_file", mirror=tmp_path / "mirror", registry=reg)
    assert "'demo_file'" in str(err.value) and str(bad) in str(err.value)


def test_missing_file_names_source_id_and_path(tmp_path):
    reg = _registry_with(tmp_path, b"x")
    with pytest.raises(DataSourceError, match="not found") as err:
        fetch("demo_file", mirror=tmp_path / "empty", registry=reg)
    assert "'demo_file'" in str(err.value) and str(tmp_path / "empty" / "demo" / "f.csv") in str(
        err.value
    )


def test_unknown_id_lists_registered_ids(tmp_path):
    reg = _registry_with(tmp_path, b"x")
    with pytest.raises(DataSourceError, match="Registered ids: demo_file"):
        fetch("nope", registry=reg)


def test_mirror_only_source_needs_a_mirror(tmp_path):
    reg = _registry_with(tmp_path, b"x", mirror_only=True)
    with pytest.raises(DataSourceError, match="no download URL"):
        fetch("demo_file", mirror=None, registry=reg)


@pytest.fixture
def http_server(tmp_path):
    """Serve tmp_path/www over HTTP on localhost (stands in for GitHub raw)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_download_with_pooch_into_cache_and_checksum_failure(tmp_path, http_server, monkeypatch):
    root, base = http_server
    content = b"a,b\n1,2\n"
    reg = _registry_with(tmp_path, content)
    target = root / "owner/repo" / ("a" * 40) / "data"
    target.mkdir(parents=True)
    (target / "f.csv").write_bytes(content)
    monkeypatch.setattr(registry, "RAW_URL", base + "/{repo}/{commit}/{path}")
    path = fetch("demo_file", mirror=None, cache=tmp_path / "cache", registry=reg)
    assert path.read_bytes() == content and (tmp_path / "cache") in path.parents

    (target / "f.csv").write_bytes(b"tampered\n")
    with pytest.raises(DataSourceError, match="demo_file"):
        fetch("demo_file", mirror=None, cache=tmp_path / "cache2", registry=reg)


def test_schema_failure_names_the_file(tmp_path):
    import pandas as pd

    from helpers.data.processing import ris

    bad = pd.DataFrame({"Indicator": ["x"], "Year": [2020], "Country": ["NL"]})
    with pytest.raises(registry.SchemaError, match="RIS_2023.xlsx"):
        registry.validate(ris.RAW_SCHEMA, bad, "somewhere/RIS_2023.xlsx")

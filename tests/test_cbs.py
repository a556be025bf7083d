"""CBS StatLine loader, offline against recorded OData responses (tests/fixtures/cbs_odata)."""

from __future__ import annotations

import http.server
import os
import re
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from conftest import CBS_FIXTURES
from helpers.data import cbs


def test_fetch_table_resolves_titles_cleans_codes_and_follows_paging(cbs_server):
    table = cbs.fetch_table(
        "85525NED",
        dimensions={"Geslacht": "Totaal mannen en vrouwen", "Leeftijd": "15 tot 75 jaar"},
        period="2016JJ00",
        topics=["Hbo-, wo-bachelor", "Hbo-, wo-master, doctor"],
    )
    data = table.data
    assert len(data) == 7  # 4 rows on the first page, 3 on the page behind odata.nextLink
    assert "GM0363" in set(data["RegioS"])  # 'GM0363    ' without padding
    assert data.loc[data["RegioS"] == "GM0363", "RegioS_titel"].item() == "Amsterdam"
    assert set(data["jaar"]) == {2016}
    assert table.title.startswith("Bevolking; hoogstbehaald onderwijsniveau")
    typed = [r for r in cbs_server.requests if "TypedDataSet" in r]
    assert "Geslacht%20eq%20'T001038'" in typed[0] or "Geslacht eq 'T001038'" in typed[0]
    assert cbs.topic_key(table, "Hbo-, wo-master, doctor") == "k_32HboWoMasterDoctor_6"


def test_second_fetch_comes_from_the_cache(cbs_server):
    args = {"dimensions": {"Geslacht": "Totaal mannen en vrouwen"}, "period": "2016JJ00"}
    first = cbs.fetch_table("85525NED", **args)
    cbs_server.shutdown()  # offline from here on
    second = cbs.fetch_table("85525NED", **args)
    assert not first.from_cache and second.from_cache
    assert second.data.equals(first.data)


def test_unknown_category_title_lists_the_titles(cbs_server):
    with pytest.raises(cbs.CbsError, match=r"85525NED.*'Alle leeftijden'.*15 tot 75 jaar"):
        cbs.fetch_table("85525NED", dimensions={"Leeftijd": "Alle leeftijden"})


def test_unknown_period_lists_the_periods(cbs_server):
    with pytest.raises(cbs.CbsError, match=r"2020JJ00 not available.*2013JJ00.*2016JJ00"):
        cbs.fetch_table("85525NED", period="2020JJ00")


def test_unknown_table_is_a_clear_error(cbs_server):
    with pytest.raises(cbs.CbsError, match="99999NED.*404"):
        cbs.fetch_table("99999NED")


def test_offline_raises_unavailable(monkeypatch, tmp_path):
    monkeypatch.setenv("RI_CBS_ODATA", "http://127.0.0.1:9")  # nothing listens on port 9
    monkeypatch.setenv("RI_DATA_CACHE", str(tmp_path))
    with pytest.raises(cbs.CbsUnavailable, match="not reachable"):
        cbs.fetch_table("85525NED", timeout=2)


# --- deadline over all reads of a table; damaged cache files ---------------------------------


class _TricklingHandler(http.server.BaseHTTPRequestHandler):
    """Serves the recorded responses like conftest's server, but the data page
    (TypedDataSet) comes one byte every 20 ms: its body (``server.slow = "body"``) or, before
    it, 90 header lines (``"headers"``): about 20 s either way. Each byte arrives well within
    the client's per-read timeout; only a deadline over the whole answer stops the wait."""

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        parsed = urllib.parse.urlsplit(self.path)
        table, endpoint = parsed.path.strip("/").split("/")[-2:]
        skip = urllib.parse.parse_qs(parsed.query).get("$skip")
        name = f"{endpoint}.skip{skip[0]}.json" if skip else f"{endpoint}.json"
        base = f"http://127.0.0.1:{self.server.server_port}"
        body = (CBS_FIXTURES / table / name).read_text(encoding="utf-8")
        body = body.replace("__BASE__", base).encode()
        slow = endpoint == "TypedDataSet"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        try:
            if slow and self.server.slow == "headers":  # type: ignore[attr-defined]
                self.flush_headers()
                self._trickle(b"X-Wait: 1\r\n" * 90)  # http.client allows 100
            self.end_headers()
            if slow and self.server.slow == "body":  # type: ignore[attr-defined]
                self._trickle(body)
            else:
                self.wfile.write(body)
        except OSError:  # the client gave up
            pass

    def _trickle(self, data: bytes) -> None:
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.02)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def trickling_server(monkeypatch, tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TricklingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("RI_CBS_ODATA", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("RI_DATA_CACHE", str(tmp_path / "cache"))
    yield server
    server.shutdown()


@pytest.mark.parametrize("slow", ["body", "headers"])
def test_a_trickling_server_is_stopped_by_the_deadline_naming_table_and_deadline(
    trickling_server, monkeypatch, slow
):
    trickling_server.slow = slow
    monkeypatch.setenv("RI_CBS_DEADLINE", "1")
    with pytest.raises(cbs.CbsDeadline, match=r"CBS 85525NED: .*deadline of 1 s .*TypedDataSet"):
        cbs.fetch_table("85525NED", period="2016JJ00", timeout=5)


def test_the_deadline_is_an_argument_and_a_bad_setting_is_named(trickling_server, monkeypatch):
    trickling_server.slow = "body"
    with pytest.raises(cbs.CbsDeadline, match="deadline of 0.5 s"):
        cbs.fetch_table("85525NED", deadline=0.5)
    monkeypatch.setenv("RI_CBS_DEADLINE", "soon")
    with pytest.raises(cbs.CbsError, match="RI_CBS_DEADLINE='soon'"):
        cbs.fetch_table("85525NED")


def _damage(path: Path, how: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text({"truncated": text[: len(text) // 2], "empty": "", "other": "[1, 2]"}[how])


@pytest.mark.parametrize("how", ["truncated", "empty", "other"])
def test_a_damaged_cache_file_is_fetched_again(cbs_server, how):
    first = cbs.fetch_table("85525NED", period="2016JJ00")
    (cache,) = (Path(os.environ["RI_DATA_CACHE"]) / "cbs").glob("85525NED-*.json")
    _damage(cache, how)
    again = cbs.fetch_table("85525NED", period="2016JJ00")
    assert not again.from_cache and again.data.equals(first.data)
    assert cbs.fetch_table("85525NED", period="2016JJ00").from_cache  # written whole again
    assert [p.name for p in cache.parent.iterdir()] == [cache.name]  # no temporary file left


def test_a_damaged_cache_file_offline_is_an_error_naming_it(cbs_server, monkeypatch):
    cbs.fetch_table("85525NED", period="2016JJ00")
    (cache,) = (Path(os.environ["RI_DATA_CACHE"]) / "cbs").glob("85525NED-*.json")
    _damage(cache, "truncated")
    cbs_server.shutdown()
    monkeypatch.setenv("RI_CBS_ODATA", "http://127.0.0.1:9")  # nothing listens on port 9
    with pytest.raises(cbs.CbsUnavailable, match=rf"cache file {re.escape(str(cache))} is damaged"):
        cbs.fetch_table("85525NED", period="2016JJ00", timeout=2)

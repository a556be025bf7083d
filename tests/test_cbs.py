"""CBS StatLine loader, offline against recorded OData responses (tests/fixtures/cbs_odata)."""

from __future__ import annotations

import pytest

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

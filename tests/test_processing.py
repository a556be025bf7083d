import filecmp

import pandas as pd
import pytest

from helpers import config
from helpers.data.checks import DataCheckError
from helpers.data.processing import STEPS, ris, run_all


def test_processing_reproduces_committed_outputs(raw_mirror, tmp_path):
    """Re-run every step from the raw mirror: the committed files must come out identical."""
    written = run_all(tmp_path)
    expected = {f"{name}:{out}" for name, step in STEPS.items() for out in step.OUTPUTS}
    assert len(written) == len(expected)
    for step in STEPS.values():
        for out in step.OUTPUTS:
            committed = config.PROCESSED_DIR / out
            assert committed.is_file(), f"{committed} is not committed"
            assert filecmp.cmp(tmp_path / out, committed, shallow=False), (
                f"{out} differs from the committed file: run `make data` and commit"
            )


def _raw_ris(rows: list[tuple]) -> pd.DataFrame:
    columns = ["Indicator", "Year", "Zone", "Country", "CountryName", "Region", "RegionName",
               "Level", "Value", "performance group"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def test_ris_process_drops_placeholders_and_derives_levels():
    rows = []
    nl = [
        f"NL{c}" for c in ("11", "12", "13", "21", "22", "23", "31", "32", "33", "34", "41", "42")
    ]
    for year in (2016, 2017):
        rows.append(
            (
                ris.SUMMARY_INDICATOR,
                year,
                "EU",
                "EU",
                "EU",
                "EU",
                "EU",
                1,
                100.0 + (year - 2016),
                "EU",
            )
        )
        rows += [
            (ris.SUMMARY_INDICATOR, year, "EU", "NL", "Netherlands", c, c, 1, 120.0, "Leader")
            for c in nl
        ]
        rows.append(
            (
                ris.SUMMARY_INDICATOR,
                year,
                "EU",
                "BE",
                "Belgium",
                "BE1",
                "Brussels",
                1,
                130.0,
                "Leader",
            )
        )
        rows.append(
            (ris.SUMMARY_INDICATOR, year, "EU", "CY", "Cyprus", "CY", "Cyprus", 1, 90.0, "Moderate")
        )
        rows.append(
            (
                ris.SUMMARY_INDICATOR,
                year,
                "non-EU",
                "NO",
                "Norway",
                "NO0B",
                "Jan Mayen",
                1,
                0.0,
                None,
            )
        )
        rows.append(
            (
                "1.1.2 Population (Regional)",
                year,
                "EU",
                "NL",
                "Netherlands",
                "NL31",
                "Utrecht",
                1,
                -0.5,
                None,
            )
        )
    indicators, summary = ris.process(ris.RAW_SCHEMA.validate(_raw_ris(rows)))
    assert "NO0B" not in set(indicators["region"])
    levels = summary.drop_duplicates("region").set_index("region")["nuts_level"]
    assert (
        levels["BE1"] == 1 and levels["CY"] == 0 and levels["NL31"] == 2 and pd.isna(levels["EU"])
    )
    assert len(summary) == 2 * 15


def test_ris_process_refuses_data_without_the_dutch_provinces():
    rows = [(ris.SUMMARY_INDICATOR, 2016, "EU", "EU", "EU", "EU", "EU", 1, 100.0, "EU"),
            (ris.SUMMARY_INDICATOR, 2016, "EU", "NL", "Netherlands", "NL31", "Utrecht", 1, 140.0, "Leader")]  # fmt: skip
    with pytest.raises(DataCheckError, match="NL31"):
        ris.process(ris.RAW_SCHEMA.validate(_raw_ris(rows)))


def test_committed_geometry_is_simplified_and_quantised():
    import json

    path = config.PROCESSED_DIR / "geo" / "nuts2021_l0-2.geojson"
    doc = json.loads(path.read_text())
    coords = json.dumps(doc["features"][0]["geometry"]["coordinates"])
    decimals = max(
        len(x.split(".")[1])
        for x in coords.replace("[", " ").replace("]", " ").replace(",", " ").split()
        if "." in x
    )
    assert decimals <= 3
    props = {tuple(sorted(f["properties"])) for f in doc["features"]}
    assert props == {("code", "country", "level", "name")}
    assert path.stat().st_size < 700_000


def test_committed_geometries_are_polygons_only():
    """Web maps draw one region per feature; a GeometryCollection breaks Leaflet's tooltips."""
    import geopandas as gpd

    for path in sorted((config.PROCESSED_DIR / "geo").glob("*.geojson")):
        kinds = set(gpd.read_file(path).geom_type)
        assert kinds <= {"Polygon", "MultiPolygon"}, f"{path.name}: {kinds}"

"""The Horizon Europe processing step: roles, one row per project and PIC, start year, place by
postcode (PC4) with the city as fallback, programme parts and the PIC -> address table."""

from __future__ import annotations

import pandas as pd

from helpers.data.processing import STEPS, horizon_europe


def _raw(tmp_path):
    parts = pd.DataFrame(
        {
            "projectRcn": [1, 1, 1, 2, 2],
            "organisationID": ["A", "A", "B", "B", "C"],
            "role": ["coordinator", "participant", "participant", "thirdParty", "participant"],
            "ecContribution": [100, 50, 30, 5, 20],
            "activityType": ["HES", "HES", "PRC", "PRC", "REC"],
            "legalName": ["Uni", "Uni", "Firm", "Firm", "Lab"],
            "postalCode": ["5612 AE", "5612 AE", "6200MD", "6200MD", None],
            "city": ["Eindhoven", "Eindhoven", "Maastricht", "Maastricht", "DEN HAAG"],
            "country": ["NL"] * 5,
        }
    )
    projects = pd.DataFrame(
        {
            "projectRcn": [1, 2],
            "startDate": ["2022-09-01", "2025-01-01"],
            "legalBasis": ["HORIZON.2.4;HORIZON.2.4.1", "EURATOM.1.1;HORIZON.1.2"],
        }
    )
    codes = [str(3000 + i) for i in range(3000)]  # the step wants at least 3,000 PC4 areas
    pc4 = pd.DataFrame({"pc4": codes, "plaats": "Elders", "gemeente": "Elders"})
    pc4.loc[pc4["pc4"] == "5612", ["plaats", "gemeente"]] = "Eindhoven"
    paths = [tmp_path / n for n in ("parts.csv", "projects.csv", "pc4.csv")]
    for frame, path in zip((parts, projects, pc4), paths, strict=True):
        frame.to_csv(path, index=False)
    return paths


def test_participations_are_placed_by_postcode_then_city(tmp_path, monkeypatch):
    monkeypatch.setattr(horizon_europe, "require", lambda ok, message: None)  # 3 rows, not 4,000
    paths = _raw(tmp_path)
    out = horizon_europe.participations(*paths)
    assert out[["rcn", "pic"]].values.tolist() == [[1, "A"], [1, "B"], [2, "C"]]  # no thirdParty
    first = out.iloc[0]
    assert first["role"] == "coordinator" and first["contribution"] == 150  # roles summed
    assert first["start_year"] == 2022 and first["plaats_pc4"] == "Eindhoven"
    assert pd.isna(out.iloc[1]["plaats_pc4"]) and out.iloc[1]["plaats"] == "Maastricht"  # PO box
    assert out.iloc[2]["plaats"] == "DEN HAAG" and out.iloc[2]["start_year"] == 2025
    everyone = horizon_europe.participations(*paths, roles=None)
    assert len(everyone) == 4  # B in project 2 as third party
    assert horizon_europe.addresses(everyone)["pic"].tolist() == ["A", "B", "C"]
    parts = horizon_europe.programme_parts(paths[1], {1, 2})
    assert parts.values.tolist() == [[1, "HORIZON.2.4"], [2, "EURATOM"], [2, "HORIZON.1.2"]]


def test_the_step_is_registered():
    assert STEPS["horizon_europe"] is horizon_europe
    assert "pc4_gemeente_2021" in horizon_europe.SOURCES

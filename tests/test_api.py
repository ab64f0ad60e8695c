"""The Python API reaches every engine, with provenance and tables."""

from __future__ import annotations

import pytest

import crisislab
from crisislab.errors import InputError
from crisislab.provenance import canonical_json
from crisislab.report.data import analysis_dict


def test_prisoners_dilemma_through_the_api():
    # Fang, Hipel & Kilgour (1993): mutual defection is the only Nash equilibrium;
    # mutual cooperation is GMR- and SMR-stable (a defection meets retaliation).
    sc = crisislab.load("prisoners-dilemma")
    res = crisislab.stability(sc)
    assert res.equilibria("nash").tolist() == [3]
    assert res.equilibria("gmr").tolist() == [0, 3]
    assert res.equilibria("smr").tolist() == [0, 3]
    assert res.provenance.method == "gmcr.stability"
    df = res.to_pandas()
    assert list(df["nash:equilibrium"]) == [False, False, False, True]


def test_analysis_is_deterministic_and_records_provenance():
    # crisislab.analyze returns the whole ScenarioAnalysis; its conflict part keeps the
    # conflict analysis with its own provenance
    sc = crisislab.load("prisoners-dilemma")
    a = canonical_json(analysis_dict(crisislab.analyze(sc).conflict))
    b = canonical_json(analysis_dict(crisislab.analyze_conflict(sc)))
    assert a == b
    result = crisislab.analyze(sc)
    assert isinstance(result, crisislab.ScenarioAnalysis)
    assert result.to_json() == crisislab.analyze(sc).to_json()
    data = analysis_dict(result.conflict)
    assert data["provenance"]["method"] == "gmcr.analysis"
    assert result.provenance.method == "crisislab.scenario_analysis"
    assert data["provenance"]["version"] == crisislab.__version__


def test_forecast_and_unknown_lens():
    sc = crisislab.load()
    table = crisislab.forecast(sc, issues=["sanctions_intensity"], models=["compromise"]) \
        .to_pandas()
    assert len(table) == 1
    with pytest.raises(InputError):
        crisislab.stability(sc, lens="nobody")


def test_lazy_names_are_the_functions_not_their_modules():
    # Importing crisislab.games.regime_map (for RegimeMap) binds the submodule's name on
    # the package; the exported function must still win.
    import inspect

    from crisislab.games import RegimeMap, regime_map

    assert inspect.isclass(RegimeMap)
    assert inspect.isfunction(regime_map)


def test_a_submodule_imported_first_does_not_shadow_its_function() -> None:
    """``from crisislab.games.regime_map import ...`` before ``from crisislab.games import
    regime_map``: the second still gives the function (in a fresh interpreter, where
    nothing imported the package's lazy name first)."""
    import subprocess
    import sys

    code = ("import inspect\nfrom crisislab.games.regime_map import RegimeMap\n"
            "from crisislab.games import regime_map\n"
            "assert inspect.isfunction(regime_map), regime_map\n"
            "assert inspect.isclass(RegimeMap)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr

"""One compiled model per structure: the key ignores the data, a cached model with new data
has exactly the log density of a model built afresh for those data, and the same
structure is not built (or compiled) twice."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pymc")

import transport  # noqa: E402
from transport.data.load import load_study_data  # noqa: E402
from transport.estimate import mechanisms as mech  # noqa: E402
from transport.estimate import pymc_backend as backend  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def persona():
    study = transport.load(EXAMPLES / "persona_age" / "study.tdag")
    return study, load_study_data(study)


def _subset(loaded, share: float):
    return [dataclasses.replace(d, frame=d.frame.iloc[: int(share * len(d.frame))])
            for d in loaded]


def test_key_ignores_data_but_not_ties(persona):
    study, loaded = persona
    full = mech.build_spec(study, loaded)
    fewer = mech.build_spec(study, _subset(loaded, 0.7))
    assert backend.model_data(full) != {}  # the data really differ ...
    assert len(full.mechanisms["donate"].cells["llm"].n) != len(
        fewer.mechanisms["donate"].cells["llm"].n)
    assert backend.structure_key(full) == backend.structure_key(fewer)  # ... the key not
    shifted = mech.build_spec(study, loaded, shift_scale=1.0)
    assert backend.structure_key(full) != backend.structure_key(shifted)
    assert backend.structure_key(full) != backend.structure_key(full, aggregate=False)
    # another study's structure: the age mechanism declared shared instead of differing
    row = next(r for r in study.assumptions if r.sharing.status == "differs")
    rows = tuple(dataclasses.replace(r, sharing=dataclasses.replace(
        r.sharing, status="shared")) if r == row else r for r in study.assumptions)
    other = dataclasses.replace(study, assumptions=rows)
    assert backend.structure_key(mech.build_spec(other, loaded)) != backend.structure_key(full)


def test_cached_model_with_new_data_is_the_fresh_model(persona):
    study, loaded = persona
    backend.clear_cache()
    first = backend.prepared(mech.build_spec(study, loaded))
    other = mech.build_spec(study, _subset(loaded, 0.6), shift_scale=None)
    again = backend.prepared(other)
    assert again is first and len(backend._CACHE) == 1
    fresh = backend.build_model(other)
    rng = np.random.default_rng(5)
    for _ in range(3):
        point = {v.name: rng.normal(0, 0.4, size=v.shape.eval()) for v in fresh.free_RVs}
        assert backend.model_logp(again.model, point) == pytest.approx(
            backend.model_logp(fresh, point), rel=1e-10)
    # and the data swapped in are the new spec's
    np.testing.assert_array_equal(
        again.model["data__X__donate__llm"].get_value(),
        other.mechanisms["donate"].cells["llm"].X)


def test_prior_sampler_is_compiled_once_and_seeded(persona):
    study, loaded = persona
    backend.clear_cache()
    spec = mech.build_spec(study, loaded)
    entry = backend.prepared(spec)
    a = backend.sample_prior(entry, spec, 50, seed=3)
    b = backend.sample_prior(backend.prepared(mech.build_spec(study, _subset(loaded, 0.5))),
                             spec, 50, seed=3)
    assert entry.compiled == {"prior": 1}
    name = "donate__human__beta"
    np.testing.assert_array_equal(a.prior[name].values, b.prior[name].values)
    c = backend.sample_prior(entry, spec, 50, seed=4)
    assert not np.array_equal(a.prior[name].values, c.prior[name].values)


def test_cache_keeps_at_most_cache_size_structures(persona, monkeypatch):
    study, loaded = persona
    backend.clear_cache()
    monkeypatch.setattr(backend, "CACHE_SIZE", 2)
    specs = [mech.build_spec(study, loaded), mech.build_spec(study, loaded, shift_scale=0.5),
             mech.build_spec(study, loaded, aggregate_rows=False)]
    for spec, aggregate in zip(specs, (True, True, False), strict=True):
        backend.prepared(spec, aggregate=aggregate)
    assert len(backend._CACHE) == 2
    assert backend.structure_key(specs[0]) not in backend._CACHE  # the oldest went first
    # a shift's sd is data, not structure: another sd reuses the shifted model
    backend.prepared(mech.build_spec(study, loaded, shift_scale={"donate": 0.3}))
    assert len(backend._CACHE) == 2
    backend.clear_cache()

"""Posterior draws of the calibration parameters as plain arrays, and the parameters that
apply to a pair, a group, or a new group."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Draws:
    """Flattened draws (S,) of a, b, tau; with groups also (S, G) of a_g, b_g, tau_g and
    the hyper-spreads (S,) used to draw a new group's parameters.

    Without groups a, b, tau are the line itself; with groups they are the population
    means (a = mu_a, b = mu_b, tau = exp(mu_log_tau), the median group tau)."""

    a: np.ndarray
    b: np.ndarray
    tau: np.ndarray
    a_g: np.ndarray | None = None
    b_g: np.ndarray | None = None
    tau_g: np.ndarray | None = None
    sigma_a: np.ndarray | None = None
    sigma_b: np.ndarray | None = None
    sigma_log_tau: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.a)

    @property
    def grouped(self) -> bool:
        return self.a_g is not None

    @classmethod
    def from_chains(cls, draws: dict[str, np.ndarray]) -> Draws:
        """From arrays shaped (chains, draws[, groups])."""
        flat = {}
        for name, values in draws.items():
            values = np.asarray(values, dtype=float)
            flat[name] = values.reshape(values.shape[0] * values.shape[1], *values.shape[2:])
        return cls(**flat)

    def for_pairs(self, group_index: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(S, n) or broadcastable (S, 1) arrays of a, b, tau for each pair."""
        if not self.grouped:
            return self.a[:, None], self.b[:, None], self.tau[:, None]
        return self.a_g[:, group_index], self.b_g[:, group_index], self.tau_g[:, group_index]

    def for_group(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(S,) draws of group k's a, b, tau."""
        return self.a_g[:, k], self.b_g[:, k], self.tau_g[:, k]

    def new_group(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(S,) draws of a, b, tau for a group not in the data (its own random effects)."""
        if not self.grouped:
            return self.a, self.b, self.tau
        z = rng.standard_normal((3, self.size))
        return (
            self.a + self.sigma_a * z[0],
            self.b + self.sigma_b * z[1],
            self.tau * np.exp(self.sigma_log_tau * z[2]),
        )


def thin(values: np.ndarray, keep: int) -> np.ndarray:
    """`keep` evenly spaced draws (all of them when there are fewer)."""
    values = np.asarray(values, dtype=float)
    if len(values) <= keep:
        return values
    return values[np.linspace(0, len(values) - 1, keep).round().astype(int)]

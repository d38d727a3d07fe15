"""Penalised B-splines (P-splines, Eilers & Marx 1996) for a continuous parent.

A curve f(x) = sum_j B_j(x) c_j over cubic B-splines on equally spaced knots spanning the
fitting rows' range, with a second-difference penalty lambda * sum_j (c_j - 2 c_{j-1} +
c_{j-2})^2 on the coefficients. On equally spaced knots the penalty's null space is exactly
the straight lines in x, so as lambda grows the curve becomes the linear model, and as it
shrinks the curve follows the data: the smoothing parameter (chosen by empirical Bayes in
regression.py) decides how far from a straight line the data allow the curve to go.

Outside the knots' range a curve continues as the straight line tangent to it at the
boundary (as a natural spline does), so a covariate value beyond the rows' range is
extrapolated linearly, not by a cubic that can swing anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import BSpline

DEGREE = 3


@dataclass(frozen=True)
class SplineBasis:
    """A cubic B-spline basis of `size` functions on [low, high]."""

    low: float
    high: float
    size: int

    @staticmethod
    def over(values: np.ndarray, size: int) -> SplineBasis:
        """The basis spanning the range of `values` (a degenerate range is widened)."""
        low, high = float(np.min(values)), float(np.max(values))
        if high - low < 1e-9:
            low, high = low - 0.5, high + 0.5
        return SplineBasis(low, high, max(int(size), DEGREE + 1))

    def knots(self) -> np.ndarray:
        inner = self.size - DEGREE  # number of intervals
        step = (self.high - self.low) / inner
        return self.low + step * np.arange(-DEGREE, inner + DEGREE + 1)

    def _basis(self, x: np.ndarray, nu: int = 0) -> np.ndarray:
        knots = self.knots()
        eye = np.eye(self.size)
        out = np.empty((x.size, self.size))
        for j in range(self.size):
            spline = BSpline(knots, eye[j], DEGREE, extrapolate=False)
            out[:, j] = spline(x, nu=nu) if nu else spline(x)
        return np.nan_to_num(out)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """The (rows x size) design; linear continuation outside [low, high]."""
        x = np.asarray(x, dtype=float)
        inside = np.clip(x, self.low, self.high)
        out = self._basis(inside)
        for edge, mask in ((self.low, x < self.low), (self.high, x > self.high)):
            if mask.any():
                at = np.full(1, edge)
                out[mask] = self._basis(at) + (x[mask, None] - edge) * self._basis(at, 1)
        return out

    def penalty(self) -> np.ndarray:
        """D'D for the second-difference matrix D of the coefficients."""
        d = np.diff(np.eye(self.size), n=2, axis=0)
        return d.T @ d

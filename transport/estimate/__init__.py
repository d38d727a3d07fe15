"""Estimation: the posterior of the target effect under the stated assumptions."""

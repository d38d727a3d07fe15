"""Rendering results for people: terminal text now; reports build on the same pieces."""

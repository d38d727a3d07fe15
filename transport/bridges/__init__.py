"""Bridges to other tools' formats and libraries (EDSL results, DoWhy).

Bridges sit above the data layer and below the API: they may read a study, its graph and
its data, never the estimate or report stages. Each imports its tool lazily, so the tool
is needed only by whoever calls the bridge.
"""

"""Data: load each data statement's file, bind columns to variables, validate against the
declared types and designs, and aggregate rows to counts."""

from transport.data.load import LoadedData, load_data, load_study_data

__all__ = ["LoadedData", "load_data", "load_study_data"]

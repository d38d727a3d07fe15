"""Diagnose: what the data say about the study's assumptions before anything is estimated
(the graph's implied independencies tested in every dataset; every data file validated).
Between `data` and `estimate` in the layering; pandas and scipy are used here."""

from transport.diagnose.check_data import DataCheck, FileCheck, check_data
from transport.diagnose.implications import ImplicationReport, ImplicationTest, implication_tests

__all__ = ["DataCheck", "FileCheck", "ImplicationReport", "ImplicationTest", "check_data",
           "implication_tests"]

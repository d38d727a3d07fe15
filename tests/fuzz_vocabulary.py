"""What the fuzzers mutate with: a tokenizer for `.tdag` text and the words and symbols
of the language (shared by tests/test_fuzz.py and tests/benchmarks/fuzz_parser.py)."""

from __future__ import annotations

import re

TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|\s+|<->|->|<-|\.\.|\w+|.', re.DOTALL)
_WORDS = (
    "tdag study population source target var binary continuous count categorical ordinal "
    "latent treatment outcome shared differs partial for because cite sd robust data experiment "
    "observational measures columns estimate effect of on in contrast vs fit chains draws "
    "tune seed sampler cores target_accept question author hypothesis decide if prob "
    "calibration predictions by cluster weight recode scale difference ratio odds_ratio "
    "> < >= <= -> <- <-> { } ( ) , = .. 1 0 "
    '0.5 -1 1e9 "" "x" #'
)
LANGUAGE_WORDS = _WORDS.split()

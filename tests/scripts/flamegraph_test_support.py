"""Shared by the flamegraph tests: the import path of scripts/flamegraph_lib and the data."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts"))


def data_path(name: str) -> str:
    return os.path.join(DATA, name)

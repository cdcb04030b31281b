"""The Python package's tests: run by ctest (python/test_package) with PYTHONPATH set to
the build's python/ folder, STORYLINE (the command) and GENCORPUS (bench/gen_corpus)."""

import os
import subprocess

import pytest


@pytest.fixture(scope="session")
def storyline_cmd():
    path = os.environ.get("STORYLINE")
    if not path:
        pytest.skip("STORYLINE (the command) is not set: run through ctest")
    return path


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """300 generated articles as JSON Lines (bench/gen_corpus: wire copies among them)."""
    gen = os.environ.get("GENCORPUS")
    if not gen:
        pytest.skip("GENCORPUS (bench/gen_corpus) is not set: run through ctest")
    path = tmp_path_factory.mktemp("corpus") / "c.jsonl"
    subprocess.run([gen, "--articles", "300", "--seed", "5", str(path)], check=True,
                   stdout=subprocess.DEVNULL)
    return path

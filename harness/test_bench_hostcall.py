"""Bench smoke test for bench/hostcall/: the runner builds its programs, runs every case on
every backend the build has plus the native RocksDB baseline, and records them. Tiny call
counts; no time is asserted, only that every case ran and reported a time."""
import json
import subprocess
import sys

import wasmlab_env

RUNNER = wasmlab_env.REPO / "bench" / "hostcall" / "run.py"


def test_hostcall_benchmark_runs_every_case(tmp_path):
    done = subprocess.run([sys.executable, str(RUNNER), "--calls", "101", "--runs", "1",
                           "--out", str(tmp_path),
                           "--wasmlab", str(wasmlab_env.wasmlab_binary())],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    record = json.loads((tmp_path / "hostcall.json").read_text())
    expected = {f"wasmlab-{b}" for b in wasmlab_env.built_backends()} | {"native-rocksdb"}
    assert set(record["median_ns"]) >= expected
    for name in expected:
        cases = {"kv-put", "kv-get"} if name == "native-rocksdb" else {
            "guest-call", "trivial", "kv-put", "kv-get"}
        assert set(record["median_ns"][name]) == cases
        assert all(v > 0 for v in record["median_ns"][name].values()), name
    assert "| wasmlab-interp |" in done.stdout

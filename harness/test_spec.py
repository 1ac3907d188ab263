"""The official spec suites: one test per (suite, .wast file, backend), each running
`wasmlab spectest FILE --json` and failing with every failed command's line, expected and got.

Known gaps live in known_failures.json ({suite, file, backend, reason}, plus "line" for a
single command) and become strict xfails (whole file) or must-fail commands (a line), so a gap
that closes is reported too; known failures still count as failed in the conformance matrix."""
import json
import os
import subprocess
import time

import pytest

import wasmlab_env
from conformance import record

TIMEOUT = int(os.environ.get("WASMLAB_SPEC_TIMEOUT", "600"))
SHOWN_FAILURES = 40


def _cases():
    known = wasmlab_env.load_known_failures()
    backends = wasmlab_env.built_backends()
    for suite in wasmlab_env.SUITES:
        for wast in wasmlab_env.suite_files(suite):
            for backend in backends:
                reason = wasmlab_env.known_failure(known, suite, wast.name, backend)
                marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
                yield pytest.param(suite, wast, backend, marks=marks,
                                   id=f"{suite}/{wast.stem}/{backend}")


def _parse_json_lines(stdout):
    records = []
    for line in stdout.splitlines():
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                pass  # a partial line from a crash
    return records


def _describe(failures, extra):
    shown = [f"  line {r['line']}: {r['kind']}: expected {r['expected']}, got {r['got']}"
             + (f" ({r['message']})" if r.get("message") else "")
             for r in failures[:SHOWN_FAILURES]]
    if len(failures) > SHOWN_FAILURES:
        shown.append(f"  ... and {len(failures) - SHOWN_FAILURES} more")
    return "\n".join(extra + shown)


@pytest.mark.parametrize("suite,wast,backend", list(_cases()))
def test_spec(suite, wast, backend, wasmlab, converted_suites):
    args = [str(wasmlab), "spectest", str(wast), "--json", "--backend", backend,
            *wasmlab_env.SUITES[suite]["engine_flags"]]
    started = time.monotonic()
    problems = []
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
        stdout, returncode, stderr = done.stdout, done.returncode, done.stderr
    except subprocess.TimeoutExpired as timeout:
        stdout = (timeout.stdout or b"").decode(errors="replace")
        returncode, stderr = None, ""
        problems.append(f"timed out after {TIMEOUT} s")
    seconds = time.monotonic() - started

    records = _parse_json_lines(stdout)
    failures = [r for r in records if r["outcome"] == "fail"]
    expected = wasmlab_env.known_command_failures(suite, wast.name, backend)
    failed_lines = {r["line"] for r in failures}
    for line, reason in expected.items():
        if line not in failed_lines:
            problems.append(f"line {line} is listed as a known failure ({reason}) but did not fail")
    unexpected = [r for r in failures if r["line"] not in expected]
    passed = sum(r["outcome"] == "pass" for r in records)
    skipped = sum(r["outcome"] == "skip" for r in records)
    total = converted_suites.command_count(suite, wast.name) or len(records)
    not_run = max(0, total - passed - skipped - len(failures))
    if returncode is not None and returncode not in (0, 1):
        problems.append(f"wasmlab exited with status {returncode}: {stderr.strip()[-2000:]}")
    if not_run:
        problems.append(f"{not_run} of {total} commands produced no result")
    failed = total - passed - skipped  # what did not pass and was not skipped
    record(wasmlab_env.suite_label(suite, wast.name), backend, passed, failed, skipped, total,
           seconds, not unexpected and not problems)

    if unexpected or problems:
        pytest.fail(f"{wast.name} [{backend}]: {passed} passed, {failed} failed of {total}\n"
                    + _describe(unexpected, problems), pytrace=False)


@pytest.mark.parametrize("suite", list(wasmlab_env.SUITES))
def test_spec_interp_without_fast_paths(suite, wasmlab):
    """Each suite once more on the interpreter with its fast paths off (WASMLAB_INTERP_SLOW=1):
    the plain translation must agree with the spec exactly where the fused one does, so a
    fusion bug shows up as a difference between this and test_spec (issue 9, bugs 1 and 2)."""
    if "interp" not in wasmlab_env.built_backends():
        pytest.skip("no interpreter in this build")
    known = wasmlab_env.load_known_failures()
    env = {**os.environ, "WASMLAB_INTERP_SLOW": "1"}
    unexpected, passed = [], 0
    for wast in wasmlab_env.suite_files(suite):
        if wasmlab_env.known_failure(known, suite, wast.name, "interp") or \
                (suite == "wasm-2.0" and wast.name.startswith("simd_")):
            continue
        done = subprocess.run([str(wasmlab), "spectest", str(wast), "--json", "--backend", "interp",
                               *wasmlab_env.SUITES[suite]["engine_flags"]],
                              capture_output=True, text=True, timeout=TIMEOUT, env=env)
        expected = wasmlab_env.known_command_failures(suite, wast.name, "interp")
        if done.returncode not in (0, 1):
            unexpected.append(f"{wast.name}: wasmlab exited with status {done.returncode}")
        records = _parse_json_lines(done.stdout)
        passed += sum(r["outcome"] == "pass" for r in records)
        unexpected += [f"{wast.name}:{r['line']}: expected {r['expected']}, got {r['got']}"
                       for r in records if r["outcome"] == "fail" and r["line"] not in expected]
    assert not unexpected, "\n".join(unexpected[:SHOWN_FAILURES])
    assert passed > 0, "no command passed: the suite did not run"

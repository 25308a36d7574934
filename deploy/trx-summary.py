#!/usr/bin/env python3
"""Sums the counters of every TRX file under a folder into one line: Tests: N passed, N failed, N skipped.
Exits 1 when any test failed or when no results were found."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.trx")) if pathlib.Path(sys.argv[1]).is_dir() else []
for trx in files:
    counters = ET.parse(trx).getroot().find(f"{NS}ResultSummary/{NS}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    # Skipped tests are counted in total but not in executed (notExecuted stays 0 for xunit skips).
    skipped += int(counters.get("total", 0)) - int(counters.get("executed", 0))
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or not files else 0)

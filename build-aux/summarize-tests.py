#!/usr/bin/env python3
"""Add up meson's test logs of several build directories into one line:
'N passed, N failed, N skipped' (subtests of TAP tests counted one by one)."""
import json
import sys
from pathlib import Path

passed = failed = skipped = 0
for build in sys.argv[1:]:
    log = Path(build) / "meson-logs" / "testlog.json"
    if not log.exists():
        print(f"summarize: no test log in {build}", file=sys.stderr)
        failed += 1
        continue
    for line in log.read_text().splitlines():
        test = json.loads(line)
        result = test["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            # A TAP test reports its subtests in its stdout.
            ok = sum(1 for l in test.get("stdout", "").splitlines() if l.startswith("ok "))
            skip = sum(1 for l in test.get("stdout", "").splitlines()
                       if l.startswith("ok ") and "# SKIP" in l)
            passed += max(ok - skip, 1 if ok == 0 else 0)
            skipped += skip
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
            print(f"summarize: {build}: {test['name']}: {result}", file=sys.stderr)

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)

"""`python -m bench.profile NAME`: run one benchmark under py-spy and print where its time goes.

Prints each function's inclusive share of the samples (a function's own time plus its callees'), largest first,
and keeps py-spy's raw stacks in `build/bench/profile-NAME.txt` for a flame graph. `--gil` samples only the thread
holding the GIL (where CPU-bound Python spends its time); `--idle` also samples waiting threads.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.__main__ import BY_NAME
from bench.runner import ROOT

# Frames every threaded stack shares; they say nothing about where the time goes.
_PLUMBING = ("threading.py)", "concurrent/futures/thread.py)", "<module> (")


def _frame_name(frame: str) -> str:
    """`function (package/module.py)` from py-spy's `function (path/to/module.py:line)`."""
    function, _, where = frame.partition(" (")
    if not where:
        return frame
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "python3.11/", str(ROOT) + "/"):
        path = path.split(marker)[-1]
    return f"{function} ({path})"


def inclusive_shares(raw: str, within: str | None = None) -> tuple[int, list[tuple[str, float]]]:
    """Total samples and each function's share of them, counted once per stack; only stacks through `within`."""
    counts: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        frames = [_frame_name(f) for f in stack.split(";")]
        if within and not any(within in f for f in frames):
            continue
        total += int(number)
        for name in set(frames):
            if not name.endswith(_PLUMBING) and not name.startswith(("thread (", "process (", "<module> (")):
                counts[name] += int(number)
    return total, [(name, count / total) for name, count in counts.most_common()] if total else []


def main(argv: list[str] | None = None) -> int:
    """Profile one benchmark run (one repeat) and print the top functions."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("name", choices=sorted(BY_NAME))
    parser.add_argument("--quick", action="store_true", help="tiny sizes")
    parser.add_argument("--rate", type=int, default=100, help="samples per second")
    parser.add_argument("--gil", action="store_true", help="sample only the thread holding the GIL")
    parser.add_argument("--idle", action="store_true", help="also sample threads that are waiting")
    parser.add_argument("--within", help="count only stacks through a function whose name contains this")
    parser.add_argument("--top", type=int, default=40, help="how many functions to print")
    args = parser.parse_args(argv)
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(py_spy).exists():
        parser.error("py-spy is not installed; run `make install-dev`")
    bench = BY_NAME[args.name]
    out = ROOT / "build" / "bench" / f"profile-{args.name}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        worker = [sys.executable, "-m", "bench.worker", bench.entry, "--repeat", "1", "--out", f"{tmp}/result.json"]
        worker += ["--quick"] if args.quick else []
        command = [py_spy, "record", "--format", "raw", "--rate", str(args.rate), "--threads", "-o", str(out)]
        command += (["--gil"] if args.gil else []) + (["--idle"] if args.idle else [])
        subprocess.run([*command, "--", *worker], cwd=ROOT, check=True)
    total, shares = inclusive_shares(out.read_text(encoding="utf-8"), args.within)
    print(f"{total} samples{f' through {args.within}' if args.within else ''}; raw stacks in {out}")
    for name, share in shares[: args.top]:
        print(f"{share * 100:5.1f}%  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

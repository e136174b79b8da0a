"""Run one benchmark in its own process, bounded in time, and measure its peak resident memory."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allegations.core.files import write_json

ROOT = Path(__file__).resolve().parent.parent
PARTIAL_ENV = "BENCH_PARTIAL_OUT"


def write_partial(result: dict[str, Any]) -> None:
    """Leave the figures measured so far where the runner finds them if it has to stop this benchmark."""
    path = os.environ.get(PARTIAL_ENV)
    if path:
        write_json(Path(path), result)


@dataclass(frozen=True)
class Benchmark:
    """A benchmark: `module:function` taking `quick=` and `repeat=` and returning figures; bounds and targets."""

    name: str
    entry: str
    description: str
    default_repeat: int = 5
    timeout_s: float = 900.0
    quick_timeout_s: float = 180.0
    targets: dict[str, tuple[str, float]] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return self.entry.partition(":")[0]


def _tree_pids(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                continue
    return pids


def descendants_cpu_seconds(root: int) -> float:
    """User plus system CPU seconds so far of every live descendant of `root` (not `root` itself)."""
    total = 0.0
    for pid in _tree_pids(root)[1:]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


def _tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants, summed (0 where /proc is unavailable)."""
    total = 0
    for pid in _tree_pids(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total


def run_in_subprocess(bench: Benchmark, *, quick: bool, repeat: int) -> dict[str, Any]:
    """Run `bench` in a fresh interpreter; returns its result with status, wall time and peak memory."""
    timeout = bench.quick_timeout_s if quick else bench.timeout_s
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out_path = Path(tmp) / "result.json"
        command = [sys.executable, "-m", "bench.worker", bench.entry, "--repeat", str(repeat), "--out", str(out_path)]
        if quick:
            command.append("--quick")
        partial_path = Path(tmp) / "partial.json"
        started = time.perf_counter()
        env = {**os.environ, PARTIAL_ENV: str(partial_path)}
        proc = subprocess.Popen(command, cwd=ROOT, start_new_session=True, env=env)
        peak_tree_kib, status, usage = 0, None, None
        while status is None:
            pid, wait_status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status, usage = os.waitstatus_to_exitcode(wait_status), rusage
                proc.returncode = status
                break
            peak_tree_kib = max(peak_tree_kib, _tree_rss_kib(proc.pid))
            if time.perf_counter() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                _, wait_status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(wait_status)
                partial = json.loads(partial_path.read_text(encoding="utf-8")) if partial_path.is_file() else {}
                return partial | {
                    "status": "timeout",
                    "reason": f"stopped after {timeout:.0f} s" + ("; figures up to then" if partial else ""),
                    "wall_s": time.perf_counter() - started,
                    "peak_rss_mb": usage.ru_maxrss / 1024,
                    "peak_tree_rss_mb": peak_tree_kib / 1024,
                }
            time.sleep(0.2)
        wall = time.perf_counter() - started
        result: dict[str, Any] = {"wall_s": wall, "peak_tree_rss_mb": peak_tree_kib / 1024}
        if status == 0 and out_path.is_file():
            result.update(json.loads(out_path.read_text(encoding="utf-8")))
            result.setdefault("status", "ok")
        else:
            result.update(status="failed", reason=f"exit code {status}; see the output above")
        # wait4 reports the larger of the worker's own peak and its waited-for children's (Linux).
        result.setdefault("peak_rss_mb", usage.ru_maxrss / 1024 if usage else None)
        return result


def self_peak_rss_mb() -> dict[str, float]:
    """This process's peak resident memory, and the largest of its finished children's (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": own, "peak_children_rss_mb": children}

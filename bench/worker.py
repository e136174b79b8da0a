"""Child-process entry point: import one benchmark module, run it, write its figures and peak memory as JSON."""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

from bench.runner import self_peak_rss_mb


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.worker MODULE[:FUNCTION] --repeat N [--quick] --out PATH` (FUNCTION defaults to run)."""
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("entry")
    parser.add_argument("--repeat", type=int, required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    module_name, _, function = args.entry.partition(":")
    measure = getattr(importlib.import_module(module_name), function or "run")
    result = measure(quick=args.quick, repeat=args.repeat)
    result.update(self_peak_rss_mb())
    args.out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

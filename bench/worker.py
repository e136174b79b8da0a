"""Child-process entry point: import one benchmark module, run it, write its figures and peak memory as JSON."""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

from bench.runner import self_peak_rss_mb


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.worker MODULE --repeat N [--quick] --out PATH`."""
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("module")
    parser.add_argument("--repeat", type=int, required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    module = importlib.import_module(args.module)
    result = module.run(quick=args.quick, repeat=args.repeat)
    result.update(self_peak_rss_mb())
    args.out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Evaluation: score any extractor's output against hand-labeled gold records."""

from allegations.eval.harness import EvalReport, evaluate, evaluate_callable, evaluate_files, write_html, write_json

__all__ = ["EvalReport", "evaluate", "evaluate_callable", "evaluate_files", "write_html", "write_json"]

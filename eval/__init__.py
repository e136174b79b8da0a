"""Evaluation: score any extractor's output against hand-labeled gold records."""

from eval.harness import EvalReport, evaluate, evaluate_callable, evaluate_files

__all__ = ["EvalReport", "evaluate", "evaluate_callable", "evaluate_files"]

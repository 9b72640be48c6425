"""Render aggregated metrics as a markdown report."""

from typing import Any

_COLUMNS = (
    "n",
    "hit@5",
    "mrr",
    "answered",
    "fact_accuracy",
    "short_accuracy",
    "citation_precision",
    "abstention_precision",
    "abstention_recall",
    "conflict_precision",
    "conflict_recall",
    "utility",
    "related_recall",
    "related_false_alarm",
    "generated",
    "faithfulness",
    "p50_ms",
    "p95_ms",
)


def markdown(summary: dict[str, dict[str, Any]], meta: dict[str, Any]) -> str:
    """One table per split: a row per mode and slice."""
    lines = ["# trainer-qa eval report", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items()]
    for split in ("holdout", "tune", "all", "offtopic"):
        lines += [
            "",
            f"## split: {split}",
            "",
            "| mode | slice | " + " | ".join(_COLUMNS) + " |",
            "|" + "---|" * (len(_COLUMNS) + 2),
        ]
        for key, row in summary.items():
            mode, sp, sl = key.split("/")
            if sp == split:
                lines.append(f"| {mode} | {sl} | " + " | ".join(_fmt(row[c]) for c in _COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) <= 1 else f"{value:.1f}"
    return str(value)

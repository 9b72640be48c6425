"""python -m eval: score the service on the gold set and the off-topic questions; `calibrate` fits the
abstention thresholds, `related` the related-passages floor, `curated` the curated answers' match thresholds.

The in-process run asks the engine itself: curated answers are never consulted there (the store is
the service's); `--url` measures a running service, curated answers included when its store has any."""

import json
import time
from pathlib import Path
from typing import Annotated, cast

import typer

from answer.curated import Thresholds
from answer.engine import QAEngine
from answer.followup import corpus_knows
from answer.generation.generator import make_generator
from answer.generation.prompt import PROMPT_VERSION
from eval.calibrate import fit_related_floor, fit_thresholds
from eval.clients import Client, HttpClient, InProcessClient
from eval.curated import fit as fit_curated
from eval.curated import load_probes
from eval.curated import report as curated_report
from eval.gold import load_gold, load_offtopic, load_reviewed
from eval.report import markdown
from eval.run import MODES, aggregate, as_rows, evaluate, spread
from index.corpus import load_documents
from index.glossary import Glossary, load_domain_glossary
from index.language import has_han
from index.tokenize import tokenize
from index.types import Mode
from service.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=False)
REVIEWED_HELP = "reviewed gold questions (the slice 'reviewed'); TRAINERQA_REVIEWED_GOLD if not given"


@app.callback(invoke_without_command=True)
def run(
    ctx: typer.Context,
    url: Annotated[str, typer.Option(help="base URL of a running service; in process if empty")] = "",
    modes: Annotated[list[str] | None, typer.Option("--mode", help="dense, bm25, hybrid")] = None,
    out: Annotated[Path, typer.Option(help="folder for the JSON result")] = Path("eval/results"),
    report: Annotated[Path, typer.Option(help="markdown report path")] = Path("eval/report.md"),
    reviewed: Annotated[Path | None, typer.Option(help=REVIEWED_HELP)] = None,
    slices: Annotated[list[str] | None, typer.Option("--slice", help="only these slices (e.g. reviewed)")] = None,
    generator: Annotated[
        str, typer.Option(help="openai: also score a model's verified answers beside the extractive reader's")
    ] = "",
    generator_url: Annotated[str, typer.Option(help="the model server's base URL, e.g. http://host:8000/v1")] = "",
    model: Annotated[str, typer.Option(help="the model's name on that server")] = "",
    limit: Annotated[int, typer.Option(help="only about this many gold questions, spread over the set (0: all)")] = 0,
) -> None:
    """Run every gold question (or those of the given slices) under each mode; print and save the metrics."""
    if modes is None:
        modes = list(MODES)
    if ctx.invoked_subcommand:
        return
    settings = Settings()
    if generator:
        settings = Settings(generator=generator, generator_url=generator_url, generator_model=model)
    engine = None if url else QAEngine.open(settings)
    client: Client = HttpClient(url) if engine is None else InProcessClient(engine)
    documents = load_documents(settings.corpus_dir)
    by_id = {d.doc_id: d for d in documents}
    reviewed = reviewed or settings.reviewed_gold
    gold, added = load_gold(by_id), load_reviewed(by_id, reviewed)
    gold = spread(gold, limit) if limit else gold
    offtopic = load_offtopic()
    unknown = set(modes) - set(MODES)
    if unknown:
        raise typer.BadParameter(f"unknown mode(s) {sorted(unknown)}; choose from {MODES}")
    vocabulary = {t for d in documents for t in tokenize(d.text)}
    glossary = Glossary([t for t in vocabulary if has_han(t)], load_domain_glossary(settings.corpus_dir))
    questions = [q for q in gold + added + offtopic if not slices or q.slice in slices]
    if not questions:
        raise typer.BadParameter(f"no question in the slice(s) {slices}")
    knows = corpus_knows(vocabulary, glossary)
    results = evaluate(client, questions, [cast(Mode, m) for m in modes], knows)
    if generator and engine is not None:  # the model's answers, beside the reader's they start from
        generating = InProcessClient(engine, make_generator(settings))
        results += evaluate(generating, questions, ["hybrid"], knows, label=f"+{generator}")
    summary = aggregate(results)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "target": url or "in process",
        "embedder": settings.embedder,
        "questions": len(gold),
        "reviewed_questions": len(added),
        "offtopic_questions": len(offtopic),
        "abstain_below": settings.abstain_below,
        "related_floor": settings.related_floor,
    }
    if generator:
        meta |= {"generator": f"{generator} {model} at {generator_url}", "prompt": PROMPT_VERSION}
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps({"meta": meta, "summary": summary, "questions": as_rows(results)}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    text = markdown(summary, meta)
    report.write_text(text, encoding="utf-8")
    typer.echo(text)


@app.command()
def calibrate(reviewed: Annotated[Path | None, typer.Option(help=REVIEWED_HELP)] = None) -> None:
    """Fit the abstention thresholds on the tune split (with the reviewed questions) and show how they do on the
    holdout."""
    settings = Settings().model_copy(update={"abstain_below": float("-inf"), "min_coverage": 0.0, "min_focus": 0.0})
    engine = QAEngine.open(settings)
    documents = engine.index.documents
    gold = load_gold(documents) + load_reviewed(documents, reviewed or settings.reviewed_gold)
    typer.echo(fit_thresholds(InProcessClient(engine), gold))


@app.command()
def curated() -> None:
    """Fit the curated-answer match thresholds on eval/curated_paraphrases.jsonl (tune rows; holdout shown)."""
    settings = Settings()
    probes = load_probes(QAEngine.open(settings))
    configured = Thresholds(settings.curated_same_lang, settings.curated_cross_lang)
    typer.echo(curated_report(probes, fit_curated([p for p in probes if p.split == "tune"]), configured))


@app.command()
def related() -> None:
    """Fit the related-passages floor on the tune split and the tune half of the off-topic questions."""
    engine = QAEngine.open(Settings().model_copy(update={"related_floor": float("-inf")}))
    gold, offtopic = load_gold(engine.index.documents), load_offtopic("tune")
    typer.echo(fit_related_floor(InProcessClient(engine), gold, offtopic))


if __name__ == "__main__":
    app()

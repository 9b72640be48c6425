"""Dev loop: tune split only (never print holdout)."""
import sys, json
from pathlib import Path
from answer.engine import QAEngine
from eval.clients import InProcessClient
from eval.gold import load_gold
from eval.run import evaluate, aggregate
from index.corpus import load_documents
from index.tokenize import tokenize
from service.settings import Settings
over = dict(a.split("=") for a in sys.argv[1:])
s = Settings(index_dir=Path("/tmp/devindex"), **{k: float(v) for k, v in over.items()})
engine = QAEngine.open(s)
docs = load_documents(s.corpus_dir)
gold = [q for q in load_gold({d.doc_id: d for d in docs}) if q.split == "tune"]
from answer.followup import corpus_knows
import os
res = evaluate(InProcessClient(engine), gold, ["hybrid"], corpus_knows(engine.terms.df, engine.retriever.glossary), k=int(os.environ.get("K", "5")))
agg = aggregate(res)
keys = ["n","hit@5","answered","fact_accuracy","short_accuracy","abstention_precision","abstention_recall","conflict_precision","conflict_recall","utility"]
for k, row in agg.items():
    if "/tune/" in k:
        print(f"{k:28}", " ".join(f"{c[:8]}={row[c]:.2f}" if isinstance(row[c], float) else f"{c[:8]}={row[c]}" for c in keys))
json.dump([r.__dict__ for r in res], open("/tmp/dev_eval.json", "w"), ensure_ascii=False, indent=0)

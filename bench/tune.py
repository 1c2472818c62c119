"""Benchmark: the ranking constants cross-validated on ALQAC 2023 dev, next to the baselines of the same run.

The 216 statements of train.json + test.json are cut into 5 folds (statement
i goes to fold i mod 5). For each fold the constants in KNOBS are tuned on the
other four by coordinate descent (each constant in turn tries its few values,
the others held; two passes), and the tuned constants score the held-out fold.
The objective is the mean of MRR@10 as written and without diacritics. A
fold's figure is what the constants earn on statements they never saw; the
mean and spread over the folds is the figure to quote, not the best fold.

Every configuration is evaluated once on all statements and cached by its
values, so folds that visit the same configuration share the work. The
baselines of bench/baselines.py answer the same statements in the same run.

    python bench/tune.py                     # JSONL records (ready title), the tuning
    python bench/tune.py --txt               # the articles as .txt files through `python -m indexer build`
    python bench/tune.py --knob long_heading # tune only these constants (the others at their defaults)
    python bench/tune.py --compare           # no tuning: every knob's values, one at a time, on all folds

The data is read in place (see bench/alqac.py) and never copied into the
repository; without it the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# bench/ is a folder of scripts: run as `python bench/<script>.py`, Python puts bench/ first on
# sys.path, so a sibling imports by name.
import alqac
import baselines

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

K = 10
FOLDS = 5
FORMS = (("as written", lambda text: text), ("no diacritics", alqac.strip_diacritics))


def _set_attr(module: str, name: str):
    def setter(value):
        setattr(importlib.import_module(module), name, value)
    return setter


def _set_item(module: str, name: str, key: str):
    def setter(value):
        weights = getattr(importlib.import_module(module), name)
        if value:
            weights[key] = value
        else:
            weights.pop(key, None)
    return setter


def _set_weighting(attribute: str):
    def setter(value, snap=None):
        if snap is not None:
            setattr(snap.searcher.weighting, attribute, value)
    setter.needs_snapshot = True
    return setter


def _default(module: str, name: str, key: str | None = None):
    found = getattr(importlib.import_module(module), name)
    return found.get(key, 0.0) if key is not None else found


# name -> (setter, values tried; the first is today's value). Small grids: the machine is shared.
def knobs() -> dict:
    q = "searcher.query"
    table = {
        "k1": (_set_weighting("K1"), [0.9, 1.2, 1.6]),
        "b": (_set_weighting("B"), [0.9, 0.75, 0.5]),
        "long_title": (_set_item(q, "LONG_FIELD_WEIGHTS", "title"), [1.0, 2.0, 3.0]),
        "long_heading": (_set_item(q, "LONG_FIELD_WEIGHTS", "heading"), [0.0, 0.5, 1.0]),
        "min_share": (_set_attr(q, "LONG_QUERY_MIN_SHARE"), [0.3, 0.2, 0.25]),
        "long_words": (_set_attr(q, "LONG_QUERY_WORDS"), [6, 4, 8]),
        "proximity": (_set_attr(q, "PROXIMITY_WEIGHT"), [2.0, 1.0, 3.0]),
        "proximity_run": (_set_attr(q, "LONG_PROXIMITY_RUN"), [3, 2]),
        "folded_weight": (_set_attr(q, "FOLDED_WEIGHT"), [0.35, 0.2, 0.5]),
        "window": (_set_attr("searcher.sections", "WINDOW_WEIGHT"), [0.5, 0.0, 1.0]),
    }
    # The known causes of issue 13, each a switch (today's value first).
    table["proximity_fields"] = (_set_attr(q, "LONG_PROXIMITY_FIELDS"), ["all", "body"])
    table["abbreviation_words"] = (_set_attr(q, "ABBREVIATIONS_AT_WORD_BOUNDARIES"), [True, False])
    # QUESTIONS_AS_PASSAGES is left out: every ALQAC statement has more than
    # LONG_QUERY_WORDS content words, so it changes nothing here.
    return table


class Project:
    """The project over one index, with a configuration applied before each evaluation."""

    def __init__(self, articles: list[dict], txt: bool, workdir: Path):
        import indexer
        from corpus.records import directive_from_record
        from searcher.handle import IndexHandle
        from searcher.search import SearchRequest, ranked_directives

        self._request, self._ranked = SearchRequest, ranked_directives
        self.ids: dict[str, str] = {}
        t0 = time.perf_counter()
        if txt:
            self._build_txt(articles, workdir)
        else:
            jsonl = alqac.write_jsonl(workdir / "alqac.jsonl", articles)
            for r in articles:
                self.ids[directive_from_record({"id": r["id"], "title": r["title"], "text": r["text"]}, "x").id] = r["id"]
            report = indexer.build_index(jsonl, workdir / "index")
            if report.failures:
                raise SystemExit(f"project: indexing failed: {report.failures[:3]}")
        self.index_s = time.perf_counter() - t0
        self.handle = IndexHandle(workdir / "index")
        self.snap = self.handle.snapshot()
        if txt:
            self._map_txt_ids()

    def _build_txt(self, articles: list[dict], workdir: Path) -> None:
        """Each article as the .txt a user would drop in the corpus folder: its heading line, then its text."""
        folder = workdir / "txt"
        folder.mkdir()
        self._files = {}
        for n, a in enumerate(articles):
            name = f"a{n:05d}"
            (folder / f"{name}.txt").write_text(f"{a['title']}\n{a['text']}\n", encoding="utf-8")
            self._files[name] = a["id"]
        subprocess.run([sys.executable, "-m", "indexer", "build", str(folder), "--index", str(workdir / "index")],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)

    def _map_txt_ids(self) -> None:
        docs = self.snap.docs
        for doc_id in set(docs.names):
            directive = self.snap.store.get_many([doc_id]).get(doc_id) or {}
            source = Path(str(directive.get("source") or directive.get("path") or "")).stem
            if source in self._files:
                self.ids[doc_id] = self._files[source]

    def rankings(self, queries: list[dict], form) -> list[list[str]]:
        out = []
        for q in queries:
            req = self._request.from_params({"q": form(q["text"])[:1000], "per_page": str(K)})
            _, ranked = self._ranked(self.snap, req, K)
            out.append([self.ids.get(doc_id, doc_id) for doc_id, _ in ranked])
        return out


def first_ranks(rankings: list[list[str]], queries: list[dict]) -> list[int]:
    """Per statement, the rank (1-based) of its first relevant article in the top K, 0 when none."""
    return [next((r for r, doc in enumerate(ranked[:K], 1) if doc in q["relevant"]), 0)
            for ranked, q in zip(rankings, queries)]


def measures(ranks: list[int]) -> dict[str, float]:
    n = len(ranks) or 1
    return {"MRR@10": sum(1 / r for r in ranks if r) / n,
            "R@1": sum(r == 1 for r in ranks) / n,
            "R@10": sum(r > 0 for r in ranks) / n}


class Evaluations:
    """Configuration (tuple of knob values) -> {form: per-statement first ranks}, computed once."""

    def __init__(self, project: Project, table: dict, queries: list[dict], cache: Path | None):
        self.project, self.table, self.queries = project, table, queries
        self.cache_path = cache
        self.cache = json.loads(cache.read_text()) if cache and cache.exists() else {}
        self.names = list(table)

    def default(self) -> tuple:
        return tuple(values[0] for _, values in self.table.values())

    def apply(self, config: tuple) -> None:
        for name, value in zip(self.names, config):
            setter = self.table[name][0]
            if getattr(setter, "needs_snapshot", False):
                setter(value, self.project.snap)
            else:
                setter(value)

    def ranks(self, config: tuple) -> dict[str, list[int]]:
        key = json.dumps(dict(zip(self.names, config)), sort_keys=True)
        if key not in self.cache:
            self.apply(config)
            t0 = time.perf_counter()
            self.cache[key] = {form: first_ranks(self.project.rankings(self.queries, fn), self.queries)
                               for form, fn in FORMS}
            print(f"  evaluated {key} in {time.perf_counter() - t0:.0f} s: "
                  + ", ".join(f"{f} {measures(r)['MRR@10']:.3f}" for f, r in self.cache[key].items()),
                  file=sys.stderr, flush=True)
            if self.cache_path:
                self.cache_path.write_text(json.dumps(self.cache))
            self.apply(self.default())
        return self.cache[key]


def objective(ranks: dict[str, list[int]], members: list[int]) -> float:
    return statistics.mean(measures([ranks[form][i] for i in members])["MRR@10"] for form, _ in FORMS)


def tune(evals: Evaluations, members: list[int], passes: int = 2) -> tuple:
    """Coordinate descent from today's constants over the statements ``members``."""
    config = list(evals.default())
    best = objective(evals.ranks(tuple(config)), members)
    for _ in range(passes):
        moved = False
        for i, name in enumerate(evals.names):
            for value in evals.table[name][1]:
                if value == config[i]:
                    continue
                trial = tuple(config[:i] + [value] + config[i + 1:])
                score = objective(evals.ranks(trial), members)
                if score > best + 1e-9:
                    best, config, moved = score, list(trial), True
        if not moved:
            break
    return tuple(config)


def baseline_ranks(articles: list[dict], queries: list[dict]) -> dict[str, dict[str, list[int]]]:
    systems = [lambda: baselines.Fts5Bm25(remove_diacritics=0), lambda: baselines.Fts5Bm25(remove_diacritics=2),
               lambda: baselines.Bm25s(fold_accents=False), lambda: baselines.Bm25s(fold_accents=True)]
    out = {}
    for factory in systems:
        try:
            system = factory()
        except ImportError as exc:
            print(f"  skipped a baseline ({exc})", file=sys.stderr)
            continue
        system.index(articles)
        out[system.name] = {form: first_ranks([system.search(fn(q["text"]), K) for q in queries], queries)
                            for form, fn in FORMS}
    return out


def _cell(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"


def report(rows: dict[str, dict[str, list[int]]], queries: list[dict], folds: list[list[int]]) -> str:
    """Markdown: per system and form, each fold's MRR@10, mean ± sd over folds, R@1, R@10, train/test."""
    splits = {name: [i for i, q in enumerate(queries) if q["split"] == name] for name in ("train", "test")}
    head = ("| system | statements | " + " | ".join(f"fold {f + 1}" for f in range(len(folds)))
            + " | MRR@10 mean ± sd | R@1 | R@10 | train.json | test.json |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for system, forms in rows.items():
        for form, ranks in forms.items():
            per_fold = [measures([ranks[i] for i in fold]) for fold in folds]
            lines.append(
                f"| {system} | {form} | " + " | ".join(f"{m['MRR@10']:.3f}" for m in per_fold)
                + f" | {_cell([m['MRR@10'] for m in per_fold])} | {_cell([m['R@1'] for m in per_fold])}"
                + f" | {_cell([m['R@10'] for m in per_fold])}"
                + "".join(f" | {measures([ranks[i] for i in splits[s]])['MRR@10']:.3f}" for s in ("train", "test"))
                + " |")
    return "\n".join(lines)


def losses(ours: dict[str, list[int]], theirs: dict[str, list[int]], queries: list[dict], articles: list[dict],
           form: str = "as written") -> str:
    """The statements a baseline ranks better than the project, worst first, each with
    how many of its relevant article's heading words it contains (the per-question comparison)."""
    heading = {a["id"]: set(baselines.words(a["title"])) for a in articles}
    lines = []
    for i in sorted(range(len(queries)), key=lambda i: _rr(ours[form][i]) - _rr(theirs[form][i])):
        if _rr(theirs[form][i]) <= _rr(ours[form][i]):
            break
        q = queries[i]
        words = set(baselines.words(q["text"]))
        best = max((len(heading[r] & words), len(heading[r])) for r in q["relevant"] if r in heading)
        lines.append(f"  baseline {theirs[form][i] or '-'} project {ours[form][i] or '-'} "
                     f"heading words {best[0]}/{best[1]}: {q['text'][:100]}")
    return "\n".join(lines)


def _rr(rank: int) -> float:
    return 1 / rank if rank else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", metavar="DIR")
    parser.add_argument("--txt", action="store_true", help="index the articles as .txt files with `python -m indexer build`")
    parser.add_argument("--knob", action="append", default=[], help="tune only this constant (repeatable)")
    parser.add_argument("--compare", action="store_true", help="no tuning: each value of each knob on every fold")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--losses", action="store_true",
                        help="list the statements FTS5 (marks kept) ranks better than the project, to stderr")
    parser.add_argument("--cache", metavar="FILE", help="keep evaluations in FILE between runs (same code only!)")
    args = parser.parse_args(argv)

    found = alqac.open_or_skip(args.data, "tuning benchmark")
    if found is None:
        return 0
    directory, articles, queries = found
    folds = [[i for i in range(len(queries)) if i % FOLDS == f] for f in range(FOLDS)]
    print(f"ALQAC 2023 at {directory}: {len(articles)} articles, {len(queries)} statements, {FOLDS} folds",
          file=sys.stderr)

    rows = baseline_ranks(articles, queries)
    with tempfile.TemporaryDirectory(prefix="vbsearch-tune-") as tmp:
        project = Project(articles, args.txt, Path(tmp))
        print(f"  project indexed in {project.index_s:.0f} s", file=sys.stderr)
        table = knobs()
        if args.knob:
            table = {name: table[name] for name in args.knob}
        evals = Evaluations(project, table, queries, Path(args.cache) if args.cache else None)
        default = evals.default()
        rows["project, today's constants"] = evals.ranks(default)
        if args.compare:
            for i, name in enumerate(evals.names):
                for value in evals.table[name][1][1:]:
                    config = default[:i] + (value,) + default[i + 1:]
                    rows[f"project, {name}={value}"] = evals.ranks(config)
        else:
            tuned = {form: [0] * len(queries) for form, _ in FORMS}
            for f, held_out in enumerate(folds):
                rest = [i for fold in folds[:f] + folds[f + 1:] for i in fold]
                config = tune(evals, rest, args.passes)
                changed = {n: v for n, v, d in zip(evals.names, config, default) if v != d}
                print(f"fold {f + 1}: tuned on the other folds -> {changed or 'no change'}", file=sys.stderr)
                ranks = evals.ranks(config)
                for form in tuned:
                    for i in held_out:
                        tuned[form][i] = ranks[form][i]
            rows["project, tuned on the other 4 folds"] = tuned
            # What to ship: the same search over every statement (its figure
            # is the held-out row above, not this configuration's own score).
            final = tune(evals, list(range(len(queries))), args.passes)
            print(f"tuned on all statements -> {({n: v for n, v, d in zip(evals.names, final, default) if v != d})}",
                  file=sys.stderr)
            rows["project, tuned on all 5 folds (not held out)"] = evals.ranks(final)
    if args.losses:
        baseline = next(name for name in rows if name.startswith("FTS5") and name.endswith("=0"))
        for form, _ in FORMS:
            print(f"{baseline} ahead of the project ({form}):", file=sys.stderr)
            print(losses(rows["project, today's constants"], rows[baseline], queries, articles, form), file=sys.stderr)
    print(report(rows, queries, folds))
    return 0


if __name__ == "__main__":
    sys.exit(main())

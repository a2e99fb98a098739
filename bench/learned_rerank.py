"""Learned re-ranking of the fused candidates (issue 16): trained on judged queries, decided cross-validated.

A pairwise logistic regression (index/learned_rerank.py) re-orders the first N fused candidates of
`HybridRetriever.rank` from nine features the product computes anyway; every later step (near-duplicates,
distinct documents first, the bar) is unchanged. This script collects the features of every candidate through
the product's own `rank` (the re-ranker's hook records them, weights all zero = the configured order), trains
on judged queries and scores held-out queries by ranking them again through `rank` with the fold's weights.

Features of a candidate (FEATURES, each read or derived from what `rank` already has): the cosine of the
query with the passage's stored vector; BM25 over the query's best BM25 (0 when not a lexical candidate); the
fused score; log(1 + rank) in the lexical list and in the dense list (absent = one past the last); the
idf-weighted share of the query's terms in the passage; the same share in the document title + section
heading; the best cosine among the dense candidates of the same document (a document-context signal); log(1 +
the passage's position in its document).

Labels. ACV (bench/queries.jsonl, answerable TUNING queries only): 3 = a chunk of a grade-2 document holding
its judged passage, 2 = another chunk of a grade-2 document, 1 = a chunk of a grade-1 document, 0 = the rest.
PIAF-dev (../shared/bench/piaf-dev.json): 1 = the question's own paragraph, 0 = the rest. Pairs: every two
candidates of one query with different labels; each query weighs the same within its corpus, and the two
corpora weigh the same (so ~440 PIAF questions do not drown ~150 ACV ones).

DECISION RULE (written and committed before the first measurement):
- Fixed before measuring: N = 20 re-ranked candidates (two pages: a second-page answer may come up, no deeper,
  where the fused order is mostly noise); L2 strength C = 1.0 on standardised features; the nine features of
  index/learned_rerank.py FEATURES; training recipe = ACV tuning queries + PIAF-dev questions, equal corpus
  weight. Nothing of this is varied on the data.
- ACV: 5-fold cross-validation over the answerable tuning queries, folds by sha1(query id) % 5 (as
  bench/tune_retrieval.py); each fold's model is trained on the other four ACV folds + all of PIAF-dev and
  scored on its held-out queries through `rank` (bar not involved: the first ten passages, as « nDCG@10 bar
  off »). Baseline: the configured product (re-ranking off), same run.
- PIAF: each article half (parity of the first byte of sha1(title), as bench/piaf.py) is ranked with the model
  trained on all ACV tuning queries + the other half; the cross-fitted MRR@10 is the mean over both held-out
  halves. Baseline: the configured product (w_bm25 0.5, re-ranking off), same run.
- ADOPT as default only if ALL hold: (1) cross-validated ACV tuning nDCG@10 ≥ baseline + 0.005; (2) cross-fitted
  PIAF MRR@10 ≥ baseline + 0.005; (3) no query kind of the tuning split loses more than 0.02 cross-validated
  nDCG@10; (4) cross-validated passage hit@10 not lower than the baseline's minus one query (1/148).
  Otherwise the setting stays off by default (ACV_LEARNED_RERANK=false).
- Then, whatever the decision, the TEST split is run once (bench/quality.py, re-ranking off and on with the
  shipped model = trained on all ACV tuning + all PIAF-dev) and PIAF once (shipped model, which has seen all of
  PIAF: the honest PIAF figure is the cross-fitted one above), and both are reported.
- Observations that cannot change the decision: the same evaluation with models trained on ACV alone (PIAF then
  scored by a model that never saw PIAF: a transfer figure), and the learned coefficients.

    OMP_NUM_THREADS=1 .venv/bin/python bench/learned_rerank.py --data-dir bench/out/quality-ctx \\
        --piaf-dir bench/out/piaf-ctx --model-out index/learned_rerank.json
"""

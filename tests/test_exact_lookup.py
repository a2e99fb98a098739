"""Exact lookups: the query's plan, the holders read from the lexical index, their promotion, `titre:`."""

from __future__ import annotations

from index.analysis import FrenchAnalyzer
from index.exact_lookup import Holders, excluded, holders, plan, promote, title_chunks
from index.lexical import LexicalIndex
from index.lexical_tantivy import Constraint
from index.query_syntax import parse
from index.store import ChunkRow, DocumentRow, Store

A = FrenchAnalyzer()


def _write(store: Store, i: int, title: str, texts: list[str]) -> list[int]:
    doc = DocumentRow(f"d{i}", f"/x/{i}.md", f"h{i}", "markdown", title, "communique", "2020-01-01", None, 10,
                      "2024-01-01T00:00:00", {})
    rows = [ChunkRow(n, t, A.analyse(t), 1, None, 0, len(t), f"k{i}:{n}:{t}", {}, {}) for n, t in enumerate(texts)]
    return store.replace_document(doc, rows, {})


def test_plan_reads_terms_sequences_whole_and_exclusions():
    p = plan(parse('travaux rue Aristide-Briand CAF -"marché couvert" -commerces titre:Cahors'), A)
    assert p.terms == ("traval", "ru", "aristid", "briand", "caf", "cahor")
    assert p.sequences == (("aristide", "briand"), ("caf",))
    assert p.whole == ("travaux", "rue", "aristide", "briand", "caf", "cahors")
    assert p.exclusion == Constraint(excluded_terms=("commerc",), excluded_exact=(("marche", "couvert"),))
    assert p.title == (("cahors",),)
    quoted = plan(parse('"façades du secteur" Cahors'), A)
    assert quoted.sequences == (("facades", "du", "secteur"),)
    assert quoted.whole == ()  # the quotes say which words follow each other


def test_holders_whole_then_every_inside_the_allowed_chunks(tmp_path):
    s = Store(tmp_path / "acv.sqlite3")
    _write(s, 1, "Cahors", ["Les façades du secteur sauvegardé", "Le secteur sauvegardé et ses façades"])
    _write(s, 2, "Agen", ["Façades du secteur sauvegardé d'Agen", "La CAF et le café"])
    lex = LexicalIndex(s)
    every = [1, 2, 3, 4]
    found = holders(plan(parse("façades du secteur sauvegardé"), A), lex, [3, 2, 1, 4])
    assert found.whole == [3, 1]  # in the candidates' order
    assert found.every == [3, 2, 1]
    assert holders(plan(parse("façades du secteur sauvegardé"), A), lex, [1, 2]).whole == [1]
    assert holders(plan(parse("CAF"), A), lex, every).every == [4]  # not « café »
    assert holders(plan(parse("façades"), A), lex, []).every == []
    assert excluded(plan(parse('façades -"secteur sauvegardé d\'Agen"'), A), lex, [1, 2, 3, 4]) == {3}
    s.close()


def test_promote_puts_whole_then_every_first_in_fused_order():
    fused = [(10, 0.9), (11, 0.8), (12, 0.7), (13, 0.6)]
    assert promote(fused, Holders([], [])) == fused
    assert promote(fused, Holders([13], [12, 13, 99])) == [(13, 0.6), (12, 0.7), (99, 0.0), (10, 0.9), (11, 0.8)]


def test_title_keeps_the_chunks_of_documents_whose_title_holds_it(tmp_path):
    s = Store(tmp_path / "acv.sqlite3")
    _write(s, 1, "Convention de Cahors", ["a", "b"])
    _write(s, 2, "Avenant de Lens", ["c"])
    assert title_chunks(s, [("cahors",)], None).tolist() == [1, 2]
    assert title_chunks(s, [("de", "lens")], None).tolist() == [3]
    assert title_chunks(s, [("cahors",)], s.chunk_ids()[1:]).tolist() == [2]
    s.close()

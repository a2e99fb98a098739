"""Property-based fuzzing (hypothesis): readers, date and amount parsers, query and filter parsing.

The only exceptions allowed out of these functions are `AcvError` subclasses
(they carry a French message for the user); anything else is a bug. The
default run is short; `ACV_LONG_TESTS=1` multiplies every budget by 20
(profile « acv-long »).
"""

from __future__ import annotations

import datetime as dt
import gzip
import math
import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from acv.errors import AcvError, InvalidQueryError
from acv.filters import FILTER_KEYS
from acv.text import without_controls
from ingest.extract.amounts import find_amounts
from ingest.extract.dates import document_date, find_dates, parse_date
from ingest.pipeline import discover
from ingest.readers import READERS, detect_format, read_file
from ingest.readers._common import CONTROL_RE, _dominant_utf8, decode_bytes
from ingest.readers import html as html_reader
from ingest.readers import markdown as md_reader
from ingest.readers import pdf as pdf_reader
from ingest.readers import text as text_reader
from tests._api_fixtures import ABBEVILLE, AGEN, QUIMPER, ingested_kb, make_settings

# the recursive HTML strategy has a huge repr, which hypothesis warns about when it prints it
pytestmark = [pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning"),
              pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")]

LONG = os.environ.get("ACV_LONG_TESTS") == "1"
settings.register_profile("acv-short", deadline=None, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("acv-long", settings.get_profile("acv-short"))
PROFILE = settings.get_profile("acv-long" if LONG else "acv-short")
FACTOR = 20 if LONG else 1


def budget(n: int) -> settings:
    """`n` examples in the short run, 20 × n in the long one."""
    return settings(PROFILE, max_examples=n * FACTOR)


BAD = Path(__file__).resolve().parent / "data" / "bad"
sys.path.insert(0, str(BAD))
import build_bad  # noqa: E402

sys.path.remove(str(BAD))
SEED_PDFS = [(BAD / "pdf-javascript.pdf").read_bytes(), (BAD / "pdf-titre-script.pdf").read_bytes()]

FRENCH = "àâäéèêëîïôöùûüçœæÀÂÉÈÊÎÔÙÛÇŒ’«»€  …–—"
words = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789 " + FRENCH), max_size=40)
any_text = st.text(max_size=300)
FTS_BITS = ['"', "*", "NEAR(", "NEAR(a b)", " OR ", " AND ", " NOT ", "-", ":", "^", "(", ")", "body:", "rowid:",
            "{body}", "chunks_fts", "chunk_terms",
            "'", "\\", "%", "_", ";", "--", "/*", "*/", "\x00", "é", "œ", "€", "1,2 M€"]
SQL_BITS = ["' OR '1'='1", "'; DROP TABLE chunks; --", '" OR 1=1 --', "1) UNION SELECT * FROM documents --",
            "%' --", "0 OR 1", "47001' --", "x'); DELETE FROM facets; --", "?", "?1", ":name", "@x", "$x"]
fts_text = st.lists(st.one_of(st.sampled_from(FTS_BITS), words), max_size=12).map("".join)
sqlish = st.one_of(st.sampled_from(SQL_BITS), fts_text, any_text)


# -- readers -------------------------------------------------------------------------------------------------

TAGS = ["div", "p", "span", "article", "main", "section", "nav", "header", "footer", "aside", "h1", "h2", "h3",
        "ul", "ol", "li", "table", "tr", "td", "th", "caption", "time", "a", "b", "br", "script", "style", "title",
        "meta", "html", "head", "body", "template", "svg", "form", "iframe", "pre", "dl", "dt", "dd", "figure"]
ATTRS = [' class="cookie-banner"', ' class="menu"', ' id="fil-ariane"', ' role="navigation"', ' role="main"',
         " hidden", ' datetime="2018-09-24"', ' property="og:title" content="Titre"', ' charset="latin1"',
         ' http-equiv="Content-Type" content="text/html; charset=windows-1252"', ' lang="fr"', ' class="share"']


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, attr, inner, close: f"<{tag}{attr}>{inner}" + (f"</{tag}>" if close else ""),
                     st.sampled_from(TAGS), st.sampled_from([""] + ATTRS), children, st.booleans())


html_docs = st.recursive(
    st.one_of(words, st.sampled_from(["&amp;", "&lt;script&gt;", "&#x0;", "&#9999999;", "<!--", "-->", "<![CDATA[",
                                      "<!DOCTYPE html>", "<?xml version='1.0' encoding='utf-16'?>", "\x00", "\r"])),
    lambda inner: st.lists(st.one_of(inner, _element(inner)), max_size=6).map("".join),
    max_leaves=40,
)
ENCODINGS = st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16", "utf-8-sig"])


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def _read(reader, name: str, data: bytes) -> None:
    """A reader may refuse the input with an AcvError; it must never raise anything else."""
    try:
        doc = reader(Path(name), data)
    except AcvError as exc:
        assert exc.message
        return
    assert doc.blocks and all(b.text for b in doc.blocks)


@budget(300)
@given(html_docs, ENCODINGS)
def test_html_reader_never_raises_unexpectedly(doc, encoding):
    _read(html_reader.read, "page.html", _encode(doc, encoding))


@budget(100)
@given(st.binary(max_size=2000))
def test_html_reader_on_raw_bytes(data):
    _read(html_reader.read, "page.html", data)


MD_BITS = ["# ", "## ", "> ", "- ", "* ", "1. ", "```", "~~~", "---", "...", "| a | b |", "|---|---|", "[", "]", "(",
           ")", "![", "<div>", "</div>", "**", "_", "`", "\n", "\n\n", "    ", "\t", "title: ", "date: 2019-01-18",
           "&a [x]", "*a", "!!python/object:os.system", "{", "}", ": :", "\ufeff", "\r\n"]
md_docs = st.lists(st.one_of(st.sampled_from(MD_BITS), words), max_size=60).map("".join)


@budget(300)
@given(md_docs, ENCODINGS)
def test_markdown_reader_never_raises_unexpectedly(doc, encoding):
    _read(md_reader.read, "note.md", _encode(doc, encoding))


@budget(200)
@given(st.one_of(md_docs.map(str.encode), st.binary(max_size=1000), any_text.map(str.encode)))
def test_text_reader_and_format_detection(data):
    _read(text_reader.read, "note.txt", data)
    for suffix in (".pdf", ".html", ".md", ".txt", ".docx", ""):
        try:
            assert detect_format(Path("f" + suffix), data) in ("pdf", "html", "markdown", "text")
        except AcvError:
            pass


PDF_TOKENS = [b"obj", b"endobj", b"<<", b">>", b"[", b"]", b"/Length 999999999", b"/Length -1", b" 0 R", b"R",
              b"stream\n", b"endstream", b"xref", b"trailer", b"startxref\n0\n", b"%%EOF", b"/Filter /FlateDecode",
              b"/Filter /LZWDecode", b"/Type /Pages", b"/Kids [1 0 R]", b"/Count 99999999", b"(", b")", b"\\",
              b"BT", b"ET", b"Tj", b"TJ", b"Tf", b"Td", b"cm", b"q", b"Q", b"/Encrypt 1 0 R", b"\x00", b"9" * 30]


@st.composite
def mutated_pdfs(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEED_PDFS)))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "token"]))
        pos = draw(st.integers(0, len(data)))
        if kind == "flip" and pos < len(data):
            data[pos] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif kind == "truncate":
            del data[max(pos, 8):]
        else:
            data[pos:pos] = draw(st.sampled_from(PDF_TOKENS))
    return bytes(data)


@budget(300)
@given(mutated_pdfs())
def test_pdf_reader_on_mutated_pdfs(data):
    _read(pdf_reader.read, "doc.pdf", data)


# -- dates and amounts ------------------------------------------------------------------------------------------------

DATE_BITS = ["1er", "24", "31", "00", "septembre", "févr.", "fevrier", "aout", "août", "2018", "1899", "2099", "/",
             "-", ".", " ", "le", "signé le", "Publié le", "Fait à Agen, le", "mise à jour :", "lundi", "D:2018",
             "20180928", "T10:00:00Z", "+02'00'", "9" * 12]
date_text = st.lists(st.one_of(st.sampled_from(DATE_BITS), words), max_size=20).map(" ".join)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text, date_text, st.dates(), st.datetimes()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["date", "published", "signed", "date_signature", "article:published_time", "dates_text", "time",
         "creation_date", "front_matter", "html", "pdf", "markdown", "text"]), inner, max_size=4)),
    max_leaves=12,
)


def _is_iso(value: str) -> bool:
    return dt.date.fromisoformat(value).isoformat() == value


@budget(600)
@given(st.one_of(date_text, any_text, json_values))
def test_parse_date_gives_a_real_date_or_none(value):
    iso = parse_date(value)
    assert iso is None or _is_iso(iso)


short_texts = st.one_of(st.none(), date_text, any_text)
# what the readers put in meta: the front matter is whatever the author wrote; the rest has a fixed shape
reader_meta = st.fixed_dictionaries({}, optional={
    "front_matter": st.dictionaries(st.one_of(st.sampled_from(["date", "published", "signed", "date_signature"]),
                                               any_text), json_values, max_size=4),
    "html": st.fixed_dictionaries({}, optional={
        "article:published_time": short_texts, "article:modified_time": short_texts,
        "dates_text": st.lists(date_text, max_size=3), "time": st.lists(date_text, max_size=3)}),
    "pdf": st.fixed_dictionaries({}, optional={"creation_date": short_texts, "creation_date_raw": short_texts,
                                               "dates_text": st.lists(date_text, max_size=3)}),
    "markdown": st.fixed_dictionaries({}, optional={"dates_text": st.lists(date_text, max_size=3)}),
    "text": st.fixed_dictionaries({}, optional={"dates_text": st.lists(date_text, max_size=3)}),
})


@budget(400)
@given(st.one_of(date_text, any_text), reader_meta,
       st.sampled_from([None, "convention", "communique", "bonne_pratique", "autre"]))
def test_find_and_choose_dates(text, meta, doc_type):
    for start, end, iso in find_dates(text):
        assert 0 <= start < end and _is_iso(iso)
    iso = document_date(text, meta, doc_type)
    assert iso is None or _is_iso(iso)


AMOUNT_BITS = ["€", "euros", "EUR", "M€", "Md€", "k€", "millions d'euros", "milliards de", "HT", "TTC", " ", "\u00a0",
               "\u202f", ",", ".", "1", "12", "400", "000", "3 400 000", "1,2", "0", "9" * 40, "1" * 400, "-", "e10"]
amount_text = st.lists(st.one_of(st.sampled_from(AMOUNT_BITS), words), max_size=25).map("".join)


@budget(1000)
@given(st.one_of(amount_text, any_text))
def test_amounts_are_finite_and_found_in_the_text(text):
    for amount in find_amounts(text):
        assert amount.text and amount.text in text
        assert math.isfinite(amount.value) and amount.value >= 0  # JSON has no Infinity


# -- queries and filters -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_kb(tmp_path_factory, shared_extractor):
    kb = ingested_kb(make_settings(tmp_path_factory.mktemp("fuzz") / "var"), (AGEN, QUIMPER, ABBEVILLE))
    yield kb
    kb.close()


filter_values = st.one_of(st.none(), sqlish, st.integers(-10, 100_000), st.lists(sqlish, max_size=4),
                          st.sampled_from(["1", "5", "47001", "Agen", "Somme", "Occitanie", "convention",
                                           "vacance-commerciale", "2018-07-05", "2018-02-30", "0000-00-00"]))
raw_filters = st.dictionaries(st.one_of(st.sampled_from(FILTER_KEYS), sqlish), filter_values, max_size=4)


def _store_fingerprint(kb) -> tuple:
    con = kb.store.con
    return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("documents", "chunks", "facets", "chunk_terms", "vector_log"))


@budget(500)
@given(raw=raw_filters)
def test_resolve_filters_accepts_or_refuses_in_french(fuzz_kb, raw):
    try:
        resolved = fuzz_kb.resolve_filters(raw)
    except InvalidQueryError as exc:
        assert exc.message[0].isupper()
        return
    # accepted values are canonical: they reach SQLite only as bound parameters
    sql, params = fuzz_kb.store.filter_sql(resolved)
    for value in params:
        assert not isinstance(value, str) or value not in sql


@budget(500)
@given(st.one_of(fts_text, any_text, st.just(""), st.text(min_size=490, max_size=520)),
       st.integers(-5, 200), st.integers(-5, 20_000))
def test_validate_query(fuzz_kb, query, k, offset):
    try:
        assert fuzz_kb.validate_query(query, k, offset) == without_controls(query).strip()
    except InvalidQueryError as exc:
        assert exc.message


@budget(300)
@given(query=st.one_of(fts_text, sqlish), raw=st.one_of(st.just({}), raw_filters),
       method=st.sampled_from([None, "lexical", "dense", "rrf", "weighted"]), group=st.booleans())
def test_search_with_any_text_and_filters(fuzz_kb, query, raw, method, group):
    before = _store_fingerprint(fuzz_kb)
    try:
        res = fuzz_kb.search(query, raw, k=5, method=method, group_by_document=group, with_facets=True)
    except AcvError as exc:
        assert isinstance(exc, InvalidQueryError) and exc.message
    else:
        assert res["total"] >= len(res["results"])
    assert _store_fingerprint(fuzz_kb) == before


# -- hostile files: charsets, archives and polyglots, links, huge shapes ---------------------------------------------

LABELS = ["iso-8859-1", "ISO-8859-1", "latin1", "windows-1252", "cp1252", "iso-8859-15", "us-ascii", "utf-8",
          "UTF-8", "utf-16", "utf-16le", "utf-32", "shift_jis", "gb2312", "koi8-r", "x-klingon", "", "utf8"]
labels = st.lists(st.sampled_from(LABELS), max_size=4)
CP1252_ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:'-()\n" + (
    "àâäéèêëîïôöùûüçœæÀÂÉÈÊÎÔÙÛÇŒ’«»€…–—°")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@budget(300)
@given(st.text(max_size=400).filter(lambda t: not t.startswith("\ufeff")), labels)
def test_utf8_bytes_survive_any_declared_charset(text, declared):
    """No mojibake: whatever the page says, bytes that are UTF-8 are read as UTF-8."""
    assert decode_bytes(text.encode("utf-8"), declared) == CONTROL_RE.sub("", text)


@budget(300)
@given(st.text(alphabet=CP1252_ALPHABET, min_size=1, max_size=400),
       st.sampled_from(["windows-1252", "iso-8859-1", "latin1", "cp1252", "us-ascii"]), labels)
def test_legacy_bytes_with_their_label_first(text, label, others):
    """windows-1252 bytes labelled so (other labels may follow) come back exactly, unless the bytes happen to be
    (almost) valid UTF-8, the one case where UTF-8 is preferred over a declaration."""
    data = text.encode("cp1252")
    assume(not _is_utf8(data) and _dominant_utf8(data) is None)
    others = [o for o in others if o.lower() not in ("iso-8859-15", "shift_jis", "gb2312", "koi8-r")]
    assert decode_bytes(data, [label, *others]) == CONTROL_RE.sub("", text)


DECLARATIONS = [
    lambda c: f'<meta charset="{c}">', lambda c: f"<meta charset={c}>",
    lambda c: f'<meta http-equiv="Content-Type" content="text/html; charset={c}">',
    lambda c: f"<META HTTP-EQUIV='content-type' CONTENT='text/html;charset={c}'>",
]


@st.composite
def declared_pages(draw) -> str:
    heads = [draw(st.sampled_from(DECLARATIONS))(draw(st.sampled_from(LABELS))) for _ in range(draw(st.integers(0, 3)))]
    prolog = draw(st.sampled_from(["", *[f'<?xml version="1.0" encoding="{c}"?>\n' for c in LABELS if c]]))
    body = draw(st.lists(words, min_size=1, max_size=8))
    return (prolog + "<html><head>" + "".join(heads) + "<title>t</title></head><body>"
            + "".join(f"<p>{w}</p>" for w in body) + "</body></html>")


@budget(200)
@given(declared_pages())
def test_conflicting_declarations_never_garble_utf8(page):
    data = page.encode("utf-8")
    assert decode_bytes(data, html_reader._declared_charset(data)) == page


BLOBS = {
    "zip": build_bad._zip({"note.md": ("# Cahors\n\n" + build_bad.PARA_CAHORS).encode()}),
    "gzip": gzip.compress(b"<html><body><p>Cahors</p></body></html>", mtime=0),
    "tar": build_bad._tar({"note.md": b"# Cahors"}),
    "pdf": SEED_PDFS[0],
    "html": build_bad.html_page("Cahors", [build_bad.PARA_CAHORS], "iso-8859-1").encode(),
    "md": build_bad.markdown_note("Cahors", [build_bad.PARA_CAHORS]).encode(),
    "nul": b"\x00" * 16,
    "bom16": b"\xff\xfe",
    "comment": b"<!--",
}
polyglots = st.lists(st.one_of(st.sampled_from(sorted(BLOBS)).map(BLOBS.get), st.binary(max_size=64)),
                     min_size=1, max_size=4).map(b"".join)


@budget(150)
@given(polyglots, st.sampled_from([".pdf", ".html", ".md", ".txt"]))
def test_archives_and_polyglots_are_read_as_one_format_or_refused(data, suffix):
    path = Path("fichier" + suffix)
    try:
        fmt = detect_format(path, data)
        doc = READERS[fmt](path, data)
    except AcvError as exc:
        assert exc.message
        return
    text = "".join(b.text for b in doc.blocks)
    assert text and "\x00" not in text and not CONTROL_RE.search(text.replace("\x7f", ""))


LINK_TARGETS = ["dedans.md", "sous/profond.md", "sous", ".", "..", "../dehors/secret.md", "../dehors", "/etc/passwd",
                "/dev/zero", "absent.md", "../dehors/absent.md", "sous/../dedans.md", "sous/../../dehors/secret.md"]
link_trees = st.dictionaries(st.sampled_from([f"lien-{i}.md" for i in range(6)] + ["sous/lien.md", "rep"]),
                             st.one_of(st.sampled_from(LINK_TARGETS),
                                       st.sampled_from([f"lien-{i}.md" for i in range(6)])),
                             min_size=1, max_size=7)


@budget(100)
@given(link_trees)
def test_links_never_lead_the_ingest_out_of_its_folder(links):
    """Any mix of links (chains, loops, links to links, to folders, to devices): every path discovery accepts
    resolves inside the folder, every one it refuses says why in French, the secret next door is never read."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus, outside = Path(tmp) / "corpus", Path(tmp) / "dehors"
        (corpus / "sous").mkdir(parents=True)
        outside.mkdir()
        (corpus / "dedans.md").write_text("# Dedans\n\nCahors rénove ses halles.\n", "utf-8")
        (corpus / "sous" / "profond.md").write_text("# Profond\n\nÉpinal ravale ses façades.\n", "utf-8")
        (outside / "secret.md").write_text("# Secret\n\nzygomorphe\n", "utf-8")
        for name, target in links.items():
            os.symlink(target, corpus / name)
        root = corpus.resolve()
        for entry in discover([corpus]):
            if entry.refusal is not None:
                assert entry.refusal.message.startswith(("Fichier ignoré : ", "Dossier ignoré : ",
                                                         "Fichier introuvable"))
                continue
            real = Path(os.path.realpath(entry))
            assert real.is_relative_to(root), (entry, real)
            doc = read_file(entry)
            assert "zygomorphe" not in " ".join(b.text for b in doc.blocks)


@budget(10)
@given(st.integers(1, 20_000), st.sampled_from(["- ", "* ", "1. ", "  - ", "> - "]))
def test_long_markdown_lists(items, bullet):
    data = ("# Liste\n\n" + "".join(f"{bullet}élément {i}\n" for i in range(items))).encode()
    doc = md_reader.read(Path("liste.md"), data)
    assert f"élément {items - 1}" in " ".join(b.text for b in doc.blocks)


@budget(10)
@given(st.integers(1, 3000))
def test_many_tiny_pdf_text_objects(count):
    try:
        doc = pdf_reader.read(Path("objets.pdf"), build_bad.text_objects_pdf(count))
    except AcvError as exc:  # a page of one-word fragments may be judged unusable; it must say so in French
        assert exc.message
        return
    assert doc.blocks


def test_budget_counts():
    """The default run generates thousands of cases in all (recorded in docs/BENCHMARKS.md)."""
    total = sum(getattr(f, "_hypothesis_internal_use_settings").max_examples for f in (
        test_html_reader_never_raises_unexpectedly, test_html_reader_on_raw_bytes,
        test_markdown_reader_never_raises_unexpectedly, test_text_reader_and_format_detection,
        test_pdf_reader_on_mutated_pdfs, test_parse_date_gives_a_real_date_or_none, test_find_and_choose_dates,
        test_amounts_are_finite_and_found_in_the_text, test_resolve_filters_accepts_or_refuses_in_french,
        test_validate_query, test_search_with_any_text_and_filters, test_utf8_bytes_survive_any_declared_charset,
        test_legacy_bytes_with_their_label_first, test_conflicting_declarations_never_garble_utf8,
        test_archives_and_polyglots_are_read_as_one_format_or_refused,
        test_links_never_lead_the_ingest_out_of_its_folder,
        test_long_markdown_lists, test_many_tiny_pdf_text_objects))
    print(f"\nfuzz budget: {total} generated cases ({'long' if LONG else 'short'} profile)", file=sys.stderr)
    assert total >= (4000 * FACTOR)


"""The path policy (acv/paths.py): what discovery yields, what the readers open, what uploads and downloads may touch.

Every tree is built in a temporary folder: links to files and folders inside
and outside, chains, loops, a named pipe, a socket, a device.
"""

from __future__ import annotations

import os
import pickle
import socket
from pathlib import Path

import pytest

from acv import paths
from acv.errors import NotFoundError, PathRefusedError
from acv.paths import IngestPath, check_entry, served_file, upload_target
from ingest.pipeline import discover
from ingest.readers import read_file

NOTE = "# Épinal\n\nÉpinal aide les propriétaires à ravaler les façades du centre historique.\n"
SECRET = "# Secret\n\nzygomorphe-kiwi-4821\n"
OUT = paths.LINK_OUT_OF_FOLDER
OUT_DIR = paths.DIR_LINK_OUT_OF_FOLDER


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """corpus/ (the folder ingested) next to dehors/ (a folder that must never be read)."""
    corpus, outside = tmp_path / "corpus", tmp_path / "dehors"
    (corpus / "sous").mkdir(parents=True)
    outside.mkdir()
    (corpus / "a.md").write_text(NOTE, "utf-8")
    (corpus / "sous" / "b.md").write_text(NOTE.replace("Épinal", "Cahors"), "utf-8")
    (outside / "secret.md").write_text(SECRET, "utf-8")
    links = {
        "vers-a.md": "a.md",                                  # inside
        "vers-sous-b.md": "sous/b.md",                        # inside, through a subfolder
        "chaine-interne.md": "vers-a.md",                     # a chain that stays inside
        "sous/remonte.md": "../a.md",                         # « .. » that stays inside
        "vers-secret.md": "../dehors/secret.md",              # out, relative
        "vers-secret-absolu.md": str(outside / "secret.md"),  # out, absolute
        "chaine-1.md": "chaine-2.md",                         # a chain whose last link goes out
        "chaine-2.md": "../dehors/secret.md",
        "passwd.txt": "/etc/passwd",
        "zero.txt": "/dev/zero",
        "casse-dedans.md": "absent.md",                       # broken, would be inside
        "casse-dehors.md": "../dehors/absent.md",             # broken, would be outside: said « outside »
        "boucle-1.md": "boucle-2.md",
        "boucle-2.md": "boucle-1.md",
        "dossier-dehors": str(outside),                       # a folder outside
        "dossier-parent": "..",                               # the parent folder
        "dossier-soi": ".",                                   # the folder itself: a loop if followed
        "sous/dossier-grand-parent": "../..",
        "sous/dossier-frere": "../sous",
        ".cache.md": "../dehors/secret.md",                   # hidden: skipped before any check
    }
    for name, target in links.items():
        os.symlink(target, corpus / name)
    os.mkfifo(corpus / "tube.md")
    return corpus


def _outcomes(found: list[Path], corpus: Path) -> dict[str, str | None]:
    out = {}
    for p in found:
        refusal = getattr(p, "refusal", None)
        out[os.path.relpath(p, corpus)] = refusal.message if refusal else None
    return out


def test_discover_keeps_walked_files_inside_the_folder(tree):
    found = list(discover([tree]))
    assert all(isinstance(p, IngestPath) for p in found)
    assert _outcomes(found, tree) == {
        "a.md": None,
        "boucle-1.md": paths.LINK_LOOP,
        "boucle-2.md": paths.LINK_LOOP,
        "casse-dedans.md": paths.BROKEN_LINK,
        "casse-dehors.md": OUT,
        "chaine-1.md": OUT,
        "chaine-2.md": OUT,
        "chaine-interne.md": None,
        "dossier-dehors": OUT_DIR,
        "dossier-parent": OUT_DIR,
        "passwd.txt": OUT,
        "sous/b.md": None,
        "sous/dossier-grand-parent": OUT_DIR,
        "sous/remonte.md": None,
        "tube.md": "Fichier ignoré : ce n'est pas un fichier ordinaire (tube nommé).",
        "vers-a.md": None,
        "vers-secret-absolu.md": OUT,
        "vers-secret.md": OUT,
        "vers-sous-b.md": None,
        "zero.txt": OUT,
    }
    # « dossier-soi » and « sous/dossier-frere » stay inside: not followed (their files are walked where they
    # are), not reported; every accepted path resolves inside the folder
    root = tree.resolve()
    for p in found:
        if p.refusal is None:
            assert check_entry(p).is_relative_to(root)


def test_refused_entries_are_never_opened(tree):
    for p in discover([tree]):
        if p.refusal is not None:
            with pytest.raises(PathRefusedError) as info:
                read_file(p)
            assert info.value.message == p.refusal.message
            assert info.value.code == "chemin_refuse"


def test_the_root_is_recorded_with_the_document(tree):
    entry = next(p for p in discover([tree]) if p.name == "vers-sous-b.md")
    assert read_file(entry).meta["origin"] == {"root": str(tree.resolve())}


def test_a_file_swapped_for_a_link_after_discovery_is_refused(tree):
    entry = next(p for p in discover([tree]) if p.name == "a.md")
    (tree / "a.md").unlink()
    os.symlink("../dehors/secret.md", tree / "a.md")
    with pytest.raises(PathRefusedError) as info:
        read_file(entry)
    assert info.value.message == OUT


def test_a_folder_given_through_a_link_is_walked_with_its_real_root(tree, tmp_path):
    os.symlink(tree, tmp_path / "raccourci")
    found = _outcomes(list(discover([tmp_path / "raccourci"])), tmp_path / "raccourci")
    assert found["a.md"] is None and found["vers-secret.md"] == OUT


def test_an_explicit_file_is_its_own_root(tree, tmp_path):
    """A path named by the user is read even through a link (they chose it); it is still a regular file."""
    os.symlink(tmp_path / "dehors" / "secret.md", tmp_path / "choisi.md")
    (entry,) = discover([tmp_path / "choisi.md"])
    assert entry.refusal is None and entry.base == (tmp_path / "dehors" / "secret.md").resolve()
    doc = read_file(entry)
    assert doc.source == str(tmp_path / "choisi.md")
    assert doc.meta["origin"] == {"root": str((tmp_path / "dehors" / "secret.md").resolve())}


@pytest.mark.parametrize("target, kind", [("/dev/null", "périphérique"), ("/dev/zero", "périphérique")])
def test_explicit_devices_are_refused(target, kind):
    (entry,) = discover([Path(target)])
    assert entry.refusal.message == f"Fichier ignoré : ce n'est pas un fichier ordinaire ({kind})."


def test_explicit_pipe_and_socket_are_refused(tmp_path):
    os.mkfifo(tmp_path / "tube.txt")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "prise.txt"))
        found = {p.name: p.refusal.message for p in discover([tmp_path / "tube.txt", tmp_path / "prise.txt"])}
    finally:
        sock.close()
    assert found == {"tube.txt": "Fichier ignoré : ce n'est pas un fichier ordinaire (tube nommé).",
                     "prise.txt": "Fichier ignoré : ce n'est pas un fichier ordinaire (socket)."}
    # a socket inside a walked folder too (a pipe is covered by the tree above)
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "prise.md"))
        walked = {p.name: p.refusal and p.refusal.message for p in discover([tmp_path])}
    finally:
        sock.close()
    assert walked["prise.md"] == "Fichier ignoré : ce n'est pas un fichier ordinaire (socket)."


def test_missing_explicit_file(tmp_path):
    (entry,) = discover([tmp_path / "absent.md"])
    assert entry.refusal.message == "Fichier introuvable."
    with pytest.raises(PathRefusedError):
        check_entry(entry)


def test_the_policy_survives_pickling(tree):
    for p in discover([tree]):
        copy = pickle.loads(pickle.dumps(p))
        assert (str(copy), copy.base, type(copy)) == (str(p), p.base, IngestPath)
        assert (copy.refusal and copy.refusal.message) == (p.refusal and p.refusal.message)


def test_plain_paths_are_checked_as_explicit(tmp_path):
    (tmp_path / "n.md").write_text(NOTE, "utf-8")
    assert check_entry(tmp_path / "n.md") == (tmp_path / "n.md").resolve()
    with pytest.raises(PathRefusedError) as info:
        check_entry(tmp_path)
    assert info.value.message == "Fichier ignoré : ce n'est pas un fichier ordinaire (dossier)."


# -- ingest through the knowledge base ---------------------------------------------------------------------------


def _store_content(kb) -> tuple:
    con = kb.store.con
    docs = [tuple(r) for r in con.execute("SELECT * FROM documents ORDER BY id")]
    chunks = [tuple(r) for r in con.execute("SELECT id, doc_id, ordinal, text, embed_key FROM chunks ORDER BY id")]
    return docs, chunks


def test_ingest_reports_every_refusal_and_changes_nothing_stored(tree, tmp_path):
    from service.knowledge_base import KnowledgeBase
    from acv.settings import Settings

    settings = Settings(data_dir=tmp_path / "var", embedder="fake", embedder_model="32", parse_isolation=False,
                        _env_file=None)
    kb = KnowledgeBase(settings)
    try:
        first = kb.ingest([tree / "sous"])  # from « sous », « remonte.md » (« ../a.md ») leads out
        assert {os.path.relpath(o.source, tree): (o.status, o.message) for o in first.outcomes} == {
            "sous/b.md": ("added", ""), "sous/remonte.md": ("error", OUT),
            "sous/dossier-grand-parent": ("error", OUT_DIR)}
        before = _store_content(kb)
        report = kb.ingest([tree])
        errors = {os.path.relpath(o.source, tree): o.message for o in report.errors}
        assert errors == {name: message for name, message in _outcomes(list(discover([tree])), tree).items()
                          if message is not None}
        text = "\n".join(r[0] for r in kb.store.con.execute("SELECT text FROM chunks"))
        assert "zygomorphe" not in text and "root:x:0:0" not in text
        # the first document is as it was; the new ones came from inside the folder only
        docs, _chunks = _store_content(kb)
        assert [d for d in docs if d in before[0]] == before[0]
        assert all(Path(d[1]).resolve().is_relative_to(tree.resolve()) for d in docs)
        assert kb.ingest([tree]).count("added") == 0  # nothing new the second time, refusals again
    finally:
        kb.close()


# -- uploads -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, why", [
    ("", "nom vide"),
    ("a\x00b.md", "caractère NUL"),
    ("/etc/passwd", "chemin absolu"),
    ("~root", "chemin absolu"),
    ("..", "il désigne un dossier ou un autre emplacement"),
    (".", "il désigne un dossier ou un autre emplacement"),
    ("../passwd.md", "il désigne un dossier ou un autre emplacement"),
    ("sous/x.md", "il désigne un dossier ou un autre emplacement"),
    ("..\\x.md", "il désigne un dossier ou un autre emplacement"),
])
def test_upload_names_that_leave_the_folder_are_refused(tmp_path, name, why):
    with pytest.raises(PathRefusedError) as info:
        upload_target(tmp_path, name)
    assert info.value.message == f"Nom de fichier refusé : {why}."


def test_upload_target_accepts_plain_names_even_through_a_linked_folder(tmp_path):
    (tmp_path / "vrai").mkdir()
    os.symlink(tmp_path / "vrai", tmp_path / "uploads")
    assert upload_target(tmp_path / "uploads", "note.md") == tmp_path / "uploads" / "note.md"
    assert upload_target(tmp_path / "uploads", ".incoming") == tmp_path / "uploads" / ".incoming"


def test_the_incoming_folder_must_not_be_a_link(tmp_path):
    uploads = tmp_path / "uploads"
    assert paths.upload_folder(uploads, ".incoming") == uploads / ".incoming"
    assert (uploads / ".incoming").is_dir()
    (uploads / ".incoming").rmdir()
    (tmp_path / "ailleurs").mkdir()
    os.symlink(tmp_path / "ailleurs", uploads / ".incoming")
    with pytest.raises(PathRefusedError) as info:
        paths.upload_folder(uploads, ".incoming")
    assert info.value.message == "Dossier des envois refusé : « .incoming » est un lien symbolique."


# -- serving -----------------------------------------------------------------------------------------------------


def _meta(root: Path | None) -> str:
    import json

    return json.dumps({"reader": {"origin": {"root": str(root)}}} if root else {"title": "x"})


def test_served_inside_its_root_or_the_upload_folder(tree, tmp_path):
    root = tree.resolve()
    assert served_file(str(tree / "a.md"), _meta(root), tmp_path / "uploads") == root / "a.md"
    assert served_file(str(tree / "vers-sous-b.md"), _meta(root), tmp_path / "uploads") == root / "sous" / "b.md"
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "n.md").write_text(NOTE, "utf-8")
    assert served_file(str(tmp_path / "uploads" / "n.md"), _meta(None), tmp_path / "uploads") == (
        tmp_path / "uploads" / "n.md").resolve()


def test_a_source_swapped_for_a_link_out_is_not_served(tree, tmp_path):
    (tree / "a.md").unlink()
    os.symlink("/etc/passwd", tree / "a.md")
    with pytest.raises(NotFoundError) as info:
        served_file(str(tree / "a.md"), _meta(tree.resolve()), tmp_path / "uploads", "d1")
    assert (info.value.message, info.value.details) == (paths.SERVE_OUTSIDE, {"doc_id": "d1"})


def test_documents_stored_before_roots_were_recorded(tree, tmp_path):
    """No recorded root: served only when no link is involved."""
    assert served_file(str(tree / "a.md"), _meta(None), tmp_path / "uploads") == (tree / "a.md").resolve()
    for name in ("vers-a.md", "passwd.txt"):
        with pytest.raises(NotFoundError) as info:
            served_file(str(tree / name), _meta(None), tmp_path / "uploads")
        assert info.value.message == paths.SERVE_OUTSIDE


def test_missing_or_special_sources_are_not_served(tree, tmp_path):
    with pytest.raises(NotFoundError) as info:
        served_file(str(tree / "disparu.md"), _meta(tree.resolve()), tmp_path / "uploads")
    assert info.value.message == "Le fichier original n'est plus disponible."
    with pytest.raises(NotFoundError) as info:
        served_file(str(tree / "tube.md"), _meta(tree.resolve()), tmp_path / "uploads")
    assert info.value.message == paths.SERVE_NOT_REGULAR

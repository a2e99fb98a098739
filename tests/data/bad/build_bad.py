"""Regenerate the hostile and broken inputs of tests/test_bad_inputs.py (run from the project root).

Every file is written by this script, so the folder can be rebuilt byte for
byte: PDFs come from reportlab (real fonts) or are assembled object by object
(for the broken and malicious ones), text files from Python strings in the
encoding under test. Inputs that git cannot keep (a file name that is not
UTF-8, a symbolic-link loop, a named pipe) or that are large are made at test
time by `make_runtime_files`.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import random
import tarfile
import zipfile
import zlib
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

HERE = Path(__file__).resolve().parent

# The words the tests look for: accents must survive every encoding.
PARA_CHATELLERAULT = (
    "À Châtellerault, la convention Action cœur de ville signée le 12 octobre 2018 prévoit 41,6 M€ "
    "d'investissements. La commune rénove ses équipements publics, réhabilite l'îlot de la Manufacture "
    "et crée une maison de santé près de la gare. Les façades de la Grande Rue seront ravalées."
)
PARA_EPINAL = (
    "Épinal accompagne les propriétaires du centre historique : l'aide au ravalement des façades atteint "
    "30 % du coût des travaux, et un architecte-conseil reçoit gratuitement les habitants à l'hôtel de ville."
)
PARA_CAHORS = (
    "Cahors poursuit la reconquête des commerces vacants du boulevard Gambetta ; la foncière commerciale "
    "achète, rénove puis loue des cellules à loyer modéré pour attirer de nouveaux artisans."
)


def _paragraphs(*texts: str, repeat: int = 2) -> list[str]:
    return [t for t in texts for _ in range(repeat)]


# -- PDFs with reportlab -------------------------------------------------------------------


def reportlab_pdf(title: str, heading: str, paragraphs: list[str], encrypt: StandardEncryption | None = None) -> bytes:
    styles = getSampleStyleSheet()
    story = [Paragraph(heading, styles["Heading1"])] + [Paragraph(p, styles["BodyText"]) for p in paragraphs]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=title, author="acv-kb", encrypt=encrypt, invariant=1).build(story)
    return buf.getvalue()


def good_pdf() -> bytes:
    return reportlab_pdf("Convention-cadre de Châtellerault", "Convention-cadre de Châtellerault",
                         _paragraphs(PARA_CHATELLERAULT, PARA_EPINAL, PARA_CAHORS, repeat=3))


def image_only_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFillColorRGB(0.6, 0.8, 0.9)
    c.rect(3 * cm, 10 * cm, 12 * cm, 8 * cm, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


# -- PDFs assembled object by object -------------------------------------------------------------


def raw_pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"", version: bytes = b"1.4") -> bytes:
    """A PDF whose objects are numbered 1..n in order, with a correct xref table."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def text_ops(lines: list[str], size: int = 11) -> bytes:
    ops = [b"BT /F1 %d Tf 14 TL 56 780 Td" % size]
    for line in lines:
        esc = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + esc + b") '")
    ops.append(b"ET")
    return b"\n".join(ops)


def wrap(text: str, width: int = 90) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def one_page_pdf(content: bytes, extra_catalog: bytes = b"", content_extra: bytes = b"") -> bytes:
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        stream(content, content_extra),
        FONT,
    ])


def javascript_pdf() -> bytes:
    content = text_ops(["Note sur la revitalisation de Cahors", ""] + wrap(PARA_CAHORS))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R /AA << /O 6 0 R >> >>",
        stream(content),
        FONT,
        b"<< /Type /Action /S /JavaScript /JS (app.alert\\('acv'\\); this.exportDataObject\\({cName: 'x'}\\);) >>",
    ]
    return raw_pdf(objects)


def many_pages_pdf(pages: int = 5000) -> bytes:
    """5,000 pages sharing one content stream: a few hundred kilobytes on disk."""
    first = 4 + pages
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> >>" % pages,
        FONT,
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents %d 0 R >>" % (first if i == 0 else first + 1)
                for i in range(pages)]
    objects.append(stream(text_ops(["Annexe de Châtellerault"] + wrap(PARA_CHATELLERAULT))))
    objects.append(stream(b""))
    return raw_pdf(objects)


def zeros_deflated(total: int, level: int = 9) -> bytes:
    comp = zlib.compressobj(level)
    block = bytes(1 << 20)
    parts = [comp.compress(block) for _ in range(total >> 20)]
    parts.append(comp.flush())
    return b"".join(parts)


def flate_bomb_pdf() -> bytes:
    """One content stream, deflated twice, that inflates to 2 GiB of zeros (a few kilobytes on disk)."""
    once = zeros_deflated(2 << 30)
    twice = zlib.compress(once, 9)
    return one_page_pdf(twice, content_extra=b"/Filter [/FlateDecode /FlateDecode] ")


def multi_stream_bomb_pdf(refs: int = 400) -> bytes:
    """A page whose /Contents names the same 70 MB stream 400 times: 28 GB once concatenated."""
    bomb = zeros_deflated(70 << 20)
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [" + b" 4 0 R" * refs + b"] >>",
        stream(bomb, b"/Filter /FlateDecode "),
    ])


def slow_pages_pdf(pages: int = 2000) -> bytes:
    """2,000 pages that all draw the same stream inflating past pypdf's 75 MB cap: minutes of zlib work."""
    bomb = zeros_deflated(80 << 20)
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d /MediaBox [0 0 595 842] >>" % pages,
        stream(bomb, b"/Filter /FlateDecode "),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>" for _ in range(pages)]
    return raw_pdf(objects)


def page_cycle_pdf() -> bytes:
    """A page tree whose /Kids contains itself."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R 2 0 R] /Count 2 >>",
    ])


def nested_arrays_pdf(depth: int = 100_000) -> bytes:
    """An object made of 100,000 nested arrays: a recursive parser overflows its stack."""
    return one_page_pdf(text_ops(wrap(PARA_EPINAL)), extra_catalog=b"/Deep " + b"[" * depth + b"]" * depth + b" ")


def huge_length_pdf() -> bytes:
    """A stream that declares a length of 99 GB."""
    content = text_ops(wrap(PARA_CAHORS))
    return one_page_pdf(content).replace(b"/Length %d " % len(content), b"/Length 99999999999 ")


def corrupt_xref(data: bytes) -> bytes:
    """Every xref offset shifted: a reader must rebuild the table by scanning the file."""
    head, sep, tail = data.rpartition(b"\nxref\n")
    lines = tail.split(b"\n")
    out = []
    for line in lines:
        if len(line) >= 18 and line[:10].isdigit() and line.rstrip().endswith(b"n"):
            line = b"%010d" % (int(line[:10]) + 7) + line[10:]
        out.append(line)
    return head + sep + b"\n".join(out)


def garbage_startxref(data: bytes) -> bytes:
    head, _sep, _tail = data.rpartition(b"startxref")
    return head + b"startxref\n999999999\n%%EOF\n"


# -- text files -------------------------------------------------------------------------------


def html_page(title: str, paragraphs: list[str], charset: str | None, extra_head: str = "") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html>\n<html lang=\"fr\"><head>{meta}{extra_head}<title>{title}</title></head>\n"
            f"<body><main><h1>{title}</h1>\n{body}\n</main></body></html>\n")


def markdown_note(title: str, paragraphs: list[str], front: str | None = None) -> str:
    head = f"---\n{front}\n---\n\n" if front is not None else ""
    return head + f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"


LEGACY_PARAS = [PARA_CHATELLERAULT, PARA_EPINAL,
                "Les œuvres du musée et les équipements culturels rénovés ouvriront à l’été ; coût : 2,4 M€."]


def text_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    # legacy encodings, with and without a declaration
    for enc, label in (("cp1252", "windows-1252"), ("latin-1", "iso-8859-1")):
        paras = LEGACY_PARAS if enc == "cp1252" else [p.replace("œ", "oe").replace("’", "'").replace("€", "euros")
                                                       for p in LEGACY_PARAS]
        files[f"html-{label}-declare.html"] = html_page("Châtellerault rénove ses équipements", paras,
                                                        label).encode(enc)
        files[f"html-{label}-sans-declaration.html"] = html_page("Châtellerault rénove ses équipements", paras,
                                                                 None).encode(enc)
    files["html-charset-menteur.html"] = html_page("Châtellerault rénove ses équipements", LEGACY_PARAS,
                                                   "utf-8").encode("cp1252")
    files["html-charset-inconnu.html"] = html_page("Châtellerault rénove ses équipements", LEGACY_PARAS,
                                                   "x-klingon").encode("utf-8")
    files["html-xml-latin1.xhtml"] = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + html_page(
        "Épinal et ses façades", [PARA_EPINAL.replace("’", "'")], None)).encode("latin-1")
    files["html-utf16-bom.html"] = codecs.BOM_UTF16_LE + html_page(
        "Châtellerault rénove ses équipements", LEGACY_PARAS, None).encode("utf-16-le")
    files["txt-latin1.txt"] = ("Châtellerault rénove ses équipements\n\n" + "\n\n".join(
        p.replace("œ", "oe").replace("’", "'").replace("€", "euros") for p in LEGACY_PARAS)).encode("latin-1")
    files["txt-utf16-le-bom.txt"] = ("Épinal et ses façades\n\n" + PARA_EPINAL).encode("utf-16")
    files["txt-utf16-be-bom.txt"] = codecs.BOM_UTF16_BE + ("Épinal et ses façades\n\n" + PARA_EPINAL).encode(
        "utf-16-be")
    files["txt-utf8-bom.txt"] = codecs.BOM_UTF8 + ("Épinal et ses façades\n\n" + PARA_EPINAL).encode("utf-8")
    files["txt-utf8-invalide.txt"] = ("Cahors et ses commerces\n\n" + PARA_CAHORS).encode("utf-8") + b"\xff\xfe\xc3"
    # depth, size and shape
    depth = 10_000
    files["html-10000-div.html"] = ("<!DOCTYPE html><html><head><title>Imbrication</title></head><body>"
                                    + "<div>" * depth + f"<p>{PARA_CAHORS}</p>" + "</div>" * depth
                                    + "</body></html>").encode()
    files["html-balises-innombrables.html"] = ("<html><body><h1>Cahors</h1><p>" + PARA_CAHORS + "</p>"
                                               + "<b>x</b>" * 60_000 + "</body></html>").encode()
    files["html-10000-div-non-fermes.html"] = ("<html><body>" + "<div><span>" * depth + PARA_CAHORS).encode()
    words = (PARA_CHATELLERAULT + " ") * 2500
    files["txt-ligne-tres-longue.txt"] = words.encode()  # ~600 KB, no line break
    files["txt-mot-geant.txt"] = ("Cahors " + "a" * 300_000 + " " + PARA_CAHORS).encode()
    files["txt-caracteres-controle.txt"] = ("Cahors\x07 et ses com\x08merces\n\n" + PARA_CAHORS.replace(
        " ", " \x1b", 3)).encode()
    files["md-caracteres-controle.md"] = ("# Épinal\x0b et ses façades\n\n" + PARA_EPINAL.replace(
        "façades", "fa\x01çades") + "\n").encode()
    files["txt-ponctuation-seule.txt"] = ("…… ---- !!! ??? ;;; //// " * 40).encode()
    files["txt-nul-binaire.txt"] = b"Cahors\x00\x00\x00" + bytes(range(256)) * 4
    rng = random.Random(7)
    files["html-binaire.html"] = bytes(rng.randrange(256) for _ in range(4096))
    files["html-png-deguise.html"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256)
                                                                                   for _ in range(2048))
    # empty, blank and content-free pages
    for name in ("vide.pdf", "vide.html", "vide.md", "vide.txt"):
        files[name] = b""
    files["blanc.html"] = b"  \n\t\r\n   \n"
    files["html-bandeau-cookies.html"] = (
        "<!DOCTYPE html><html><head><title></title></head><body>"
        '<div id="cookie-banner" class="cookie-consent"><p>Ce site utilise des cookies pour mesurer '
        "l'audience et améliorer votre expérience de navigation. "
        '<button>Tout accepter</button> <button>Tout refuser</button> <a href="#">Personnaliser</a></p></div>'
        "</body></html>").encode()
    files["html-scripts-seuls.html"] = ("<html><head><title></title><script>var a = '" + "x" * 5000
                                        + "';</script><style>p{color:red}</style></head><body>"
                                        "<script>document.write('Châtellerault')</script></body></html>").encode()
    files["html-commentaire-non-ferme.html"] = ("<html><body><h1>Cahors</h1><p>" + PARA_CAHORS
                                                + "</p><!-- commentaire jamais fermé <p>caché</p>").encode()
    files["html-titre-script.html"] = html_page(
        "&lt;script&gt;alert(1)&lt;/script&gt;", [PARA_CAHORS, PARA_EPINAL], "utf-8").encode()
    # Markdown
    files["md-front-matter-casse.md"] = markdown_note("Les façades d'Épinal", [PARA_EPINAL],
                                                      'title: "non fermé\ndate: [2019-01-18\n  : : :').encode()
    files["md-front-matter-non-ferme.md"] = ("---\ntitle: Épinal\ndate: 2019-01-18\n\n# Les façades d'Épinal\n\n"
                                             + PARA_EPINAL + "\n").encode()
    files["md-front-matter-liste.md"] = markdown_note("Les façades d'Épinal", [PARA_EPINAL],
                                                      "- un\n- deux").encode()
    aliases = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    files["md-yaml-milliard-de-rires.md"] = markdown_note("Les façades d'Épinal", [PARA_EPINAL], aliases).encode()
    files["md-yaml-objet-python.md"] = markdown_note(
        "Les façades d'Épinal", [PARA_EPINAL], "title: !!python/object/apply:os.system ['echo pwned']").encode()
    files["md-titre-script.md"] = markdown_note(
        "Note", [PARA_CAHORS, "<script>alert(2)</script> <img src=x onerror=alert(3)>"],
        'title: "<script>alert(1)</script>"').encode()
    files["md-imbrication-profonde.md"] = ("# Cahors\n\n" + ">" * 5000 + " " + PARA_CAHORS + "\n\n"
                                           + "".join("  " * i + "- niveau\n" for i in range(300))).encode()
    files["md-lien-geant.md"] = ("# Cahors\n\n" + PARA_CAHORS + "\n\n" + "[" * 50_000 + "x" + "](y)" * 50_000
                                 ).encode()
    files.update(charset_files())
    files.update(archive_files())
    return files


def pdf_files() -> dict[str, bytes]:
    good = good_pdf()
    files = {
        "pdf-tronque.pdf": good[: len(good) // 2],
        "pdf-tronque-en-tete.pdf": good[:400],
        "pdf-en-tete-seul.pdf": b"%PDF-1.7\n",
        "pdf-xref-corrompue.pdf": corrupt_xref(good),
        "pdf-startxref-faux.pdf": garbage_startxref(good),
        "pdf-chiffre-mot-de-passe.pdf": reportlab_pdf(
            "Convention", "Convention de Châtellerault", [PARA_CHATELLERAULT],
            StandardEncryption("secret", ownerPassword="proprietaire")),
        "pdf-chiffre-sans-mot-de-passe.pdf": reportlab_pdf(
            "Convention", "Convention de Châtellerault", _paragraphs(PARA_CHATELLERAULT, repeat=3),
            StandardEncryption("", ownerPassword="proprietaire")),
        "pdf-image-seule.pdf": image_only_pdf(),
        "pdf-5000-pages.pdf": many_pages_pdf(5000),
        "pdf-bombe-flate.pdf": flate_bomb_pdf(),
        "pdf-bombe-multiflux.pdf": multi_stream_bomb_pdf(),
        "pdf-bombe-temps.pdf": slow_pages_pdf(),
        "pdf-cycle-pages.pdf": page_cycle_pdf(),
        "pdf-tableaux-imbriques.pdf": nested_arrays_pdf(),
        "pdf-longueur-geante.pdf": huge_length_pdf(),
        "pdf-javascript.pdf": javascript_pdf(),
        "pdf-deguise-en.md": good,
        "pdf-deguise-en.txt": good + b"% copie sous un autre nom\n",
        "pdf-sans-page.pdf": raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
        "pdf-titre-script.pdf": reportlab_pdf("<script>alert(1)</script>", "Convention de Cahors",
                                              _paragraphs(PARA_CAHORS, repeat=3)),
    }
    # a clean copy through pypdf, then one byte in ten thousand flipped
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good)))
    buf = io.BytesIO()
    writer.write(buf)
    data = bytearray(buf.getvalue())
    rng = random.Random(11)
    for _ in range(len(data) // 10_000 + 1):
        i = rng.randrange(200, len(data))
        data[i] ^= 0xFF
    files["pdf-octets-inverses.pdf"] = bytes(data)
    return files


PARA_FENETRES = (
    "Rénovation des fenêtres du centre ancien : la ville de Châtellerault finance 40 % du remplacement des "
    "menuiseries, à condition de respecter le cahier des prescriptions de l'architecte des bâtiments de France. "
    "Les œuvres d'art de la façade de l'hôtel de ville seront restaurées l’été prochain (coût : 1,2 M€)."
)


def meta_page(title: str, paragraphs: list[str], head: str, prolog: str = "") -> str:
    """A page with the charset declarations given verbatim in `head` (and an optional XML prolog)."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"{prolog}<!DOCTYPE html>\n<html lang=\"fr\"><head>{head}<title>{title}</title></head>\n"
            f"<body><main><h1>{title}</h1>\n{body}\n</main></body></html>\n")


def charset_files() -> dict[str, bytes]:
    """Declarations that lie, conflict or are missing; the bytes must decide."""
    fenetres = [PARA_FENETRES, PARA_CHATELLERAULT]
    latin = [p.replace("œ", "oe").replace("’", "'").replace("€", "euros") for p in fenetres]
    files = {
        # UTF-8 bytes under a legacy label: the case of the issue (« RÃ©novation des fenÃªtres »)
        "html-utf8-declare-iso-8859-1.html": meta_page(
            "Rénovation des fenêtres", fenetres, '<meta charset="iso-8859-1">').encode("utf-8"),
        "html-utf8-declare-windows-1252.html": meta_page(
            "Rénovation des fenêtres", fenetres,
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">').encode("utf-8"),
        "html-utf8-declare-utf16-sans-bom.html": meta_page(
            "Rénovation des fenêtres", fenetres, '<meta charset="utf-16">').encode("utf-8"),
        "html-utf8-bom-declare-iso-8859-1.html": codecs.BOM_UTF8 + meta_page(
            "Rénovation des fenêtres", fenetres, '<meta charset="iso-8859-1">').encode("utf-8"),
        "html-utf16-be-bom.html": codecs.BOM_UTF16_BE + meta_page(
            "Rénovation des fenêtres", fenetres, '<meta charset="iso-8859-1">').encode("utf-16-be"),
        # three declarations that disagree, bytes in windows-1252 (« œ », « € », « ’ » exist only there)
        "html-declarations-contradictoires.html": meta_page(
            "Rénovation des fenêtres", fenetres,
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><meta charset="windows-1252">',
            '<?xml version="1.0" encoding="utf-8"?>\n').encode("cp1252"),
        # the XML prolog and <meta> disagree; the bytes are UTF-8, then ISO-8859-1
        "html-xml-utf8-meta-latin1.xhtml": meta_page(
            "Rénovation des fenêtres", fenetres, '<meta charset="iso-8859-1">',
            '<?xml version="1.0" encoding="UTF-8"?>\n').encode("utf-8"),
        "html-xml-latin1-meta-utf8.xhtml": meta_page(
            "Rénovation des fenêtres", latin, '<meta charset="utf-8">',
            '<?xml version="1.0" encoding="ISO-8859-1"?>\n').encode("latin-1"),
        # UTF-8 with one stray byte, labelled latin-1: still UTF-8
        "html-utf8-octet-errant-declare-latin1.html": meta_page(
            "Rénovation des fenêtres", fenetres, '<meta charset="iso-8859-1">').encode("utf-8").replace(
            b"</main>", b"\xff</main>"),
        # nothing but ASCII, under an exotic label
        "html-ascii-pur.html": meta_page(
            "Renovation des fenetres", ["La ville de Cahors renove les fenetres du centre ancien et aide les "
                                        "proprietaires a remplacer leurs menuiseries."] * 3,
            '<meta charset="shift_jis">').encode("ascii"),
    }
    return files


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            zf.writestr(info, data, compress_type=compression)
    return buf.getvalue()


def _tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_577_836_800
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def archive_files() -> dict[str, bytes]:
    """Archives named as documents, and polyglots (one file, two formats)."""
    page = html_page("Cahors reconquiert ses commerces", [PARA_CAHORS] * 3, "utf-8").encode()
    note = markdown_note("Cahors reconquiert ses commerces", [PARA_CAHORS] * 3).encode()
    pdf = good_pdf()
    long_page = html_page("Cahors reconquiert ses commerces", [PARA_CAHORS] * 60, "utf-8").encode()  # > 8 KB
    return {
        "zip-renomme.pdf": _zip({"note.md": note}),
        "zip-renomme.html": _zip({"page.html": page}),
        "gzip-renomme.html": gzip.compress(page, mtime=0),
        "tar-renomme.pdf": _tar({"note.md": note}),
        # a ZIP whose first member, stored uncompressed, is a PDF: the PDF signature comes first
        "zip-pdf-polyglotte.pdf": _zip({"convention.pdf": pdf}, zipfile.ZIP_STORED),
        # an HTML page that carries a whole PDF in a comment: read as the PDF it also is
        "polyglotte-html-pdf.html": page.replace(b"</body>", b"<!--\n" + pdf + b"\n--></body>"),
        # a PDF with an HTML page after %%EOF: read as a PDF, the page is not its text
        "polyglotte-pdf-html.pdf": pdf + page,
        # an HTML page longer than the sniffed head, then a ZIP archive glued on
        "polyglotte-html-zip.html": long_page + _zip({"note.md": note}),
        # a long text with three stray NUL bytes past the sniffed head: damage, not binary; the NULs are dropped
        "txt-octets-nuls-isoles.txt": ("Cahors et ses commerces\n\n" + "\n\n".join([PARA_CAHORS] * 50)).encode()
        + b"\x00\x00\x00\n\n" + PARA_EPINAL.encode(),
    }


def huge_markdown(items: int = 1_000_000) -> bytes:
    """One list of a million items (about 19 MB): built at test time, never committed."""
    return ("# Inventaire des commerces de Cahors\n\n" + PARA_CAHORS + "\n\n"
            + "".join(f"- cellule {i}\n" for i in range(items))).encode()


def text_objects_pdf(count: int = 50_000) -> bytes:
    """One page drawing 50,000 tiny text objects (BT … ET), one word each (about 2 MB): built at test time."""
    ops = [b"BT /F1 6 Tf %d %d Td (mot%d) Tj ET" % (20 + i % 90 * 6, 20 + i // 90 % 130 * 6, i) for i in range(count)]
    return one_page_pdf(b"\n".join(ops))


def make_runtime_files(folder: Path, *, oversize_bytes: int) -> dict[str, str]:
    """Inputs git cannot store; returns {source file name: key in expected.json}."""
    names: dict[str, str] = {}
    raw = os.fsencode(folder) + b"/ch\xe2tellerault-\xff\xfe.txt"  # latin-1 « â » then bytes that are never UTF-8
    with open(raw, "wb") as fh:
        fh.write(("Châtellerault et ses équipements\n\n" + PARA_CHATELLERAULT).encode())
    names[os.path.basename(os.fsdecode(raw))] = "<nom non UTF-8>.txt"
    os.symlink("boucle-b.txt", folder / "boucle-a.txt")
    os.symlink("boucle-a.txt", folder / "boucle-b.txt")
    names["boucle-a.txt"] = names["boucle-b.txt"] = "<lien en boucle>.txt"
    os.symlink("nulle-part.txt", folder / "lien-casse.txt")
    names["lien-casse.txt"] = "<lien cassé>.txt"
    os.mkfifo(folder / "tube.txt")
    names["tube.txt"] = "<tube nommé>.txt"
    big = (PARA_CAHORS + "\n\n") * (oversize_bytes // len(PARA_CAHORS.encode()) + 1)
    (folder / "trop-gros.txt").write_text(big, "utf-8")
    names["trop-gros.txt"] = "<trop gros>.txt"
    names.update(make_links(folder))
    return names


SECRET = "Code du coffre de la mairie : zygomorphe-kiwi-4821."


def make_links(folder: Path) -> dict[str, str]:
    """Links that try to lead the ingest out of `folder` (to /etc/passwd, a device, a sibling folder), plus
    links that stay inside; the sibling folder « hors-dossier » holds a secret that must never be indexed."""
    outside = folder.parent / "hors-dossier"
    outside.mkdir(exist_ok=True)
    (outside / "secret.md").write_text("# Secret\n\n" + SECRET + "\n", "utf-8")
    inner = folder / "_interne"
    inner.mkdir()
    (inner / "cible.md").write_text(markdown_note("Les façades d'Épinal", [PARA_EPINAL]), "utf-8")
    links = {
        "lien-passwd.txt": ("/etc/passwd", "<lien vers /etc/passwd>.txt"),
        "lien-zero.txt": ("/dev/zero", "<lien vers un périphérique>.txt"),
        "lien-hors-dossier.md": (str(outside / "secret.md"), "<lien vers un fichier hors du dossier>.md"),
        "chaine-1.md": ("chaine-2.md", "<liens en chaîne vers l'extérieur>.md"),
        "chaine-2.md": ("../hors-dossier/secret.md", "<liens en chaîne vers l'extérieur>.md"),
        "lien-dossier-hors": (str(outside), "<lien vers un dossier hors du dossier>"),
        "lien-dossier-parent": ("..", "<lien vers le dossier parent>"),
        "lien-interne.md": ("_interne/cible.md", "<lien vers un fichier du dossier>.md"),
        "boucle-dossier": (".", ""),  # a link to the folder itself: inside, never followed, never reported
    }
    for name, (target, _key) in links.items():
        os.symlink(target, folder / name)
    return {name: key for name, (_target, key) in links.items() if key}


def main() -> None:
    for name, data in {**pdf_files(), **text_files()}.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()

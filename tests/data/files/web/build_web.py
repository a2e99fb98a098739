"""Build the main-content benchmark pages: articles.yaml rendered in four site styles, three markups each.

Each page wraps one article in the furniture of its kind of site (menus, breadcrumbs, cookie banners,
sidebars, « À lire aussi », comments, related cards with their own dates, footers), and labels.json
records what a reader should keep: the title, the publication date and the main text (title, lead,
paragraphs, list items, table cells). Run from the project root; the output is byte-reproducible:

    .venv/bin/python tests/data/files/web/build_web.py
"""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]

OTHER_NEWS = [
    ("Campagne de vaccination antigrippale : les pharmacies mobilisées", "2023-10-02"),
    ("Sécheresse : de nouvelles restrictions d'usage de l'eau dans le département", "2022-07-21"),
    ("Élections : inscriptions sur les listes électorales jusqu'au 3 mars", "2024-01-15"),
    ("Forum de l'emploi saisonnier au parc des expositions", "2023-04-11"),
    ("Le festival des arts de la rue revient cet été avec quarante compagnies", "2022-05-30"),
    ("Fermeture de la piscine municipale pour vidange technique", "2021-08-23"),
]
CARDS = [
    ("Le conseil municipal adopte le budget primitif",
     "Les élus ont voté un budget en hausse, porté par les investissements dans les écoles et la voirie, "
     "avec une stabilité des taux d'imposition pour la troisième année consécutive."),
    ("Collecte des déchets : les horaires changent au 1er janvier",
     "Les bacs jaunes seront désormais collectés le mercredi dans les quartiers nord. Un calendrier "
     "détaillé sera distribué dans toutes les boîtes aux lettres au cours du mois de décembre."),
    ("Un nouveau terrain de sport synthétique au stade municipal",
     "Le terrain, éclairé et accessible aux clubs comme aux scolaires, remplace l'ancienne pelouse "
     "stabilisée qui ne permettait plus d'accueillir les compétitions régionales de football."),
]
COMMENTS = [
    ("Marcel59", "Enfin ! Ça fait des années qu'on attend que quelque chose bouge dans ce centre-ville, "
                 "espérons que les loyers suivront pour que les commerçants puissent rester."),
    ("Citoyenne engagée", "On parle toujours des commerces mais jamais du stationnement. Sans places "
                          "gratuites, les gens continueront d'aller dans les zones commerciales."),
]
COOKIES = ("<div class=\"cookie-banner\" id=\"cookies\"><p>Ce site utilise des cookies pour mesurer "
           "l'audience et améliorer votre navigation. Vous pouvez accepter ou refuser ces cookies.</p>"
           "<button>Tout accepter</button><button>Tout refuser</button><a href=\"#\">Personnaliser</a></div>")


def fr_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {MONTHS[d.month - 1]} {d.year}"


def slash_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def e(text: str) -> str:
    return html.escape(text, quote=False)


def body_html(a: dict[str, Any], *, chapo_class: str = "chapo", lists: str = "ul") -> str:
    parts = [f"<p class=\"{chapo_class}\"><strong>{e(a['chapo'])}</strong></p>"]
    parts += [f"<p>{e(p)}</p>" for p in a["paragraphs"][:1]]
    if a.get("items"):
        parts.append(f"<{lists}>" + "".join(f"<li>{e(i)}</li>" for i in a["items"]) + f"</{lists}>")
    parts += [f"<p>{e(p)}</p>" for p in a["paragraphs"][1:]]
    if a.get("table"):
        head, *rows = a["table"]
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(str(c))}</th>" for c in head) + "</tr></thead><tbody>"
                     + "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in rows)
                     + "</tbody></table>")
    return "\n".join(parts)


def head(a: dict[str, Any], *, meta: bool, jsonld: bool, site_suffix: str) -> str:
    lines = ["<!DOCTYPE html>", "<html lang=\"fr\">", "<head>", "<meta charset=\"utf-8\">",
             f"<title>{e(a['title'])} {site_suffix}</title>",
             f"<meta name=\"description\" content=\"{html.escape(a['chapo'][:150])}\">"]
    if meta:
        lines += [f"<meta property=\"og:title\" content=\"{html.escape(a['title'])}\">",
                  "<meta property=\"og:type\" content=\"article\">",
                  f"<meta property=\"og:site_name\" content=\"{html.escape(a['site'])}\">",
                  f"<meta property=\"article:published_time\" content=\"{a['date']}T09:30:00+01:00\">"]
        if a.get("updated"):
            lines.append(f"<meta property=\"article:modified_time\" content=\"{a['updated']}T08:00:00+01:00\">")
    if jsonld:
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"],
                "datePublished": f"{a['date']}T06:00:00+01:00",
                "dateModified": f"{a.get('updated', a['date'])}T10:00:00+01:00",
                "publisher": {"@type": "Organization", "name": a["site"]}}
        lines.append("<script type=\"application/ld+json\">" + json.dumps(data, ensure_ascii=False) + "</script>")
    lines += ["<link rel=\"stylesheet\" href=\"/css/site.css\">", "</head>"]
    return "\n".join(lines)


def other_news(n: int, offset: int) -> list[tuple[str, str]]:
    return [OTHER_NEWS[(offset + i) % len(OTHER_NEWS)] for i in range(n)]


# --- prefecture ----------------------------------------------------------------------------------


def prefecture(a: dict[str, Any], k: int) -> str:
    site = a["site"]
    menu = ("<ul><li><a href=\"/Actualites\">Actualités</a></li><li><a href=\"/Politiques-publiques\">Politiques "
            "publiques</a></li><li><a href=\"/Demarches\">Démarches administratives</a></li><li><a href=\"/Services-de-l-Etat\">"
            "Services de l'État</a></li><li><a href=\"/Publications\">Publications</a></li></ul>")
    news = other_news(4, k)
    if a["variant"] == 0:
        return "\n".join([
            head(a, meta=True, jsonld=False, site_suffix=f"| {site}"), "<body>", COOKIES,
            f"<header role=\"banner\"><div class=\"logo\">République française — {e(site)}</div>"
            f"<nav role=\"navigation\" aria-label=\"Menu principal\">{menu}</nav></header>",
            "<nav class=\"fr-breadcrumb\" aria-label=\"vous êtes ici\"><a href=\"/\">Accueil</a> &gt; "
            "<a href=\"/Actualites\">Actualités</a> &gt; <a href=\"/Actualites/Communiques-de-presse\">Communiqués de presse</a></nav>",
            "<main id=\"main\"><article class=\"fr-article\">",
            f"<h1>{e(a['title'])}</h1>",
            f"<p class=\"fr-text--sm date\">Publié le {slash_date(a['date'])}"
            + (f" - Mis à jour le {slash_date(a['updated'])}" if a.get("updated") else "") + "</p>",
            body_html(a),
            "<div class=\"contact-presse\"><h2>Contact presse</h2><p>Bureau de la communication "
            "interministérielle — 02 33 00 00 00 — pref-communication@exemple.gouv.fr</p></div>",
            "<div class=\"share\"><p>Partager la page</p><ul><li><a href=\"#\">Facebook</a></li><li><a href=\"#\">"
            "X (anciennement Twitter)</a></li><li><a href=\"#\">LinkedIn</a></li><li><a href=\"#\">Courriel</a></li></ul></div>",
            "</article>",
            "<aside class=\"related\"><h2>Dans la même rubrique</h2><ul>"
            + "".join(f"<li><a href=\"#\">{e(t)}</a> <span>{slash_date(d)}</span></li>" for t, d in news)
            + "</ul></aside></main>",
            f"<footer role=\"contentinfo\"><p>{e(site)} — Accessibilité : partiellement conforme — "
            "Mentions légales — Données personnelles — Plan du site</p><p>© 2024 Services de l'État</p></footer>",
            "</body></html>"])
    if a["variant"] == 1:
        return "\n".join([
            head(a, meta=False, jsonld=False, site_suffix=f"- {site}"), "<body>",
            f"<div id=\"header\"><a href=\"/\">{e(site)}</a><div class=\"menu\">{menu}</div>"
            "<form class=\"search\"><input name=\"q\" placeholder=\"Rechercher\"></form></div>",
            "<p class=\"ariane\">Accueil / Actualités / Communiqués</p>",
            "<main><div class=\"titre\">",
            f"<h1>{e(a['title'])}</h1>",
            f"<span class=\"publication\">Mis à jour le {fr_date(a.get('updated', a['date']))}</span>"
            f" <span class=\"publication\">Publié le {fr_date(a['date'])}</span></div>",
            "<div class=\"texte\">", body_html(a, chapo_class="intro"), "</div>",
            "<div class=\"pieces-jointes\"><h3>Documents</h3><p><a href=\"#\">Communiqué de presse "
            "(PDF, 180 ko)</a></p></div>",
            "</main>",
            "<div class=\"bloc-actus\"><h2>À la une</h2>"
            + "".join(f"<div class=\"actu\"><h3>{e(t)}</h3><p>{fr_date(d)}</p></div>" for t, d in news)
            + "</div>",
            f"<div id=\"footer\"><p>{e(site)}, place de la Préfecture</p><p>Horaires d'ouverture au public : "
            "du lundi au vendredi de 8 h 45 à 12 h et de 13 h 30 à 16 h</p></div>",
            "</body></html>"])
    return "\n".join([
        head(a, meta=False, jsonld=True, site_suffix=f"/ {site}"), "<body>",
        "<table class=\"layout\" width=\"100%\"><tr><td class=\"gauche\">",
        f"<div class=\"bandeau\">{e(site)}</div><div class=\"navigation\">{menu}</div></td><td class=\"centre\">",
        "<div id=\"contenu\">",
        f"<h1 class=\"titre-page\">{e(a['title'])}</h1>",
        f"<div class=\"date-publication\">Date de publication : {fr_date(a['date'])}</div>",
        "<div class=\"texte\">", body_html(a, chapo_class="chapeau"), "</div></div>",
        "</td><td class=\"droite\"><div class=\"colonne-droite\"><h2>Actualités</h2>"
        + "".join(f"<p><a href=\"#\">{e(t)}</a><br>{fr_date(d)}</p>" for t, d in news)
        + "<h2>Liens utiles</h2><p><a href=\"#\">Prendre rendez-vous en ligne</a></p></div></td></tr></table>",
        f"<div class=\"pied\">{e(site)} — Tous droits réservés — Plan du site — Contact</div>",
        "</body></html>"])


# --- city hall -----------------------------------------------------------------------------------


def mairie(a: dict[str, Any], k: int) -> str:
    site = a["site"]
    menu = ("<ul><li>Ma ville</li><li>Vivre à " + e(a["city"]) + "</li><li>Culture et loisirs</li>"
            "<li>Démarches en ligne</li><li>Grands projets</li></ul>")
    agenda = ("<div class=\"agenda\"><h2>Agenda</h2><ul><li>Samedi 12 : marché des producteurs, place de "
              "l'Hôtel-de-Ville</li><li>Dimanche 13 : concert de l'harmonie municipale au kiosque</li>"
              "<li>Mardi 15 : conseil municipal à 18 h 30</li></ul></div>")
    cards = "".join(f"<div class=\"card\"><h3>{e(t)}</h3><p>{e(d)}</p><a href=\"#\">Lire la suite</a></div>"
                    for t, d in CARDS)
    if a["variant"] == 0:
        return "\n".join([
            head(a, meta=True, jsonld=False, site_suffix=f"- {site}"), "<body>", COOKIES,
            f"<header><div class=\"logo\">{e(site)}</div><nav>{menu}</nav></header>",
            "<div class=\"page\"><article class=\"actualite\">",
            f"<h1>{e(a['title'])}</h1>",
            f"<p class=\"meta\">Mis en ligne le {fr_date(a['date'])} — Rubrique : Grands projets</p>",
            body_html(a),
            "<p class=\"partage\">Partager : Facebook | Twitter | Imprimer</p>",
            "</article>",
            "<aside class=\"sidebar\"><h2>En un clic</h2><ul><li>Payer la cantine</li><li>Signaler un problème "
            "sur la voie publique</li><li>Réserver une salle</li></ul>" + agenda + "</aside></div>",
            "<section class=\"newsletter\"><h2>Restez informé</h2><p>Recevez chaque mois l'essentiel de "
            "l'actualité municipale dans votre boîte aux lettres électronique.</p><form><input type=\"email\">"
            "</form></section>",
            f"<footer><p>Hôtel de ville de {e(a['city'])} — ouvert du lundi au vendredi</p><p>Mentions légales — "
            "Accessibilité — Cookies</p></footer>", "</body></html>"])
    if a["variant"] == 1:
        return "\n".join([
            head(a, meta=False, jsonld=False, site_suffix=f"| {site}"), "<body>",
            f"<div class=\"top\"><div class=\"logo\">{e(site)}</div><div class=\"menu-principal\">{menu}</div></div>",
            f"<div class=\"breadcrumb\">Accueil › Actualités › {e(a['title'])}</div>",
            "<div class=\"contenu-principal\"><div class=\"actu-detail\">",
            f"<h1>{e(a['title'])}</h1>",
            f"<div class=\"date\"><time datetime=\"{a['date']}\">{fr_date(a['date'])}</time></div>",
            body_html(a, chapo_class="accroche", lists="ol"),
            "</div>",
            "<div class=\"vous-aimerez-aussi\"><h2>Vous aimerez aussi</h2>" + cards + "</div>",
            "</div>",
            "<div class=\"infos-pratiques\"><h2>Infos pratiques</h2><p>Accueil de la mairie : 03 00 00 00 00</p>"
            "</div>",
            f"<div class=\"footer\">© Ville de {e(a['city'])} 2024 — Plan du site</div>", "</body></html>"])
    return "\n".join([
        head(a, meta=True, jsonld=False, site_suffix=f"— {site}"), "<body>", COOKIES,
        f"<header><p>{e(site)}</p><nav>{menu}</nav></header>",
        "<main><section class=\"actu\">",
        f"<h1>{e(a['title'])}</h1>",
        f"<p class=\"date\">Publié le {date.fromisoformat(a['date']).strftime('%d.%m.%Y')}</p>",
        body_html(a),
        "</section><section class=\"autres-actus\"><h2>Les autres actualités</h2>" + cards + "</section></main>",
        agenda,
        f"<footer><p>Ville de {e(a['city'])}</p></footer>", "</body></html>"])


# --- regional press ------------------------------------------------------------------------------


def presse(a: dict[str, Any], k: int) -> str:
    site = a["site"]
    menu = "<ul><li>Accueil</li><li>Faits divers</li><li>Politique</li><li>Économie</li><li>Sports</li><li>Loisirs</li></ul>"
    most_read = "".join(f"<li>{e(t)}</li>" for t, _ in other_news(5, k + 2))
    comments = "".join(f"<div class=\"comment\"><p class=\"auteur\">{e(u)}</p><p>{e(c)}</p></div>" for u, c in COMMENTS)
    paragraphs = a["paragraphs"]
    inline_related = (f"<p class=\"lire-aussi\"><strong>À lire aussi :</strong> <a href=\"#\">{e(other_news(1, k)[0][0])}"
                      "</a></p>")
    text = body_html({**a, "paragraphs": paragraphs[:1]}, chapo_class="chapo")
    rest = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs[1:])
    if a["variant"] == 0:
        return "\n".join([
            head(a, meta=True, jsonld=True, site_suffix=f"- {site}"), "<body>", COOKIES,
            f"<header class=\"site-header\"><div class=\"logo\">{e(site)}</div><nav>{menu}</nav>"
            "<a class=\"abonnement\" href=\"#\">Je m'abonne</a></header>",
            f"<div class=\"rubrique\">{e(a['city'])} › Économie</div>",
            "<article class=\"article\">",
            f"<h1 class=\"article-title\">{e(a['title'])}</h1>",
            "<div class=\"byline\"><span class=\"author\">Par la rédaction</span> "
            f"<span class=\"date\">Publié le {slash_date(a['date'])} à 18h04"
            + (f", mis à jour le {slash_date(a['updated'])} à 07h12" if a.get("updated") else "") + "</span></div>",
            text, inline_related, rest,
            "<div class=\"tags\">Mots-clés : commerce, centre-ville, urbanisme</div>",
            "</article>",
            "<div class=\"pub\">Publicité</div>",
            f"<section class=\"comments\"><h2>Commentaires (2)</h2>{comments}</section>",
            f"<aside><h2>Les plus lus</h2><ol>{most_read}</ol></aside>",
            f"<footer><p>© {e(site)} 2024 — Tous droits réservés — Conditions générales de vente</p></footer>",
            "</body></html>"])
    if a["variant"] == 1:
        cards = "".join(f"<div class=\"teaser\"><h3>{e(t)}</h3><p>{e(d)}</p></div>" for t, d in CARDS[:2])
        return "\n".join([
            head(a, meta=True, jsonld=False, site_suffix=f"| {site}"), "<body>",
            f"<div class=\"header\"><div class=\"logo\">{e(site)}</div><div class=\"nav\">{menu}</div></div>",
            "<div class=\"main-col\">",
            f"<h1>{e(a['title'])}</h1>",
            f"<p class=\"signature\">La rédaction · {fr_date(a['date'])}</p>",
            "<div class=\"article-body\">", text, rest, "</div>",
            "<div class=\"paywall-note\"><p>Vous avez lu cet article en accès libre. Soutenez l'information "
            "locale : abonnez-vous dès 1 € le premier mois.</p></div>",
            f"<div class=\"related\"><h2>Sur le même sujet</h2>{cards}</div>",
            "</div>",
            f"<div class=\"side-col\"><h2>Les plus lus</h2><ul>{most_read}</ul></div>",
            f"<div class=\"footer\">{e(site)} — Contact — Publicité — Mentions légales</div>", "</body></html>"])
    cards = "".join(f"<div class=\"bloc\"><h4>{e(t)}</h4><p>{e(d)}</p><span>{slash_date(nd)}</span></div>"
                    for (t, d), (_, nd) in zip(CARDS, other_news(3, k)))
    return "\n".join([
        head(a, meta=False, jsonld=False, site_suffix=f": {site}"), "<body>",
        f"<div id=\"top\"><div>{e(site)}</div><div class=\"rubriques\">{menu}</div></div>",
        "<div id=\"wrapper\"><div class=\"left\">",
        f"<div class=\"titre\"><h1>{e(a['title'])}</h1></div>",
        f"<div class=\"infos\">{fr_date(a['date'])} | Économie | {e(a['city'])}</div>",
        "<div class=\"corps\">", text, inline_related, rest, "</div>",
        f"<div class=\"commentaires\"><h3>Réactions</h3>{comments}</div>",
        "</div><div class=\"right\"><h3>Dernières infos</h3>" + cards + "</div></div>",
        f"<div id=\"bottom\">© {e(site)}</div>", "</body></html>"])


# --- ANCT-style resource page --------------------------------------------------------------------


def anct(a: dict[str, Any], k: int) -> str:
    site = a["site"]
    menu = ("<ul><li>Programmes</li><li>Ressources</li><li>Actualités</li><li>Carte des territoires</li>"
            "<li>Espace presse</li></ul>")
    facts = ("<dl class=\"fiche-infos\"><dt>Commune</dt><dd>" + e(a["city"]) + "</dd><dt>Programme</dt>"
             "<dd>Action cœur de ville</dd><dt>Thématique</dt><dd>Revitalisation</dd><dt>Mise en ligne</dt><dd>"
             + fr_date(a["date"]) + "</dd></dl>")
    related = "".join(f"<li><a href=\"#\">{e(t)}</a></li>" for t, _ in CARDS)
    downloads = "<div class=\"telechargements\"><h2>Télécharger</h2><p><a href=\"#\">La fiche expérience (PDF, 1,2 Mo)</a></p></div>"
    if a["variant"] == 0:
        return "\n".join([
            head(a, meta=True, jsonld=False, site_suffix=f"| {site}"), "<body>", COOKIES,
            f"<header role=\"banner\"><p>{e(site)}</p><nav>{menu}</nav></header>",
            "<nav class=\"breadcrumb\">Accueil › Ressources › Fiches expériences</nav>",
            "<main>",
            f"<h1>{e(a['title'])}</h1>", facts,
            "<div class=\"fiche-contenu\">", body_html(a, chapo_class="resume"), "</div>", downloads,
            f"<section class=\"ressources-associees\"><h2>Ressources associées</h2><ul>{related}</ul></section>",
            "</main>",
            f"<footer role=\"contentinfo\"><p>{e(site)} — 20 avenue de Ségur, Paris</p></footer>", "</body></html>"])
    if a["variant"] == 1:
        return "\n".join([
            head(a, meta=False, jsonld=True, site_suffix=f"— {site}"), "<body>",
            f"<div class=\"entete\"><p>{e(site)}</p><div class=\"menu\">{menu}</div></div>",
            "<div class=\"fiche\">",
            f"<div class=\"fiche-titre\"><span class=\"type\">Fiche expérience</span><h1>{e(a['title'])}</h1></div>",
            "<div class=\"colonnes\"><div class=\"col-texte\">", body_html(a, chapo_class="resume"), "</div>",
            "<div class=\"col-infos\">" + facts + downloads + "</div></div>",
            f"<div class=\"voir-aussi\"><h2>Voir aussi</h2><ul>{related}</ul></div></div>",
            f"<div class=\"pied\">{e(site)}</div>", "</body></html>"])
    return "\n".join([
        head(a, meta=True, jsonld=False, site_suffix=f"| {site}"), "<body>",
        f"<header><p>{e(site)}</p><nav>{menu}</nav></header>",
        "<main><article>",
        f"<h1>{e(a['title'])}</h1>",
        f"<p class=\"maj\">Publié le {fr_date(a['date'])}</p>",
        body_html(a, chapo_class="resume"),
        "</article>", facts, downloads,
        f"<section><h2>Ressources associées</h2><ul>{related}</ul></section></main>",
        "<footer><p>Agence nationale de la cohésion des territoires</p></footer>", "</body></html>"])


STYLES = {"prefecture": prefecture, "mairie": mairie, "presse": presse, "anct": anct}


def main_text(a: dict[str, Any]) -> list[str]:
    """What a reader should keep, in reading order."""
    parts = [a["title"], a["chapo"], a["paragraphs"][0], *a.get("items", []), *a["paragraphs"][1:]]
    if a.get("table"):
        parts += [" | ".join(str(c) for c in row) for row in a["table"]]
    return parts


def main(out: Path = HERE) -> None:
    articles = yaml.safe_load((HERE / "articles.yaml").read_text(encoding="utf-8"))
    labels: dict[str, Any] = {}
    for k, a in enumerate(articles):
        a = {key: (value.isoformat() if isinstance(value, date) else value) for key, value in a.items()}
        page = STYLES[a["style"]](a, k)
        name = f"{a['slug']}.html"
        (out / name).write_text(page + "\n", encoding="utf-8")
        labels[name] = {"style": a["style"], "variant": a["variant"], "city": a["city"], "title": a["title"],
                        "date": a["date"], "main": main_text(a)}
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

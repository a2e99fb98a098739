"""Page chrome for the fresh collection's web pages: each site has a layout of its own.

A spec gives the content (h1, dateline, body HTML, box, related links) and the site's chrome (name, menus,
footer); `render_web` dresses it. Markdown and plain-text documents are written as they are.
"""

from __future__ import annotations

from html import escape as e


def _meta(d: dict) -> str:
    out = []
    for attr, name, content in d.get("meta", []):
        out.append(f'<meta {attr}="{e(name)}" content="{e(content)}">')
    return "\n  ".join(out)


def _box(d: dict, cls: str = "encadre") -> str:
    if not d.get("box"):
        return ""
    title = d.get("box_title", "En bref")
    rows = "\n".join(f"      <dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in d["box"])
    return f'  <aside class="{cls}">\n    <h2>{e(title)}</h2>\n    <dl>\n{rows}\n    </dl>\n  </aside>'


def _box_table(d: dict) -> str:
    if not d.get("box"):
        return ""
    title = d.get("box_title", "Fiche")
    rows = "\n".join(f"        <tr><th scope=\"row\">{e(k)}</th><td>{e(v)}</td></tr>" for k, v in d["box"])
    return (
        f'    <section class="fiche-synthese">\n      <h3>{e(title)}</h3>\n      <table>\n{rows}\n      </table>\n'
        "    </section>"
    )


def _related(d: dict, title: str = "À lire aussi", tag: str = "h2") -> str:
    if not d.get("related"):
        return ""
    items = "\n".join(f'      <li><a href="#">{e(r)}</a></li>' for r in d["related"])
    return f'  <div class="related">\n    <{tag}>{e(title)}</{tag}>\n    <ul>\n{items}\n    </ul>\n  </div>'


def _head(d: dict, extra_css: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{e(d["title_tag"])}</title>
  {_meta(d)}
  <link rel="stylesheet" href="/assets/css/{extra_css or "main"}.css">
</head>"""


FICTION = "Document fictif, illustratif : les personnes, montants et dates sont inventés."


def skin_agglo(d: dict) -> str:
    """An intercommunal site: top menu, « Vous êtes ici » trail, left section menu, cookie consent bar."""
    s = d["site"]
    crumbs = " › ".join(f'<a href="#">{e(c)}</a>' for c in d["crumbs"][:-1]) + f" › <span>{e(d['crumbs'][-1])}</span>"
    side = "\n".join(f'        <li><a href="#">{e(x)}</a></li>' for x in s["side"])
    top = "\n".join(f'      <li><a href="#">{e(x)}</a></li>' for x in s["top"])
    return f"""{_head(d, "agglo")}
<body class="page-article">
<div id="tarteaucitronRoot" class="cookie-bar">
  <p>En poursuivant votre navigation, vous acceptez le dépôt de cookies de mesure d'audience.
  <button>Tout accepter</button> <button>Tout refuser</button> <a href="#">Personnaliser</a></p>
</div>
<header class="site-header">
  <a class="logo" href="#">{e(s["name"])}</a>
  <form class="search" role="search"><input type="search" placeholder="Rechercher sur le site"></form>
  <nav class="menu-principal">
    <ul>
{top}
    </ul>
  </nav>
</header>
<div class="fil-ariane">Vous êtes ici : {crumbs}</div>
<div class="wrapper">
  <aside class="menu-rubrique">
    <h2>{e(s["side_title"])}</h2>
    <ul>
{side}
    </ul>
  </aside>
  <main id="contenu">
    <article>
      <h1>{e(d["h1"])}</h1>
      <p class="date">{d["dateline"]}</p>
      {f'<p class="chapo">{d["lead"]}</p>' if d.get("lead") else ""}
{_box(d)}
      <div class="texte">
{d["body"]}
      </div>
    </article>
{_related(d)}
  </main>
</div>
<footer class="site-footer">
  <p>{e(s["address"])}</p>
  <ul><li><a href="#">Mentions légales</a></li><li><a href="#">Accessibilité : partiellement conforme</a></li>
  <li><a href="#">Plan du site</a></li><li><a href="#">Gestion des cookies</a></li></ul>
  <p class="mention">{FICTION}</p>
</footer>
</body>
</html>
"""


def skin_metropole(d: dict) -> str:
    """A metropole site: ordered-list breadcrumb, <time>, share bar, newsletter footer, no cookie bar."""
    s = d["site"]
    crumbs = "\n".join(f'      <li><a href="#">{e(c)}</a></li>' for c in d["crumbs"][:-1])
    return f"""{_head(d, "metro")}
<body>
<a class="skip" href="#main">Aller au contenu</a>
<header>
  <div class="brand">{e(s["name"])}</div>
  <nav aria-label="Menu principal"><a href="#">Mes démarches</a> <a href="#">Vivre ici</a> <a href="#">Entreprendre</a>
  <a href="#">Découvrir</a> <a href="#">Actualités</a> <a href="#">Contact</a></nav>
</header>
<nav class="ariane" aria-label="Fil d'Ariane">
  <ol>
{crumbs}
      <li aria-current="page">{e(d["crumbs"][-1])}</li>
  </ol>
</nav>
<main id="main" class="col-8">
  <span class="rubrique">{e(s.get("rubrique", "Actualités"))}</span>
  <h1>{e(d["h1"])}</h1>
  <div class="meta">{d["dateline"]}</div>
  <div class="partage">Partager : <a href="#">Facebook</a> <a href="#">LinkedIn</a> <a href="#">Courriel</a></div>
  {f'<p class="intro"><strong>{d["lead"]}</strong></p>' if d.get("lead") else ""}
{d["body"]}
{_box_table(d)}
</main>
<aside class="col-4">
{_related(d, s.get("related_title", "Sur le même sujet"), "h3")}
  <div class="bloc-contact"><h3>Contact</h3><p>{e(s.get("contact", ""))}</p></div>
</aside>
<footer>
  <div class="newsletter">Recevez la lettre d'information : <input type="email" placeholder="Votre adresse"> <button>OK</button></div>
  <p>{e(s["address"])} — <a href="#">Mentions légales</a> — <a href="#">Données personnelles</a></p>
  <p><small>{FICTION}</small></p>
</footer>
</body>
</html>
"""


def skin_ressources(d: dict) -> str:
    """A resource centre for medium-sized towns: theme sidebar naming every theme, tags, og:* metadata."""
    s = d["site"]
    crumbs = " &gt; ".join(f'<a href="#">{e(c)}</a>' for c in d["crumbs"][:-1]) + f" &gt; {e(d['crumbs'][-1])}"
    themes = "\n".join(f'      <li><a href="#">{e(x)}</a></li>' for x in s["themes"])
    tags = ", ".join(f'<a href="#" rel="tag">{e(t)}</a>' for t in d.get("tags", []))
    return f"""{_head(d, "ressources")}
<body>
<div class="consent" role="dialog" aria-label="Cookies">Nous utilisons des traceurs pour mesurer la fréquentation.
  <a href="#">En savoir plus</a> <button>J'accepte</button> <button>Je refuse</button></div>
<header role="banner">
  <p class="site-title">{e(s["name"])}</p>
  <p class="baseline">{e(s["baseline"])}</p>
  <ul class="menu"><li><a href="#">Accueil</a></li><li><a href="#">Retours d'expérience</a></li>
  <li><a href="#">Outils</a></li><li><a href="#">Webinaires</a></li><li><a href="#">Le réseau</a></li></ul>
</header>
<p class="breadcrumb">{crumbs}</p>
<div class="layout">
  <nav class="sidebar">
    <h2>Thématiques</h2>
    <ul>
{themes}
    </ul>
    <h2>Régions</h2>
    <ul><li>Auvergne-Rhône-Alpes</li><li>Bretagne</li><li>Grand Est</li><li>Hauts-de-France</li>
    <li>Normandie</li><li>Nouvelle-Aquitaine</li><li>Occitanie</li></ul>
  </nav>
  <article class="experience">
    <h1>{e(d["h1"])}</h1>
    <p class="published">{d["dateline"]}</p>
{_box(d, "en-bref")}
{d["body"]}
    <p class="tags">Mots-clés : {tags}</p>
  </article>
</div>
{_related(d, "Autres retours d'expérience")}
<footer><p>{e(s["address"])}</p><p>{FICTION}</p></footer>
</body>
</html>
"""


def skin_mairie(d: dict) -> str:
    """A town hall site: quick-access icons, slash breadcrumb, date under the title, right column."""
    s = d["site"]
    crumbs = " / ".join(f'<a href="#">{e(c)}</a>' for c in d["crumbs"][:-1]) + f" / {e(d['crumbs'][-1])}"
    return f"""{_head(d, "mairie")}
<body>
<div class="bandeau-haut"><a href="#">{e(s["name"])}</a> · <a href="#">Démarches en ligne</a> · <a href="#">Menus de la cantine</a>
 · <a href="#">Agenda</a> · <a href="#">Contact</a></div>
<div id="cookies" class="rgpd">Ce site utilise des cookies techniques et de mesure d'audience.
  <a href="#" class="ok">Accepter</a> <a href="#" class="ko">Refuser</a></div>
<header><h2 class="nom-ville">{e(s["header"])}</h2>
<ul class="acces-rapides"><li>Famille</li><li>Culture</li><li>Urbanisme</li><li>Environnement</li><li>Mairie</li></ul>
</header>
<div class="breadcrumbs">{crumbs}</div>
<div class="contenu">
  <div class="colonne-principale">
    <h1 class="titre-page">{e(d["h1"])}</h1>
    <div class="date-publication">{d["dateline"]}</div>
{_box_table(d) if s.get("box_style") == "table" else _box(d)}
{d["body"]}
  </div>
  <div class="colonne-droite">
{_related(d, s.get("related_title", "Dans la même rubrique"), "h3")}
    <div class="encart"><h3>Horaires de la mairie</h3><p>{e(s.get("hours", "Du lundi au vendredi, 8 h 30 - 12 h et 13 h 30 - 17 h"))}</p></div>
  </div>
</div>
<footer class="pied">
  <p>{e(s["address"])}</p>
  <p><a href="#">Mentions légales</a> | <a href="#">Plan du site</a> | <a href="#">Accessibilité</a></p>
  <p class="avertissement">{FICTION}</p>
</footer>
</body>
</html>
"""


def skin_moderne(d: dict) -> str:
    """A recent town site: hero banner with a category badge, meta line with published/updated dates."""
    s = d["site"]
    crumbs = "".join(f'<a href="#">{e(c)}</a><span class="sep">/</span>' for c in d["crumbs"][:-1]) + f"<span>{e(d['crumbs'][-1])}</span>"
    cards = "\n".join(
        f'    <div class="card"><span class="badge">{e(b)}</span><a href="#">{e(t)}</a></div>' for b, t in d.get("cards", [])
    )
    return f"""{_head(d, "app")}
<body>
<nav class="navbar"><a class="navbar-brand" href="#">{e(s["name"])}</a>
  <a href="#">Ma ville</a><a href="#">Au quotidien</a><a href="#">Projets</a><a href="#">Sortir</a><a href="#">Presse</a>
  <button class="burger" aria-label="Menu">☰</button></nav>
<section class="hero">
  <div class="breadcrumb">{crumbs}</div>
  <span class="badge">{e(d.get("badge", "Actualité"))}</span>
  <h1>{e(d["h1"])}</h1>
  <p class="meta">{d["dateline"]}</p>
</section>
<main class="container">
  {f'<p class="lead">{d["lead"]}</p>' if d.get("lead") else ""}
{_box(d, "card-info")}
{d["body"]}
</main>
<section class="a-lire-aussi">
  <h2>{e(s.get("related_title", "À lire aussi"))}</h2>
{cards}
</section>
<footer class="footer">
  <div>{e(s["address"])}</div>
  <div><a href="#">Facebook</a> <a href="#">Instagram</a> <a href="#">YouTube</a></div>
  <div><a href="#">Mentions légales</a> · <a href="#">Cookies</a> · <a href="#">Accessibilité</a></div>
  <div class="fictif">{FICTION}</div>
</footer>
<div class="cookie-modal" hidden><p>Paramétrer vos cookies</p><button>Accepter</button><button>Refuser</button></div>
</body>
</html>
"""


def skin_prefecture(d: dict) -> str:
    """A State services site: Marianne block, long breadcrumb, « Mis à jour le », download link, consent."""
    s = d["site"]
    crumbs = "\n".join(f'    <li><a href="#">{e(c)}</a></li>' for c in d["crumbs"][:-1])
    return f"""{_head(d, "dsfr")}
<body>
<div class="fr-consent-banner"><h2>À propos des cookies sur {e(s["domain"])}</h2>
  <p>Bienvenue ! Nous utilisons des cookies pour améliorer votre expérience et les services disponibles sur ce site.</p>
  <button>Tout accepter</button> <button>Tout refuser</button> <button>Personnaliser</button></div>
<header class="fr-header">
  <p class="fr-logo">République<br>Française<br><em>Liberté Égalité Fraternité</em></p>
  <p class="fr-header__service-title">{e(s["name"])}</p>
  <nav class="fr-nav"><a href="#">Actualités</a> <a href="#">Politiques publiques</a> <a href="#">Démarches</a>
  <a href="#">Publications</a> <a href="#">Services de l'État</a> <a href="#">Contact</a></nav>
</header>
<nav class="fr-breadcrumb" aria-label="vous êtes ici :">
  <ol>
{crumbs}
    <li aria-current="page">{e(d["crumbs"][-1])}</li>
  </ol>
</nav>
<main class="fr-container">
  <h1>{e(d["h1"])}</h1>
  <p class="fr-text--sm">{d["dateline"]}</p>
{d["body"]}
  <p class="fr-download"><a href="#">Télécharger le communiqué (pdf, 180 ko)</a></p>
{_related(d, "Dans la même rubrique", "h3")}
</main>
<footer class="fr-footer">
  <p>{e(s["address"])}</p>
  <p><a href="#">legifrance.gouv.fr</a> · <a href="#">service-public.fr</a> · <a href="#">data.gouv.fr</a></p>
  <p>{FICTION}</p>
</footer>
</body>
</html>
"""


def skin_presse_national(d: dict) -> str:
    """A national operator's press room: category and date line, press contact, boilerplate « À propos »."""
    s = d["site"]
    crumbs = " > ".join(e(c) for c in d["crumbs"])
    return f"""{_head(d, "corporate")}
<body>
<header class="top"><div class="logo">{e(s["name"])}</div><div class="sub">{e(s.get("baseline", ""))}</div>
<nav><a href="#">Nos offres</a> <a href="#">Nos projets</a> <a href="#">Espace presse</a> <a href="#">Nous contacter</a></nav>
</header>
<div class="cookies-bottom">Ce site utilise des cookies. <a href="#">Paramétrer</a> <a href="#">Accepter</a></div>
<p class="path">{crumbs}</p>
<main>
  <div class="kicker">{d["dateline"]}</div>
  <h1>{e(d["h1"])}</h1>
  {f'<p class="chapeau">{d["lead"]}</p>' if d.get("lead") else ""}
{d["body"]}
  <div class="about"><h3>À propos</h3><p>{e(s["about"])}</p></div>
  <div class="contact-presse"><h3>Contact presse</h3><p>{e(s["contact"])}</p></div>
</main>
{_related(d, "Derniers communiqués", "h3")}
<footer><p>{e(s["address"])}</p><p>{FICTION}</p></footer>
</body>
</html>
"""


def skin_plain(d: dict) -> str:
    """A small site built by hand: a table-free page, menu as a list, no breadcrumb, date at the bottom."""
    s = d["site"]
    menu = " | ".join(f'<a href="#">{e(x)}</a>' for x in s["menu"])
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{e(d["title_tag"])}</title>
{_meta(d)}
</head>
<body>
<div id="entete"><h2>{e(s["name"])}</h2><p>{menu}</p></div>
<div id="page">
<h1>{e(d["h1"])}</h1>
{d["body"]}
{_box(d)}
<p class="signature">{d["dateline"]}</p>
</div>
{_related(d, s.get("related_title", "Voir aussi"), "h3")}
<div id="pied"><p>{e(s["address"])}</p><p>{FICTION}</p></div>
</body>
</html>
"""


def skin_marches(d: dict) -> str:
    """A public procurement platform: notice with numbered sections, login bar."""
    s = d["site"]
    return f"""{_head(d, "marches")}
<body>
<div class="bar"><a href="#">Se connecter</a> <a href="#">Créer un compte entreprise</a> <a href="#">Aide</a></div>
<header><p class="plateforme">{e(s["name"])}</p>
<nav><a href="#">Rechercher une consultation</a> <a href="#">Annonces</a> <a href="#">Acheteurs</a></nav></header>
<p class="fil">{" &raquo; ".join(e(c) for c in d["crumbs"])}</p>
<main>
<h1>{e(d["h1"])}</h1>
<p class="ref">{d["dateline"]}</p>
{d["body"]}
</main>
<footer><p>{e(s["address"])}</p><p>{FICTION}</p></footer>
</body>
</html>
"""


SKINS = {
    "agglo": skin_agglo,
    "metropole": skin_metropole,
    "ressources": skin_ressources,
    "mairie": skin_mairie,
    "moderne": skin_moderne,
    "prefecture": skin_prefecture,
    "presse": skin_presse_national,
    "plain": skin_plain,
    "marches": skin_marches,
}


def render_web(d: dict) -> str:
    if d["render"] in ("md", "txt"):
        return d["text"].lstrip("\n")
    return SKINS[d["skin"]](d)

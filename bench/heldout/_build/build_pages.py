"""Render the held-out benchmark's web pages (HTML) and good-practice sheets (PDF).

The held-out set (bench/heldout/README.md) must look like documents the product has never seen: the
pages use three site layouts of their own (an intercommunal site, a town-hall site with a side menu,
a press room), none of which is a template of corpus/_build/render_pages.py. Contents are written
here, once; the output is deterministic (reportlab in invariant mode, PDF dates pinned to the
publication date), so re-running gives byte-identical files. The Markdown sheets are hand-written
files in documents/bonnes-pratiques/ and are not produced here.

Usage: .venv/bin/python bench/heldout/_build/build_pages.py
"""

from __future__ import annotations

import datetime as dt
import html
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "documents"
NOTICE = ("Document fictif à visée illustrative, rédigé pour le jeu d'évaluation réservé d'acv-kb : "
          "les projets, montants, dates et personnes sont inventés.")
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


@dataclass
class Page:
    """One HTML page: its site, its title, its publication date and its body (HTML fragment)."""

    path: str
    site: str
    title: str
    date: dt.date
    body: str
    section: str = "Actualités"
    related: list[str] = field(default_factory=list)
    cookie: bool = False


def long_date(d: dt.date) -> str:
    return f"{'1er' if d.day == 1 else d.day} {MONTHS[d.month - 1]} {d.year}"


# --------------------------------------------------------------------------- site chrome

SITES = {
    "agglo_dreux": {"layout": "agglo", "name": "Agglo du Pays de Dreux", "short": "Agglo du Pays de Dreux",
                    "menu": ["L'Agglo", "Habiter", "Se déplacer", "Entreprendre", "Environnement", "Sortir"],
                    "copyright": "2023"},
    "agglo_nevers": {"layout": "agglo", "name": "Nevers Agglomération", "short": "Nevers Agglomération",
                     "menu": ["Institution", "Habitat", "Mobilités", "Économie", "Déchets", "Culture"],
                     "copyright": "2022"},
    "agglo_lannion": {"layout": "agglo", "name": "Lannion-Trégor Communauté", "short": "Lannion-Trégor",
                      "menu": ["Communauté", "Déchets", "Eau et assainissement", "Transports", "Économie",
                               "Tourisme"],
                      "copyright": "2024"},
    "ville_luneville": {"layout": "mairie", "name": "Ville de Lunéville", "tagline": "Cité cavalière et ducale",
                        "copyright": "2021"},
    "ville_saumur": {"layout": "mairie", "name": "Ville de Saumur", "tagline": "Au fil de la Loire",
                     "copyright": "2024"},
    "presse_annonay": {"layout": "presse", "name": "Annonay Rhône Agglo", "room": "Salle de presse",
                       "contact": "Service communication — presse@annonay-rhone-agglo.example",
                       "copyright": "2022"},
    "presse_bastia": {"layout": "presse", "name": "Ville de Bastia", "room": "Espace presse",
                      "contact": "Direction de la communication — presse@ville-bastia.example",
                      "copyright": "2024"},
    "ressources": {"layout": "ressources", "name": "Villes moyennes en projets",
                   "tagline": "Centre de ressources des équipes de centre-ville", "copyright": "2025"},
}

COOKIE = """<div class="bandeau-cookies" id="consentement">
  <p>Nous utilisons des traceurs pour mesurer l'audience et améliorer nos services. Vous pouvez les accepter, les refuser ou choisir finalité par finalité.</p>
  <button class="ok">J'accepte</button> <button class="non">Je refuse</button> <a href="/cookies">Paramétrer</a>
</div>
"""


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def related_block(page: Page, heading: str, cls: str) -> str:
    items = "\n".join(f'      <li><a href="/actu/{i}">{esc(t)}</a></li>' for i, t in enumerate(page.related, 1))
    return f'<aside class="{cls}">\n  <h3>{heading}</h3>\n  <ul>\n{items}\n  </ul>\n</aside>\n'


def layout_agglo(page: Page, site: dict) -> str:
    menu = "\n".join(f'      <li class="menu-item"><a href="/{i}">{esc(m)}</a></li>'
                     for i, m in enumerate(site["menu"], 1))
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{esc(page.title)} | {esc(site['name'])}</title>
<meta name="viewport" content="width=device-width">
<link rel="stylesheet" href="/wp-content/themes/agglo/style.css">
</head>
<body class="single single-post">
{COOKIE if page.cookie else ''}<div class="topbar"><a href="/espace-citoyen">Mon espace citoyen</a> | <a href="/contact">Nous contacter</a> | <a href="/offres-emploi">Offres d'emploi</a></div>
<header class="site-header">
  <a class="logo" href="/"><img src="/logo.svg" alt="{esc(site['name'])} — accueil"></a>
  <nav class="menu-principal" aria-label="Menu">
    <ul>
{menu}
    </ul>
  </nav>
</header>
<p class="ariane"><a href="/">Accueil</a> &gt; <a href="/actualites">{esc(page.section)}</a> &gt; <span>{esc(page.title)}</span></p>
<main>
<div class="content-wrapper">
<article class="actu">
  <header class="actu-entete">
    <h1 class="actu-titre">{esc(page.title)}</h1>
    <div class="actu-meta">Publié le {page.date.strftime('%d/%m/%Y')} — Rubrique {esc(page.section)}</div>
  </header>
  <div class="actu-contenu">
{page.body}
  </div>
  <p class="mention">{esc(NOTICE)}</p>
</article>
{related_block(page, 'Sur le même sujet', 'meme-sujet')}</div>
</main>
<footer class="site-footer">
  <div class="coordonnees"><strong>{esc(site['name'])}</strong><br>Accueil du public du lundi au vendredi, 8 h 30 – 12 h et 13 h 30 – 17 h</div>
  <ul class="liens-pied"><li><a href="/plan">Plan du site</a></li><li><a href="/mentions">Mentions légales</a></li><li><a href="/accessibilite">Accessibilité</a></li><li><a href="/rgpd">Politique de confidentialité</a></li></ul>
  <div class="reseaux">Suivez-nous : <a href="#">Facebook</a> · <a href="#">Instagram</a> · <a href="#">LinkedIn</a></div>
  <p class="copy">© {site['copyright']} {esc(site['short'])}</p>
</footer>
</body>
</html>
"""


def layout_mairie(page: Page, site: dict) -> str:
    side = ["Ma mairie", "Vivre ici", "Découvrir la ville", "Grands projets", "Démarches en ligne", "Agenda"]
    side_html = "\n".join(f'    <li><a href="/rubrique/{i}">{esc(s)}</a></li>' for i, s in enumerate(side, 1))
    return f"""<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="UTF-8">
<title>{esc(page.title)} - {esc(site['name'])}</title>
<link rel="stylesheet" href="/assets/css/mairie.css">
</head>
<body>
{COOKIE if page.cookie else ''}<div id="page">
<div id="bandeau"><span class="nom-ville">{esc(site['name'])}</span> <span class="devise">{esc(site['tagline'])}</span>
  <form class="recherche" action="/recherche"><input type="text" name="s" placeholder="Que recherchez-vous ?"><input type="submit" value="OK"></form>
</div>
<div id="colonnes">
<div id="menu-gauche">
  <ul>
{side_html}
  </ul>
</div>
<div id="centre">
  <div class="fil-ariane">Vous êtes ici : <a href="/">Accueil</a> / <a href="/actualites">{esc(page.section)}</a> / {esc(page.title)}</div>
  <div class="article">
    <h1>{esc(page.title)}</h1>
    <div class="date-publication"><time datetime="{page.date.isoformat()}">{long_date(page.date)}</time></div>
{page.body}
    <p class="avertissement"><em>{esc(NOTICE)}</em></p>
  </div>
{related_block(page, 'À lire aussi', 'a-lire-aussi')}</div>
</div>
<div id="pied">
  <p>{esc(site['name'])} — Hôtel de ville — Tél. standard : 02 00 00 00 00</p>
  <p><a href="/mentions-legales">Mentions légales</a> - <a href="/plan-du-site">Plan du site</a> - <a href="/cookies">Cookies</a> - <a href="/accessibilite">Accessibilité : non conforme</a></p>
  <p>Copyright {site['copyright']} - Tous droits réservés</p>
</div>
</div>
</body>
</html>
"""


def layout_presse(page: Page, site: dict) -> str:
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{esc(site['room'])} — {esc(page.title)}</title>
<link rel="stylesheet" href="/static/presse.css">
</head>
<body>
{COOKIE if page.cookie else ''}<div id="wrapper">
<header id="masthead">
  <div class="marque">{esc(site['name'])}</div>
  <ul class="nav-haut"><li><a href="/">Accueil</a></li><li><a href="/presse">{esc(site['room'])}</a></li><li><a href="/presse/phototheque">Photothèque</a></li><li><a href="/presse/dossiers">Dossiers de presse</a></li></ul>
</header>
<div class="chemin"><a href="/">Accueil</a> › <a href="/presse">{esc(site['room'])}</a> › Communiqués</div>
<section class="communique">
  <p class="surtitre">Communiqué de presse — {page.date.strftime('%d.%m.%Y')}</p>
  <h1>{esc(page.title)}</h1>
{page.body}
  <div class="contact-presse"><strong>Contact presse</strong><br>{esc(site['contact'])}</div>
  <p class="note">{esc(NOTICE)}</p>
</section>
{related_block(page, 'Autres communiqués', 'autres-communiques')}<footer id="colophon">
  <p><a href="/mentions">Mentions légales</a> · <a href="/donnees">Données personnelles</a> · <a href="/contact">Contact</a></p>
  <p>© {site['copyright']} {esc(site['name'])}</p>
</footer>
</div>
</body>
</html>
"""


def layout_ressources(page: Page, site: dict) -> str:
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{esc(page.title)} · {esc(site['name'])}</title>
<link rel="stylesheet" href="/css/ressources.css">
</head>
<body>
{COOKIE if page.cookie else ''}<header class="entete">
  <p class="site">{esc(site['name'])}</p><p class="accroche">{esc(site['tagline'])}</p>
  <nav><a href="/fiches">Fiches</a> <a href="/thematiques">Thématiques</a> <a href="/carte">Carte des projets</a> <a href="/lettre">Lettre d'information</a> <a href="/a-propos">À propos</a></nav>
</header>
<div class="breadcrumb"><a href="/">Accueil</a> » <a href="/fiches">{esc(page.section)}</a> » {esc(page.title)}</div>
<div class="page-fiche">
<main class="corps">
  <h1>{esc(page.title)}</h1>
  <p class="maj">Fiche mise en ligne le {long_date(page.date)}</p>
{page.body}
  <p class="avert">{esc(NOTICE)}</p>
</main>
{related_block(page, 'Voir aussi', 'voir-aussi')}</div>
<footer class="pied">
  <p>{esc(site['name'])} — un réseau d'échanges entre équipes projet de villes moyennes.</p>
  <p><a href="/mentions">Mentions légales</a> | <a href="/contact">Écrire à l'équipe</a> | © {site['copyright']}</p>
</footer>
</body>
</html>
"""


LAYOUTS = {"agglo": layout_agglo, "mairie": layout_mairie, "presse": layout_presse, "ressources": layout_ressources}


# --------------------------------------------------------------------------- pages

PAGES: list[Page] = [
    Page(
        path="communiques/dreux-signature-convention-coeur-de-ville.html",
        site="agglo_dreux",
        title="Action cœur de ville : Dreux signe sa convention, 32,7 millions d'euros pour le centre",
        date=dt.date(2018, 9, 21),
        related=["Collecte des déchets : les horaires des déchetteries changent", "Le réseau de bus Linéad fait sa rentrée",
                 "Très haut débit : 12 communes raccordées cet été"],
        cookie=True,
        body="""    <p class="chapo">Le vendredi 21 septembre 2018, à l'hôtel de ville, le maire de Dreux, le président de l'Agglo du Pays de Dreux et le préfet d'Eure-et-Loir ont signé la convention-cadre Action cœur de ville, avec la Banque des Territoires, Action Logement et l'Anah.</p>
    <p>Dreux fait partie des 222 territoires retenus en mars 2018 par le Gouvernement pour le programme national Action cœur de ville, qui accompagne les villes moyennes dans la revitalisation de leur centre. La convention signée ce vendredi engage les partenaires sur un programme de 32,7 millions d'euros, intitulé « Dreux au cœur ».</p>
    <h2>Qui finance quoi ?</h2>
    <ul>
      <li>la Ville et l'Agglo : 11,85 M€ ;</li>
      <li>l'État, principalement par la dotation de soutien à l'investissement local : 4,9 M€ ;</li>
      <li>Action Logement : 3,9 M€, consacrés à l'îlot de l'Hôtel-Dieu ;</li>
      <li>la Région Centre-Val de Loire : 3,75 M€ ;</li>
      <li>l'Anah : 2,42 M€ ;</li>
      <li>la Banque des Territoires : 1,03 M€ ;</li>
      <li>le Département, l'Europe et les investisseurs privés complètent le plan de financement.</li>
    </ul>
    <h2>Trois priorités</h2>
    <p>Faire revenir des habitants dans le centre ancien, où un logement sur six est inoccupé ; resserrer le commerce entre la place Métezeau et le beffroi, où 37 boutiques sur 164 ont baissé le rideau ; relier la gare au centre par un cheminement piéton de 600 mètres qui remplacera l'actuelle rampe routière.</p>
    <p>Première réalisation concrète : une maison de l'habitat ouvrira rue Saint-Martin au printemps 2019. Propriétaires et futurs acquéreurs y trouveront en un seul lieu les conseils techniques, juridiques et financiers pour rénover un logement du centre.</p>
    <blockquote>« C'est une chance historique pour notre centre-ville », a souligné le maire lors de la signature.</blockquote>
""",
    ),
    Page(
        path="communiques/luneville-convention-action-coeur-de-ville-signee.html",
        site="ville_luneville",
        title="Le programme Action cœur de ville de Lunéville est signé",
        section="Actualités municipales",
        date=dt.date(2018, 10, 26),
        related=["Fête de la Saint-Nicolas : le programme du défilé", "Inscriptions à l'école municipale de musique",
                 "Travaux de voirie rue Banaudon"],
        body="""    <p><strong>Ce vendredi 26 octobre, la convention Action cœur de ville de Lunéville a été signée au château, en présence du préfet de Meurthe-et-Moselle, du maire, du président de la communauté de communes du Territoire de Lunéville à Baccarat et des représentants de la Banque des Territoires, d'Action Logement et de l'Anah.</strong></p>
    <p>Le plan d'action représente 26,25 millions d'euros d'investissements d'ici 2024. Il s'articule autour d'un fil conducteur : relier le château, les rues commerçantes et les bords de la Vezouze, et redonner vie aux anciens bâtiments militaires.</p>
    <h3>Les casernes deviennent des logements</h3>
    <p>Action Logement apporte 4,6 millions d'euros au projet phare : la transformation d'une aile de l'ancienne caserne de cavalerie en 90 appartements, dont 40 pour des salariés des entreprises du bassin. Un appel à projets sera lancé en 2019 pour choisir le promoteur.</p>
    <h3>Des artisans d'art dans les vitrines vides</h3>
    <p>La Ville louera à prix modéré des boutiques vides de la rue de la République à des faïenciers et à des artisans d'art, pour attirer dans les commerces les 95 000 visiteurs annuels du château. La Banque des Territoires participera par ailleurs au capital d'une foncière chargée de racheter une quinzaine de locaux commerciaux.</p>
    <h3>Les autres financeurs</h3>
    <p>L'État mobilise 2,4 millions d'euros, l'Anah 1,45 million pour l'amélioration de l'habitat, la Banque des Territoires 2,11 millions au total. La Ville et la communauté de communes y consacrent ensemble 5,79 millions d'euros.</p>
""",
    ),
    Page(
        path="communiques/annonay-megisserie-logements-salaries-action-logement.html",
        site="presse_annonay",
        title="Annonay : l'ancienne mégisserie transformée en 24 logements pour les salariés",
        date=dt.date(2021, 6, 14),
        related=["Conseil communautaire du 24 juin : ordre du jour", "Piscine intercommunale : ouverture estivale",
                 "Plan climat : la concertation est lancée"],
        body="""  <p class="lead">Une convention de financement a été signée le vendredi 11 juin 2021 entre Action Logement, la commune d'Annonay et le bailleur social chargé de l'opération. Elle permet de lancer la réhabilitation de l'ancienne mégisserie de la rue Boissy-d'Anglas, dans le cadre du programme Action cœur de ville.</p>
  <p>Inoccupé depuis près de vingt ans, ce bâtiment industriel de quatre niveaux, au bord de la Deûme, témoigne du passé des tanneries et mégisseries qui ont fait la prospérité de la ville. Il accueillera 24 logements, du T1 au T4, réservés en priorité aux salariés des entreprises du bassin annonéen, ainsi qu'un local d'activité au rez-de-chaussée.</p>
  <h2>4,3 millions d'euros d'investissement</h2>
  <p>Le coût total de l'opération s'élève à 4,3 millions d'euros. Action Logement y contribue à hauteur de 2,1 millions d'euros, en prêts à long terme et en subvention. La commune cède le bâtiment pour un euro symbolique et finance l'aménagement des abords ; le reste est apporté par le bailleur sur ses fonds propres et par des prêts de la Banque des Territoires.</p>
  <p>Les travaux démarreront à l'automne 2021 et la livraison des logements est prévue au printemps 2023. Les loyers seront plafonnés, de 6,20 € à 7,80 € le mètre carré selon le type de logement.</p>
""",
    ),
    Page(
        path="communiques/saumur-inauguration-quais-de-loire.html",
        site="ville_saumur",
        title="Les quais de Loire réaménagés ont été inaugurés",
        section="Grands projets",
        date=dt.date(2022, 9, 17),
        related=["Journées européennes du patrimoine : le programme", "Rentrée scolaire : les nouveautés",
                 "Le marché du samedi change d'emplacement pendant les travaux de la place"],
        cookie=True,
        body="""    <p>Samedi 17 septembre, à l'occasion des Journées européennes du patrimoine, le maire de Saumur et le sous-préfet de l'arrondissement ont inauguré les quais de Loire réaménagés, entre le quai Mayaud et le quai Carnot.</p>
    <p>Après dix-huit mois de chantier, 1,1 kilomètre de quais a été rendu aux promeneurs : la circulation automobile est limitée à une voie, la promenade haute a été élargie et 140 arbres ont été plantés. Des gradins en pierre de tuffeau descendent désormais jusqu'au fleuve, et des bancs ombragés jalonnent le parcours.</p>
    <h2>Une opération à 6,2 millions d'euros</h2>
    <p>Inscrit dans le programme Action cœur de ville de Saumur, le réaménagement a coûté 6,2 millions d'euros : l'État a apporté 1,8 million au titre de la dotation de soutien à l'investissement local, la Région Pays de la Loire 1,1 million, le Département de Maine-et-Loire 0,6 million. La Ville a financé les 2,7 millions restants.</p>
    <p>Le stationnement supprimé sur les quais a été compensé par l'ouverture du parking du Chardonnet aux riverains, avec un abonnement résident à 15 euros par mois.</p>
""",
    ),
    Page(
        path="communiques/nevers-restauration-immobiliere-quatorze-immeubles.html",
        site="agglo_nevers",
        title="Centre-ville de Nevers : 14 immeubles dégradés devront être restaurés",
        section="Habitat",
        date=dt.date(2020, 2, 10),
        related=["Taxe d'enlèvement des ordures ménagères : ce qui change en 2020", "Le Pass'Culture intercommunal est lancé",
                 "Nouveau plan de circulation autour de la gare"],
        body="""    <p>Par un arrêté du 7 février 2020, le préfet de la Nièvre a déclaré d'utilité publique une opération de restauration immobilière (ORI) portant sur 14 immeubles très dégradés du centre-ville de Nevers, dans le secteur de la rue du Commerce et de la rue François-Mitterrand.</p>
    <p>Concrètement, les propriétaires de ces immeubles ont désormais 24 mois pour réaliser les travaux prescrits : mise en sécurité, remise aux normes des réseaux, rénovation des parties communes et des logements. À défaut, la collectivité pourra engager une procédure d'expropriation.</p>
    <h2>Des aides pour les propriétaires</h2>
    <p>Les propriétaires concernés ne sont pas laissés seuls. Ils peuvent bénéficier des subventions de l'Anah, dans le cadre de l'opération programmée d'amélioration de l'habitat de renouvellement urbain (OPAH-RU), d'un accompagnement gratuit par l'opérateur de l'agglomération et, s'ils remettent en location un logement vacant depuis plus de deux ans, d'une prime de 5 000 euros versée par la Ville.</p>
    <p>Le montant des travaux est estimé à 3,1 millions d'euros pour les 14 immeubles, soit 62 logements. Cette opération s'inscrit dans le programme Action cœur de ville de Nevers, signé en 2018.</p>
""",
    ),
    Page(
        path="communiques/bastia-avenant-action-coeur-de-ville-2023-2026.html",
        site="presse_bastia",
        title="Bastia signe l'avenant 2023-2026 de son programme Action cœur de ville",
        date=dt.date(2023, 6, 30),
        related=["Saison estivale : renfort de la police municipale", "Budget participatif : les projets lauréats",
                 "Travaux du boulevard Paoli : circulation alternée"],
        cookie=True,
        body="""  <p class="lead">Le 30 juin 2023, le maire de Bastia, le préfet de la Haute-Corse et les partenaires du programme — Banque des Territoires, Action Logement et Anah — ont signé l'avenant qui prolonge jusqu'en 2026 le programme Action cœur de ville de la ville.</p>
  <p>Ce nouveau volet engage 18,4 millions d'euros sur quatre ans. Il se concentre sur la Haute-Ville, Terra Vecchia et les abords du Vieux-Port, où de nombreux immeubles anciens restent vacants ou dégradés.</p>
  <h2>Les principales opérations</h2>
  <ul>
    <li>une deuxième OPAH-RU sur Terra Vecchia, avec un objectif de 180 logements rénovés, soutenue par l'Anah à hauteur de 2,8 millions d'euros ;</li>
    <li>la réhabilitation de quatre immeubles de la rue Napoléon en 38 logements, financée par Action Logement pour 3,5 millions d'euros ;</li>
    <li>une liaison mécanique entre le Vieux-Port et la citadelle, estimée à 3,2 millions d'euros ;</li>
    <li>la création d'îlots de fraîcheur dans les cours d'école et sur la place du Marché.</li>
  </ul>
  <p>La Banque des Territoires apporte 1,2 million d'euros pour les études et l'ingénierie, notamment celles de la liaison mécanique. Les travaux de la place du Marché débuteront à l'automne 2024.</p>
""",
    ),
    Page(
        path="bonnes-pratiques/aurillac-navette-electrique-centre.html",
        site="ressources",
        title="Aurillac : une navette électrique gratuite entre les parkings et le centre",
        section="Fiches d'expérience",
        date=dt.date(2022, 3, 8),
        related=["Stationnement : passer de la gratuité à la rotation", "Plans de mobilité simplifiés : ce qu'il faut savoir"],
        body="""  <h2>Le contexte</h2>
  <p>Préfecture du Cantal, Aurillac (25 815 habitants) attire chaque jour des milliers d'habitants des communes rurales voisines, qui viennent presque tous en voiture. Le centre ancien, aux rues étroites, saturait aux heures de pointe tandis que les grands parkings de la périphérie restaient à moitié vides.</p>
  <h2>Ce qui a été fait</h2>
  <p>Depuis septembre 2020, une navette électrique gratuite, baptisée « Centre Express », relie deux parkings relais situés aux entrées de la ville au square et aux rues commerçantes. Six véhicules de 22 places passent toutes les huit minutes, du lundi au samedi, de 7 h 30 à 19 h 30. Les conducteurs sont des agents de la régie de transport de l'agglomération.</p>
  <p>L'investissement, 1,9 million d'euros pour les véhicules, les bornes de recharge et l'aménagement des parkings relais, a été financé par l'État au titre de la DSIL, par la Banque des Territoires pour l'étude préalable et par l'agglomération. Le fonctionnement coûte 420 000 euros par an.</p>
  <h2>Les résultats</h2>
  <p>En 2021, la navette a transporté en moyenne 1 100 voyageurs par jour. Le taux d'occupation des parkings du centre a baissé de 18 % et les commerçants ont constaté une fréquentation plus régulière en semaine.</p>
  <h2>Les enseignements</h2>
  <ul>
    <li>la gratuité est décisive : un premier essai payant, en 2016, n'avait pas trouvé son public ;</li>
    <li>la fréquence compte plus que la vitesse : au-delà de dix minutes d'attente, les usagers reprennent leur voiture ;</li>
    <li>associer les commerçants dès le départ, ils relaient l'information auprès de leurs clients.</li>
  </ul>
  <p><strong>Contact :</strong> direction des mobilités de la Communauté d'agglomération du Bassin d'Aurillac.</p>
""",
    ),
    Page(
        path="bonnes-pratiques/epernay-campagne-ravalement-facades.html",
        site="ressources",
        title="Épernay : une campagne de ravalement des façades accompagnée",
        section="Fiches d'expérience",
        date=dt.date(2023, 10, 5),
        related=["Patrimoine : travailler avec l'architecte des Bâtiments de France", "Les aides de l'Anah aux copropriétés"],
        cookie=True,
        body="""  <p class="resume">Entre 2020 et 2023, la ville d'Épernay (Marne, 22 001 habitants) a fait ravaler 85 façades de son centre en combinant obligation et accompagnement financier et technique des propriétaires.</p>
  <h2>Pourquoi</h2>
  <p>Façades noircies, enduits décollés, menuiseries dépareillées : dans les rues commerçantes qui mènent à l'avenue de Champagne, l'état des immeubles donnait aux visiteurs une image de déclin. Beaucoup de propriétaires ignoraient les aides existantes ou redoutaient les démarches.</p>
  <h2>Comment</h2>
  <p>La ville a inscrit 140 immeubles sur la liste des ravalements obligatoires, par arrêté municipal, en trois tranches annuelles. En contrepartie, elle prend en charge 30 % du montant des travaux, dans la limite de 10 000 euros par immeuble, et met à disposition gratuitement une architecte-conseil qui rédige avec chaque propriétaire un cahier de prescriptions : couleur choisie dans un nuancier, type d'enduit, traitement des devantures.</p>
  <p>Une réunion publique par tranche, un guide illustré et un accompagnement au montage des demandes d'aides de l'Anah pour les propriétaires modestes complètent le dispositif. Le budget municipal engagé s'élève à 690 000 euros sur quatre ans, avec un cofinancement de la Région Grand Est.</p>
  <h2>Bilan</h2>
  <p>85 façades sur les 140 ont été refaites à fin 2023, et une quarantaine de chantiers sont programmés. Seules deux procédures de mise en demeure ont été nécessaires. Plusieurs commerçants ont profité du chantier pour refaire leur vitrine.</p>
  <h2>Points de vigilance</h2>
  <p>Prévoir des entreprises en nombre suffisant : la première tranche a été retardée par la saturation des artisans locaux. Le nuancier, validé avec l'architecte des Bâtiments de France, a évité les refus d'autorisation.</p>
""",
    ),
    Page(
        path="bonnes-pratiques/lannion-acces-independants-etages-commerces.html",
        site="ressources",
        title="Lannion : rendre habitables les étages au-dessus des boutiques",
        section="Fiches d'expérience",
        date=dt.date(2024, 1, 22),
        related=["Lutter contre la vacance : repérer les logements vides", "Le dispositif Denormandie en pratique"],
        body="""  <p class="resume">À Lannion (Côtes-d'Armor, 20 344 habitants), de nombreux logements situés au-dessus des magasins étaient vides depuis des décennies, pour une raison simple : on ne pouvait y accéder qu'en traversant la boutique. La ville a fait de la création d'entrées séparées une priorité de son programme de revitalisation.</p>
  <h2>Le problème</h2>
  <p>Dans le centre historique, autour de la place du Général-Leclerc, les commerçants ont souvent supprimé l'escalier d'accès aux étages pour agrandir leur surface de vente. Résultat : 160 logements inoccupés recensés en 2019 au-dessus de commerces en activité.</p>
  <h2>La réponse</h2>
  <p>Depuis 2020, la ville verse une aide de 15 000 euros par immeuble pour créer un accès indépendant aux étages, par la rue ou par une cour arrière, en complément des aides de l'Anah aux travaux des logements. Un architecte de la ville étudie gratuitement la faisabilité, y compris lorsque l'accès doit passer par une parcelle voisine, en négociant une servitude de passage entre propriétaires.</p>
  <h2>Résultats</h2>
  <p>En quatre ans, 19 immeubles ont été traités et 31 logements remis sur le marché, loués pour la plupart à des jeunes actifs et à des retraités. Le coût moyen des travaux d'accès a été de 38 000 euros par immeuble.</p>
  <h2>À retenir</h2>
  <ul>
    <li>le commerçant locataire doit être associé tôt, car les travaux empiètent sur sa boutique ;</li>
    <li>la règle d'urbanisme doit permettre de réduire une vitrine pour créer une porte ;</li>
    <li>les accords de servitude entre voisins sont longs : prévoir un notaire dès l'étude.</li>
  </ul>
""",
    ),
    Page(
        path="autres/lannion-collecte-dechets-nouveaux-jours.html",
        site="agglo_lannion",
        title="Collecte des déchets : de nouveaux jours de ramassage à partir du 1er avril",
        section="Déchets",
        date=dt.date(2024, 3, 12),
        related=["Composteurs : distribution gratuite en avril", "Déchetteries : horaires d'été"],
        cookie=True,
        body="""    <p>À partir du lundi 1er avril 2024, les jours de collecte des ordures ménagères et des emballages changent dans plusieurs communes du territoire, dont Lannion, Perros-Guirec et Trébeurden.</p>
    <p>Ce changement accompagne le passage à la collecte des bacs jaunes toutes les deux semaines et la réorganisation des tournées des camions. Chaque foyer concerné recevra dans sa boîte aux lettres un calendrier personnalisé avant la fin du mois de mars.</p>
    <h2>Ce qui ne change pas</h2>
    <p>Les bacs doivent être sortis la veille au soir du jour de collecte et rentrés après le passage du camion. Les jours fériés, la collecte est maintenue, sauf le 1er mai, le 25 décembre et le 1er janvier, où elle est décalée au lendemain.</p>
    <p>Pour connaître votre nouveau jour de collecte, saisissez votre adresse dans le moteur de recherche du service déchets ou appelez le numéro vert, du lundi au vendredi de 9 h à 17 h.</p>
""",
    ),
]


# --------------------------------------------------------------------------- PDF sheets

@dataclass
class Sheet:
    path: str
    title: str
    date: dt.date
    byline: str
    blocks: list[tuple[str, str]]  # (kind, text): kind in h, p, b (bullet), t (key-figure row "a|b")


SHEETS: list[Sheet] = [
    Sheet(
        path="bonnes-pratiques/saint-die-des-vosges-ressourcerie-centre-ville.pdf",
        title="Saint-Dié-des-Vosges : une ressourcerie dans un ancien magasin du centre",
        date=dt.date(2022, 11, 15),
        byline="Retour d'expérience — novembre 2022",
        blocks=[
            ("p", "Saint-Dié-des-Vosges (19 319 habitants) comptait en 2019 plusieurs grands locaux commerciaux vides "
                  "dans son centre reconstruit après-guerre. L'un d'eux, un ancien magasin de meubles de 1 400 m² "
                  "rue Stanislas, accueille depuis avril 2021 une ressourcerie associative et un atelier de réparation "
                  "ouvert à tous."),
            ("h", "Le projet"),
            ("p", "L'association collecte les objets dont les habitants veulent se séparer — meubles, vaisselle, "
                  "vêtements, vélos, petit électroménager —, les remet en état et les revend à bas prix dans la "
                  "boutique du rez-de-chaussée. À l'étage, un atelier de réparation accueille chaque samedi les "
                  "habitants qui veulent apprendre à réparer eux-mêmes, avec des bénévoles."),
            ("p", "La structure emploie 12 salariés en parcours d'insertion, encadrés par trois permanents. Elle est "
                  "locataire de la Ville, qui a acheté le bâtiment et réalisé les travaux de mise aux normes."),
            ("h", "Chiffres clés"),
            ("t", "Surface|1 400 m² sur deux niveaux"),
            ("t", "Coût de l'acquisition et des travaux|1,35 million d'euros"),
            ("t", "Financements|État (DSIL) 450 000 €, Région Grand Est 300 000 €, Banque des Territoires (étude) 40 000 €, Ville 560 000 €"),
            ("t", "Tonnes d'objets détournées des déchetteries|180 par an"),
            ("t", "Visiteurs de la boutique|environ 900 par semaine"),
            ("h", "Ce qui a marché"),
            ("b", "un loyer modéré, progressif sur trois ans, qui a permis à l'association de trouver son équilibre ;"),
            ("b", "une vitrine soignée et des horaires de commerce, qui ont fait de la boutique un lieu de passage "
                  "pour toute la rue ;"),
            ("b", "la coopération avec la collectivité chargée des déchets, qui oriente vers la ressourcerie les "
                  "objets réutilisables déposés en déchetterie."),
            ("h", "Difficultés"),
            ("p", "Le stockage des objets volumineux a vite manqué : un entrepôt complémentaire a dû être loué en "
                  "zone d'activités. Le recrutement d'encadrants techniques a également pris plus de six mois."),
            ("p", "Contact : service commerce et centre-ville de la Ville de Saint-Dié-des-Vosges."),
        ],
    ),
    Sheet(
        path="bonnes-pratiques/dreux-maison-de-l-habitat-guichet-unique.pdf",
        title="La maison de l'habitat de Dreux : un seul guichet pour les propriétaires du centre",
        date=dt.date(2021, 5, 18),
        byline="Fiche retour d'expérience — mai 2021",
        blocks=[
            ("p", "Ouverte en avril 2019 rue Saint-Martin, dans une ancienne agence bancaire, la maison de l'habitat "
                  "de Dreux (Eure-et-Loir, 30 879 habitants) est l'une des premières actions de la convention Action "
                  "cœur de ville signée en septembre 2018. Elle répond à un constat : les propriétaires du centre "
                  "ancien renonçaient à rénover, découragés par la multiplicité des interlocuteurs."),
            ("h", "Un lieu, tous les conseils"),
            ("p", "Sur place, le visiteur rencontre sans rendez-vous l'opérateur de l'OPAH-RU, qui monte les "
                  "dossiers de subvention de l'Anah, un conseiller en rénovation énergétique, l'architecte-conseil "
                  "du patrimoine et un instructeur du service d'urbanisme. Une permanence juridique de l'agence "
                  "départementale d'information sur le logement se tient deux fois par mois."),
            ("p", "La maison est ouverte du mardi au vendredi et le samedi matin, pour les actifs qui ne peuvent pas "
                  "se libérer en semaine. Une exposition permanente présente des exemples d'immeubles rénovés du "
                  "centre, avec leurs coûts et leurs aides."),
            ("h", "Deux ans après"),
            ("t", "Contacts et visites|1 450"),
            ("t", "Dossiers d'aides déposés dans le cadre de l'OPAH-RU|212"),
            ("t", "Logements vacants remis sur le marché|96"),
            ("t", "Coût d'aménagement et de fonctionnement sur trois ans|650 000 €"),
            ("t", "Financeurs|Ville de Dreux, Banque des Territoires (150 000 €), Anah (120 000 €)"),
            ("h", "Les conditions du succès"),
            ("b", "un emplacement visible, en rez-de-chaussée sur une rue passante ;"),
            ("b", "une équipe qui se connaît et se transmet les dossiers sans renvoyer le visiteur ailleurs ;"),
            ("b", "l'ouverture le samedi, qui représente à elle seule un tiers des visites."),
            ("p", "Prochaine étape : un service d'accompagnement des acheteurs de biens anciens, avant même la "
                  "signature chez le notaire, pour estimer les travaux et les aides."),
        ],
    ),
]


def sheet_pdf(sheet: Sheet) -> bytes:
    base = ParagraphStyle("b", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=6)
    styles = {
        "title": ParagraphStyle("t", parent=base, fontName="Helvetica-Bold", fontSize=17, leading=21,
                                textColor=colors.HexColor("#2d5a27"), spaceAfter=4),
        "by": ParagraphStyle("y", parent=base, fontSize=9, textColor=colors.HexColor("#666666"), spaceAfter=12),
        "h": ParagraphStyle("h", parent=base, fontName="Helvetica-Bold", fontSize=12, leading=15,
                            textColor=colors.HexColor("#2d5a27"), spaceBefore=8),
        "p": base,
        "b": ParagraphStyle("l", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=3),
        "cell": ParagraphStyle("c", parent=base, fontSize=9, leading=11.5, spaceAfter=0),
        "note": ParagraphStyle("n", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#777777")),
    }
    d = sheet.date

    def pin(canv, doc) -> None:
        canv.setDateFormatter(lambda *a: f"D:{d.year:04d}{d.month:02d}{d.day:02d}100000+01'00'")
        canv.saveState()
        canv.setFont("Helvetica", 7.5)
        canv.setFillColor(colors.HexColor("#777777"))
        canv.drawString(18 * mm, 10 * mm, "Villes moyennes en projets — fiches d'expérience")
        canv.drawRightString(A4[0] - 18 * mm, 10 * mm, f"page {doc.page}")
        canv.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, invariant=1, title=sheet.title,
                            author="Villes moyennes en projets", creator="acv-kb held-out builder")
    story: list = [Paragraph(esc(sheet.title), styles["title"]), Paragraph(esc(sheet.byline), styles["by"])]
    rows: list = []

    def flush() -> None:
        if rows:
            t = Table(list(rows), colWidths=[70 * mm, A4[0] - 36 * mm - 70 * mm])
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9bb59a")),
                                   ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef4ec")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.extend([t, Spacer(1, 4 * mm)])
            rows.clear()

    for kind, text in sheet.blocks:
        if kind == "t":
            a, b = text.split("|", 1)
            rows.append([Paragraph(esc(a), styles["cell"]), Paragraph(esc(b), styles["cell"])])
            continue
        flush()
        if kind == "b":
            story.append(Paragraph(esc(text), styles["b"], bulletText="•"))
        else:
            story.append(Paragraph(esc(text), styles[kind]))
    flush()
    story.extend([Spacer(1, 6 * mm), Paragraph(esc(NOTICE), styles["note"])])
    doc.build(story, onFirstPage=pin, onLaterPages=pin)
    return buf.getvalue()


def main() -> int:
    for page in PAGES:
        site = SITES[page.site]
        out = OUT / page.path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(LAYOUTS[site["layout"]](page, site), encoding="utf-8")
        print(out.relative_to(HERE.parents[2]))
    for sheet in SHEETS:
        out = OUT / sheet.path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(sheet_pdf(sheet))
        print(out.relative_to(HERE.parents[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Web pages, Markdown and plain-text documents of the fresh collection (content and labels)."""

from __future__ import annotations

from common import L, P
from docs_web_cp import DOCS as CP_DOCS
from docs_web_other import DOCS as OTHER_DOCS

RESSOURCES = {
    "name": "Villes en mouvement",
    "baseline": "Le centre de ressources des villes moyennes et de leurs intercommunalités",
    "themes": [
        "Habitat et logement",
        "Commerce et développement économique",
        "Mobilités et accessibilité",
        "Espaces publics et patrimoine",
        "Équipements et services au public",
        "Ingénierie et gouvernance",
    ],
    "address": "Villes en mouvement — réseau d'échanges entre collectivités — contact@villes-en-mouvement.example",
}

BP: list[dict] = []

# 1. Bourg-en-Bresse — intercommunal site, « En bref » box with a labelled axis -------------------------------
BP.append(
    {
        "file": "grand-bourg-colocations-etages-commerces.html",
        "render": "html",
        "skin": "agglo",
        "site": {
            "name": "Grand Bourg Agglomération",
            "top": ["Vivre", "Habiter", "Entreprendre", "Se déplacer", "Découvrir", "L'agglo"],
            "side_title": "Habiter",
            "side": ["Aides à la rénovation", "Programme local de l'habitat", "Retours d'expérience", "Gens du voyage"],
            "address": "Grand Bourg Agglomération — 3 avenue Arsène-d'Arsonval — 01000 Bourg-en-Bresse",
        },
        "title_tag": "Des colocations pour jeunes actifs au-dessus des boutiques - Grand Bourg Agglomération",
        "meta": [("name", "description", "Retour d'expérience : remettre en location les étages vacants du centre-ville.")],
        "crumbs": ["Accueil", "Habiter", "Retours d'expérience", "Colocations au-dessus des boutiques"],
        "h1": "Des colocations pour jeunes actifs au-dessus des boutiques",
        "dateline": "Publié le 14/03/2023",
        "lead": "Rue Notre-Dame et rue Bichat, des étages vides depuis vingt ans accueillent désormais des apprentis,"
        " des internes et de jeunes salariés.",
        "box_title": "En bref",
        "box": [
            ("Commune", "Bourg-en-Bresse (Ain)"),
            ("Axe", "Axe 1 – Réhabilitation et offre attractive de l'habitat en centre-ville"),
            ("Coût", "1,35 M€ HT pour 9 immeubles"),
            ("Calendrier", "2021-2024"),
            ("Partenaires", "Action Logement, Anah, bailleur Dynacité"),
        ],
        "body": P(
            "<h2>Le constat</h2>",
            "Dans l'hypercentre, près d'un logement sur quatre situé au-dessus d'un commerce était vacant en 2020."
            " L'accès aux étages avait souvent été supprimé lors de l'agrandissement des boutiques : l'escalier"
            " avait disparu dans la surface de vente, et les propriétaires n'avaient plus aucun moyen de louer.",
            "<h2>La démarche</h2>",
            "La Ville et l'agglomération ont démarché un par un les propriétaires de neuf immeubles. Un architecte"
            " conseil a dessiné pour chacun un accès indépendant depuis la rue ou la cour arrière, puis une"
            " division en grands appartements de quatre chambres, pensés pour la colocation.",
            "Le bailleur Dynacité prend les logements en gestion par bail à réhabilitation de quinze ans : le"
            " propriétaire récupère un bien rénové à l'issue du bail sans avoir avancé les travaux.",
            "<h2>Les résultats</h2>",
            "Trente-deux chambres meublées ont été livrées entre 2022 et 2024, louées en moyenne 390 euros charges"
            " comprises. Les premiers locataires sont des apprentis du centre de formation, des internes de"
            " l'hôpital Fleyriat et des salariés en période d'essai.",
            "« Le plus long a été de convaincre les commerçants que l'entrée commune ne gênerait pas leur"
            " boutique », souligne la cheffe de projet cœur de ville.",
        ),
        "related": [
            "Mâcon : un permis de diviser pour les grands logements",
            "Les aides de l'Anah pour les propriétaires bailleurs",
        ],
        "label": L(
            "bonne_pratique", [1], "Bourg-en-Bresse", ["Bourg-en-Bresse"], ["Mâcon"], "2023-03-14",
            "Des colocations pour jeunes actifs au-dessus des boutiques", True,
        ),
    }
)

# 2. Châteauroux — metropole site, no box, town written without accent in the page chrome ---------------------
BP.append(
    {
        "file": "chateauroux-conciergerie-commercants.html",
        "render": "html",
        "skin": "metropole",
        "site": {
            "name": "CHATEAUROUX METROPOLE",
            "rubrique": "Retours d'expérience",
            "related_title": "Sur le même sujet",
            "contact": "Service commerce et attractivité — 02 54 00 00 00",
            "address": "Hôtel de ville — place de la République — 36000 Chateauroux",
        },
        "title_tag": "Une conciergerie pour les commerçants du centre-ville | Chateauroux Metropole",
        "meta": [("property", "og:type", "article"), ("property", "og:site_name", "Chateauroux Metropole")],
        "crumbs": ["Accueil", "Entreprendre", "Commerce de centre-ville", "Conciergerie des commerçants"],
        "h1": "Une conciergerie pour les commerçants du centre-ville",
        "dateline": '<time datetime="2022-06-06">6 juin 2022</time>',
        "lead": "Colis, retouches, pressing, clés : depuis un local de la rue Grande, la conciergerie rend service"
        " aux clients comme aux boutiques.",
        "body": P(
            "À CHATEAUROUX, les commerçants indépendants du centre-ville réclamaient depuis longtemps un service"
            " commun. Ils ne pouvaient ni réceptionner les colis de leurs clients après la fermeture, ni proposer"
            " la livraison à domicile qu'offraient les enseignes de la zone commerciale.",
            "Ouverte en septembre 2021 dans une ancienne cellule vide de la rue Grande, la conciergerie est gérée"
            " par l'association des commerçants avec deux salariés en insertion. Elle centralise les achats"
            " faits dans une trentaine de boutiques et les livre à vélo-cargo dans un rayon de quatre kilomètres.",
            "<h2>Un service payé à moitié par la collectivité</h2>",
            "La métropole finance la moitié du loyer et du poste de coordination pendant trois ans au titre du"
            " programme Action cœur de ville ; les commerçants adhérents versent 25 euros par mois. Un point de"
            " retrait de colis et un casier réfrigéré pour les produits frais complètent le dispositif.",
            "Après un an, 4 800 livraisons ont été effectuées et six boutiques disent avoir gagné de nouveaux"
            " clients parmi les personnes âgées du quartier Saint-Christophe. La prochaine étape : un site de"
            " commande commun, testé avec les fromagers et les cavistes.",
        ),
        "box_title": "Repères",
        "box": [("Ouverture", "septembre 2021"), ("Budget annuel", "68 000 €"), ("Boutiques adhérentes", "31")],
        "related": ["Issoudun : les halles retrouvent leurs étals", "Le plan de stationnement du centre-ville"],
        "label": L(
            "bonne_pratique", [2], "Châteauroux", ["Châteauroux"], ["Issoudun"], "2022-06-06",
            "Une conciergerie pour les commerçants du centre-ville",
        ),
    }
)

# 3. Saint-Brieuc — Markdown with front matter that states the axis ---------------------------------------------
BP.append(
    {
        "file": "saint-brieuc-venelle-gare-centre.md",
        "render": "md",
        "text": """
---
title: "Rouvrir une venelle entre la gare et le centre"
date: 2021-11-25
commune: Saint-Brieuc
epci: Saint-Brieuc Armor Agglomération
axe: 3
type: retour d'expérience
---

# Rouvrir une venelle entre la gare et le centre

*Document fictif, illustratif.*

## Le problème

Entre le pôle d'échanges multimodal et la place du Chai, les piétons devaient contourner tout un îlot par le
boulevard Clemenceau, soit près de neuf cents mètres au lieu de trois cents. Une ancienne venelle, fermée par
des grilles depuis les années 1980, traversait pourtant l'îlot en ligne droite.

## Ce qui a été fait

- acquisition amiable de deux fonds de parcelles et d'un garage en ruine ;
- réouverture du passage sur 140 mètres, éclairage bas, pavés récupérés sur place ;
- escalier doublé d'une rampe à 4 % pour les poussettes et les fauteuils ;
- jalonnement depuis les quais de la gare : « Centre-ville à 4 minutes à pied ».

Le chantier a duré sept mois pour 620 000 euros, financés par la Ville, l'agglomération et une subvention de
l'État au titre de la dotation de soutien à l'investissement local.

## Ce qu'on en retient

Les comptages montrent 2 300 passages par jour ouvré un an après l'ouverture. Les riverains craignaient le
bruit nocturne : une fermeture par portillon entre 23 heures et 6 heures a été négociée en réunion de quartier,
ce qui a désamorcé l'opposition.

Contact : direction de l'aménagement, Ville de Saint-Brieuc.
""",
        "label": L(
            "bonne_pratique", [3], "Saint-Brieuc", ["Saint-Brieuc"], [], "2021-11-25",
            "Rouvrir une venelle entre la gare et le centre", True,
        ),
    }
)

# 4. Périgueux — Markdown without front matter, written « PERIGUEUX » in capitals, two dates ------------------
BP.append(
    {
        "file": "ombre-et-fraicheur-places-perigueux.md",
        "render": "md",
        "text": """
# PERIGUEUX — Ombre et fraîcheur sur les places minérales : le bilan de deux étés

Rédigé le 18 juillet 2024 · Mis à jour le 2 septembre 2024

> Retour d'expérience rédigé pour le réseau des chefs de projet. Document fictif, illustratif.

Les places du centre historique de PERIGUEUX, entièrement pavées, dépassaient 45 °C au sol lors des
canicules de 2019 et 2022. La Ville a choisi de ne pas attendre un réaménagement complet, trop coûteux,
et de tester des solutions légères sur trois places.

## Trois solutions testées

1. **Des voiles d'ombrage tendues entre les façades**, posées de juin à septembre, sur la place Saint-Louis.
2. **Des fosses de plantation creusées dans le pavage**, avec des érables et des micocouliers en bacs enterrés,
   place de la Clautre.
3. **Des brumisateurs à détection de présence**, alimentés par l'eau de la fontaine recyclée, place du Coderc.

## Résultats mesurés

Des capteurs installés par l'université de Bordeaux ont relevé jusqu'à 9 °C de moins au sol sous les voiles
et 4 °C de moins dans l'air autour des fosses plantées. Les brumisateurs, très appréciés, consomment trop
d'eau : ils ne fonctionneront plus qu'au-delà de 32 °C.

## Coûts

| Mesure | Coût | Entretien annuel |
|---|---|---|
| Voiles d'ombrage | 85 000 € | 6 000 € (pose et dépose) |
| Fosses plantées | 210 000 € | 4 500 € |
| Brumisateurs | 48 000 € | 3 000 € |

Le commerce en profite : les terrasses de la place Saint-Louis restent ouvertes l'après-midi, ce qui n'était
plus le cas. La démarche sera étendue en 2025 à la place Francheville, dans le cadre de l'avenant Action cœur
de ville signé avec le Grand Périgueux.
""",
        "label": L(
            "bonne_pratique", [4], "Périgueux", ["Périgueux"], [], "2024-07-18",
            "Ombre et fraîcheur sur les places minérales : le bilan de deux étés",
        ),
    }
)

# 6. Laval — town hall site, « Fiche » table WITHOUT an axis field -------------------------------------------------
BP.append(
    {
        "file": "laval-plateforme-coproprietes-fragiles.html",
        "render": "html",
        "skin": "mairie",
        "site": {
            "name": "laval.fr",
            "header": "Ville de Laval",
            "box_style": "table",
            "related_title": "Dans la rubrique Habitat",
            "address": "Mairie de Laval — place du 11-Novembre — 53000 Laval",
        },
        "title_tag": "Copropriétés fragiles : une plateforme pour agir avant la dégradation — Laval",
        "meta": [("name", "keywords", "copropriété, rénovation, centre ancien, syndic, Anah")],
        "crumbs": ["Accueil", "Cadre de vie", "Habitat", "Copropriétés fragiles"],
        "h1": "Copropriétés fragiles : une plateforme pour agir avant la dégradation",
        "dateline": "Publié le 9 mai 2022",
        "box_title": "Fiche",
        "box": [
            ("Commune", "Laval"),
            ("Porteur", "Ville de Laval et Laval Agglomération"),
            ("Coût", "420 000 € sur 5 ans (ingénierie)"),
            ("Calendrier", "2020-2025"),
            ("Partenaires", "Anah, ADIL de la Mayenne, chambre des notaires"),
        ],
        "body": P(
            "Le centre ancien compte environ 260 petites copropriétés, souvent sans syndic professionnel. Quand"
            " une toiture fuit ou qu'un escalier s'affaisse, personne ne sait qui doit décider, et les"
            " logements se vident les uns après les autres.",
            "<h2>Un repérage avant les travaux</h2>",
            "La plateforme croise chaque année les impayés de charges, les signalements des services d'hygiène"
            " et les ventes à bas prix enregistrées par les notaires. Les trente copropriétés qui cumulent le"
            " plus de signaux reçoivent la visite d'un opérateur qui les aide à s'organiser : assemblée générale,"
            " immatriculation au registre, plan pluriannuel de travaux.",
            "<h2>Des travaux financés à 70 %</h2>",
            "Une fois organisées, les copropriétés peuvent obtenir les aides de l'Anah pour la rénovation"
            " énergétique et la sécurité, complétées par une prime de la Ville pour les parties communes. Onze"
            " immeubles ont engagé des travaux depuis 2020, soit 94 logements, dont la moitié étaient occupés"
            " par des propriétaires aux revenus modestes.",
            "« Nous intervenons avant que l'immeuble ne devienne une copropriété en difficulté, quand le coût est"
            " encore raisonnable », résume l'adjointe à l'urbanisme.",
        ),
        "related": ["Le permis de louer étendu à la rue du Val-de-Mayenne", "Ravalement : les aides 2022"],
        "label": L(
            "bonne_pratique", [1], "Laval", ["Laval"], [], "2022-05-09",
            "Copropriétés fragiles : une plateforme pour agir avant la dégradation",
        ),
    }
)

# 7. Rodez — resource centre page, og:type and article:section « Bonnes pratiques » --------------------------------
BP.append(
    {
        "file": "vitrines-vides-artistes-rodez.html",
        "render": "html",
        "skin": "ressources",
        "site": RESSOURCES,
        "title_tag": "Rodez habille ses vitrines vides avec les artistes du territoire :: Villes en mouvement",
        "meta": [
            ("property", "og:type", "article"),
            ("property", "article:section", "Bonnes pratiques"),
            ("property", "og:title", "Rodez habille ses vitrines vides avec les artistes du territoire"),
        ],
        "crumbs": ["Accueil", "Retours d'expérience", "Commerce", "Vitrines vides et artistes"],
        "h1": "Rodez habille ses vitrines vides avec les artistes du territoire",
        "dateline": "Publié le 3 février 2021 — Rubrique : bonnes pratiques",
        "tags": ["vacance commerciale", "art", "vitrines", "Aveyron"],
        "body": P(
            "Une vitrine vide en appelle d'autres : c'est le constat dont est partie l'équipe du programme à"
            " Rodez, où une quinzaine de cellules commerciales restaient fermées autour du piton, entre la place"
            " de la Cité et la rue Béteille.",
            "Plutôt que des vitrophanies imprimées, la Ville a proposé aux propriétaires de prêter leurs vitrines"
            " à des artistes et artisans d'art du département pendant trois mois renouvelables. La convention"
            " d'occupation est gratuite ; la collectivité prend en charge l'assurance, l'électricité et un"
            " nettoyage avant chaque installation.",
            "<h2>Ce qui a marché</h2>",
            "En dix-huit mois, vingt-deux artistes ont exposé dans onze vitrines. Quatre cellules ont trouvé un"
            " locataire pendant ou juste après l'exposition, dont une céramiste qui a transformé l'essai en"
            " boutique-atelier. Les propriétaires disent avoir reçu plus de visites d'agents immobiliers.",
            "<h2>Les difficultés</h2>",
            "Certains propriétaires ont refusé de confier leurs clés. Il a fallu rédiger une convention type avec"
            " un état des lieux photographié et garantir la restitution du local sous huit jours en cas de"
            " signature d'un bail commercial.",
        ),
        "related": [
            "Millau : un manager de centre-ville partagé avec la CCI",
            "Villefranche-de-Rouergue : la boutique de producteurs de la place Notre-Dame",
        ],
        "label": L(
            "bonne_pratique", [2], "Rodez", ["Rodez"], ["Millau", "Villefranche-de-Rouergue"], "2021-02-03",
            "Rodez habille ses vitrines vides avec les artistes du territoire",
        ),
    }
)

# 8. Lons-le-Saunier — Markdown, no front matter, labelled axis line, town called « Lons » ------------------
BP.append(
    {
        "file": "lons-parking-relais-navette.md",
        "render": "md",
        "text": """
# Lons : un parking relais et une navette gratuite pour rejoindre le centre

**Commune** : Lons-le-Saunier (Jura)
**Axe** : 3 — Accessibilité, mobilité et connexions
**Coût** : 1,1 M€ (parking) + 180 000 € par an (navette)
**Calendrier** : étude 2019, mise en service avril 2021

Publié le 12/10/2022 — fiche rédigée par l'équipe projet d'ECLA. Document fictif, illustratif.

## Contexte

Chaque matin, près de 3 000 voitures entraient dans le centre de Lons pour y stationner la journée, souvent
sur les places de la rue Lecourbe et de la place de la Liberté que les commerçants voulaient réserver à leurs
clients. Les salariés du centre hospitalier et des administrations n'avaient pas d'autre choix.

## Le projet

Un parking relais de 420 places a été aménagé sur l'ancien terrain de la coopérative laitière, en bordure de
la rocade, à 1,5 km du centre. Une navette électrique gratuite le relie au centre toutes les 8 minutes aux
heures de pointe, de 7 heures à 19 h 30. Des consignes à vélos sécurisées permettent de finir le trajet à vélo.

## Bilan après 18 mois

- taux d'occupation moyen du parking : 71 % ;
- 1 150 voyageurs par jour en semaine sur la navette ;
- rotation des places en centre-ville multipliée par 2,4 depuis l'instauration d'une zone bleue.

Le point faible reste le samedi : la navette y est peu utilisée, le parking relais étant jugé trop éloigné
par les clients du marché.
""",
        "label": L(
            "bonne_pratique", [3], "Lons-le-Saunier", ["Lons-le-Saunier"], [], "2022-10-12",
            "Lons : un parking relais et une navette gratuite pour rejoindre le centre", True,
        ),
    }
)

# 10. Chalon-sur-Saône — « Le Grand Chalon » site, town called « Chalon », og/article section ----------------
BP.append(
    {
        "file": "ilot-saint-cosme-logements-familiaux.html",
        "render": "html",
        "skin": "agglo",
        "site": {
            "name": "Le Grand Chalon",
            "top": ["Services", "Mobilités", "Économie", "Habitat", "Projets", "Institution"],
            "side_title": "Projets urbains",
            "side": ["Rénovation urbaine", "Cœur d'agglomération", "Bonnes pratiques", "Concertations"],
            "address": "Le Grand Chalon — 23 avenue Georges-Pompidou — 71100 Chalon-sur-Saône",
        },
        "title_tag": "Îlot Saint-Cosme : des logements familiaux avec jardin en plein centre | Le Grand Chalon",
        "meta": [("property", "og:type", "article"), ("property", "article:section", "Bonnes pratiques")],
        "crumbs": ["Accueil", "Projets", "Bonnes pratiques", "Îlot Saint-Cosme"],
        "h1": "Îlot Saint-Cosme : des logements familiaux avec jardin en plein centre",
        "dateline": "Mis en ligne le 21 septembre 2023",
        "body": P(
            "Au cœur de Chalon, l'îlot Saint-Cosme concentrait des immeubles étroits et insalubres, des cours"
            " encombrées d'annexes et un taux de vacance proche de 40 %. Les familles quittaient le centre faute"
            " de grands logements et d'espaces extérieurs.",
            "La Ville, appuyée par l'agglomération et son aménageur, a racheté sept immeubles sur quatre ans."
            " Le parti retenu est radical : démolir les annexes des cours pour créer un jardin partagé de"
            " 900 m², et regrouper les petits appartements en dix-huit logements de trois et quatre pièces,"
            " chacun doté d'un balcon ou d'une terrasse sur le jardin.",
            "<h3>Chiffres clés</h3>",
            "<ul><li>18 logements familiaux, dont 8 en accession sociale</li><li>coût global : 5,2 millions"
            " d'euros</li><li>livraison : printemps 2023</li></ul>",
            "Les logements en accession ont été vendus en six semaines à des ménages de moins de quarante ans,"
            " dont la moitié habitaient auparavant en périphérie. Pour l'équipe du programme, la clé a été de"
            " traiter l'îlot entier plutôt qu'immeuble par immeuble.",
        ),
        "related": ["Le Creusot : la place Schneider rendue aux piétons", "Autun : une résidence seniors rue aux Cordiers"],
        "label": L(
            "bonne_pratique", [1], "Chalon-sur-Saône", ["Chalon-sur-Saône"], ["Le Creusot", "Autun"], "2023-09-21",
            "Îlot Saint-Cosme : des logements familiaux avec jardin en plein centre",
        ),
    }
)

# 11. Fougères — modern town site, box with « Thématique » (not an axis) -------------------------------------------
BP.append(
    {
        "file": "fougeres-halles-tiers-lieu-alimentaire.html",
        "render": "html",
        "skin": "moderne",
        "site": {
            "name": "Fougères",
            "related_title": "Ça peut aussi vous intéresser",
            "address": "Ville de Fougères — 2 rue Porte-Saint-Léonard — 35300 Fougères",
        },
        "badge": "Retour d'expérience",
        "title_tag": "Les halles deviennent un tiers-lieu alimentaire - Ville de Fougères",
        "crumbs": ["Accueil", "Projets", "Cœur de ville", "Les halles"],
        "h1": "Les halles deviennent un tiers-lieu alimentaire",
        "dateline": "Publié le 17 janvier 2024 · Mis à jour le 30 janvier 2024",
        "lead": "Cuisine partagée, épicerie de producteurs et cantine du midi : les halles de la place Aristide-Briand"
        " vivent désormais toute la semaine, et pas seulement le samedi.",
        "box_title": "L'essentiel",
        "box": [
            ("Thématique", "Commerce et circuits courts"),
            ("Lieu", "Halles, place Aristide-Briand"),
            ("Montant", "2,9 M€"),
            ("Ouverture", "octobre 2023"),
        ],
        "body": P(
            "Construites en 1904, les halles n'ouvraient plus qu'un matin par semaine. Le reste du temps, le"
            " bâtiment servait de parking couvert. La municipalité a lancé en 2021 un appel à manifestation"
            " d'intérêt pour en confier l'animation à un collectif d'acteurs locaux.",
            "Le lauréat, une société coopérative d'intérêt collectif réunissant vingt producteurs, un traiteur"
            " d'insertion et l'association des commerçants, exploite désormais l'épicerie et une cuisine"
            " partagée louée à l'heure aux jeunes entreprises de restauration.",
            "<h2>Premiers résultats</h2>",
            "En trois mois, la cantine a servi 6 500 repas, et quatre traiteurs ont testé leur activité dans la"
            " cuisine partagée. Le marché du samedi a gagné neuf étals. Les commerçants des rues voisines notent"
            " une hausse de fréquentation le midi.",
        ),
        "cards": [("Actualité", "Vitré : un guichet unique pour les porteurs de projets"), ("Travaux", "Rue Nationale : fin du chantier")],
        "label": L(
            "bonne_pratique", [2], "Fougères", ["Fougères"], ["Vitré"], "2024-01-17",
            "Les halles deviennent un tiers-lieu alimentaire",
        ),
    }
)

# 12. Vitré — Markdown with front matter without an axis field ----------------------------------------------------
BP.append(
    {
        "file": "vitre-guichet-unique-porteurs-projets.md",
        "render": "md",
        "text": """
---
titre: Un guichet unique pour les porteurs de projets commerciaux
publie: 09/05/2023
auteur: Vitré Communauté, service développement économique
mots-cles: [commerce, installation, accompagnement, vacance commerciale]
---

Un guichet unique pour les porteurs de projets commerciaux
==========================================================

_Retour d'expérience — document fictif, illustratif._

À Vitré, un créateur de boutique devait auparavant frapper à cinq portes : le service urbanisme pour l'enseigne
et la terrasse, la chambre de commerce pour le plan de financement, le propriétaire pour le bail, la banque et,
souvent, l'architecte des bâtiments de France pour la devanture en secteur protégé.

Depuis 2022, un guichet unique installé à l'office de commerce, rue Poterie, reçoit le porteur de projet sur
rendez-vous et réunit tous ces interlocuteurs en une seule réunion de 90 minutes, tous les quinze jours.

Ce qui change :

* un dossier unique, partagé entre les services ;
* une liste tenue à jour des locaux vacants avec leur loyer et l'état du local ;
* un prêt d'honneur de 5 000 à 15 000 euros accordé par la plateforme d'initiative locale ;
* une prime de la Ville pour la rénovation des devantures, jusqu'à 50 % des travaux.

En un an, 41 porteurs de projet ont été reçus et 17 commerces ont ouvert en centre-ville, dont une librairie,
deux restaurants et un atelier de réparation de vélos. Le taux de vacance commerciale du centre est passé de
11 % à 8 %.
""",
        "label": L(
            "bonne_pratique", [2], "Vitré", ["Vitré"], [], "2023-05-09",
            "Un guichet unique pour les porteurs de projets commerciaux",
        ),
    }
)

# 14. Guéret — plain page written entirely without accents ------------------------------------------------------------
BP.append(
    {
        "file": "gueret-micro-creche-mediatheque.htm",
        "render": "html",
        "skin": "plain",
        "site": {
            "name": "Grand Gueret - le site de l'agglo",
            "menu": ["Accueil", "Petite enfance", "Culture", "Economie", "Bonnes pratiques", "Contact"],
            "related_title": "Voir aussi",
            "address": "Communaute d'agglomeration du Grand Gueret - 9 avenue Charles-de-Gaulle - 23000 Gueret",
        },
        "title_tag": "Bonne pratique - Une micro-creche au-dessus de la mediatheque",
        "meta": [("name", "keywords", "petite enfance, creche, centre-ville, equipement public, Gueret")],
        "h1": "Une micro-creche au-dessus de la mediatheque de Gueret",
        "dateline": "Mise en ligne : 28/11/2022",
        "body": P(
            "Les familles qui travaillent dans le centre de Gueret devaient deposer leurs enfants dans les"
            " creches de peripherie, a plus de dix minutes en voiture. Les places manquaient et le centre-ville"
            " perdait de jeunes menages.",
            "L'etage de la mediatheque, occupe autrefois par des reserves, etait sous-utilise. La collectivite y"
            " a installe une micro-creche de douze berceaux, avec une entree independante par la rue de"
            " l'Ancienne-Mairie et une terrasse de jeux sur le toit du hall d'accueil.",
            "Les travaux ont coute 780 000 euros, finances par la CAF, l'Etat et l'agglomeration. La creche est"
            " geree en delegation par une association locale. Les enfants descendent chaque semaine a l'espace"
            " jeunesse de la mediatheque pour l'heure du conte.",
            "Un an apres l'ouverture, la liste d'attente compte vingt familles, dont la moitie habitent le"
            " centre ancien. L'agglomeration etudie une seconde structure dans l'ancienne ecole de la rue"
            " Sylvain-Grateyrolles.",
        ),
        "box_title": "Fiche",
        "box": [("Commune", "Gueret"), ("Axe", "Axe 5 - Equipements et services publics"), ("Cout", "780 000 euros")],
        "related": ["Tulle : l'ascenseur urbain de la gare", "Aubusson : le marche du samedi"],
        "label": L(
            "bonne_pratique", [5], "Guéret", ["Guéret"], ["Tulle"], "2022-11-28",
            "Une micro-crèche au-dessus de la médiathèque de Guéret", True,
        ),
    }
)

# 15. Sélestat — Markdown, no front matter, town written without accent, date in a closing line -------------------
BP.append(
    {
        "file": "selestat-permis-de-vegetaliser.markdown",
        "render": "md",
        "text": """
# Permis de végétaliser : les habitants jardinent les trottoirs

Retour d'expérience — Selestat (Bas-Rhin). Document fictif, illustratif.

## Pourquoi

Le centre historique de Selestat compte peu d'arbres : ses rues étroites ne permettent pas de planter sans
supprimer du stationnement. Les habitants demandaient pourtant davantage de verdure devant chez eux.

## Comment

La Ville délivre depuis 2021 un permis de végétaliser gratuit. L'habitant choisit l'emplacement : pied de
façade, pied d'arbre, bac mobile ou plante grimpante. Les services techniques découpent l'enrobé sur une bande
de 15 à 30 centimètres, apportent la terre et un kit de graines de plantes locales peu gourmandes en eau.
L'habitant signe une charte : pas de pesticides, arrosage et entretien à sa charge.

## Combien

Environ 120 euros par pied de façade, pris en charge par la Ville. Budget total : 25 000 euros par an.

## Résultats

- 186 permis délivrés en trois ans ;
- 2,1 kilomètres de pieds de façade fleuris, surtout rue des Chevaliers et autour de l'église Sainte-Foy ;
- trois rues entièrement végétalisées à l'initiative des riverains.

Les difficultés viennent des façades classées : l'architecte des bâtiments de France impose une liste de
plantes grimpantes et interdit les fixations dans la pierre.

Fiche rédigée le 4 avril 2024 par le service espaces verts.
""",
        "label": L(
            "bonne_pratique", [4], "Sélestat", ["Sélestat"], [], "2024-04-04",
            "Permis de végétaliser : les habitants jardinent les trottoirs",
        ),
    }
)

# 16. Dieppe — resource centre page, « En bref » with a labelled axis, title suffix of its own ----------------------
BP.append(
    {
        "file": "dieppe-hotel-dieu-residence-intergenerationnelle.html",
        "render": "html",
        "skin": "ressources",
        "site": RESSOURCES,
        "title_tag": "Un ancien hôtel-Dieu devient résidence intergénérationnelle — Villes en mouvement",
        "meta": [("property", "og:type", "article")],
        "crumbs": ["Accueil", "Retours d'expérience", "Habitat", "Hôtel-Dieu de Dieppe"],
        "h1": "Un ancien hôtel-Dieu devient résidence intergénérationnelle",
        "dateline": "Publié le 6 décembre 2022",
        "tags": ["habitat", "seniors", "reconversion", "Seine-Maritime"],
        "box_title": "En bref",
        "box": [
            ("Commune", "Dieppe"),
            ("EPCI", "Dieppe-Maritime"),
            ("Axe", "Axe 1 – Habitat"),
            ("Coût", "11,4 M€ TTC"),
            ("Calendrier", "2019-2023"),
            ("Maître d'ouvrage", "Habitat 76 (bailleur social)"),
        ],
        "body": P(
            "Désaffecté depuis le départ des services hospitaliers en 2012, l'ancien hôtel-Dieu de la rue"
            " Saint-Jacques occupait un îlot entier en plein centre de Dieppe. Sa reconversion a été inscrite"
            " dès la première convention du programme comme une opération majeure.",
            "Le bailleur a créé 64 logements : 36 pour des personnes âgées autonomes, 20 pour des familles et"
            " 8 pour des jeunes en formation. Une salle commune, une laverie et un jardin clos dans l'ancienne"
            " cour d'honneur favorisent l'entraide. Une animatrice, présente trois jours par semaine, organise"
            " les repas partagés et l'aide aux démarches en ligne.",
            "La chapelle, restaurée, accueille une antenne du centre communal d'action sociale. Les façades"
            " sur rue ont été conservées ; l'intérieur a été entièrement repris pour atteindre un niveau de"
            " performance énergétique proche du neuf.",
            "Bilan : tous les logements étaient loués trois mois après la livraison, et 70 % des locataires"
            " âgés venaient de maisons devenues trop grandes dans l'agglomération.",
        ),
        "related": ["Lisieux : des appartements seniors au-dessus de la poste", "Fécamp : les halles centrales"],
        "label": L(
            "bonne_pratique", [1], "Dieppe", ["Dieppe"], ["Lisieux", "Fécamp"], "2022-12-06",
            "Un ancien hôtel-Dieu devient résidence intergénérationnelle", True,
        ),
    }
)

DOCS = BP + CP_DOCS + OTHER_DOCS

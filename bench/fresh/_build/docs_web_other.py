"""Other pages: agenda, job offer, town news, glossary, procurement notice, a plain-text notice."""

from __future__ import annotations

from common import L, P

DOCS: list[dict] = []

# AU1 — Rodez agenda, no page date -----------------------------------------------------------------------------------------
DOCS.append(
    {
        "file": "rodez-agenda-sorties-novembre.html",
        "render": "html",
        "skin": "moderne",
        "site": {
            "name": "Rodez",
            "related_title": "Autres rendez-vous",
            "address": "Mairie de Rodez — place Eugène-Raynaldy — 12000 Rodez",
        },
        "badge": "Agenda",
        "title_tag": "Agenda : que faire à Rodez en novembre ? — Ville de Rodez",
        "crumbs": ["Accueil", "Sortir", "Agenda", "Novembre"],
        "h1": "Que faire à Rodez en novembre ?",
        "dateline": "Sorties, concerts, expositions : la sélection du mois",
        "body": P(
            "<h2>Expositions</h2>",
            "<strong>Musée Soulages</strong> — « Les outrenoirs en dialogue », jusqu'au 8 janvier. Visites"
            " commentées le dimanche à 15 heures, 5 euros en plus du billet d'entrée.",
            "<strong>Musée Fenaille</strong> — Les statues-menhirs racontées aux enfants : atelier de modelage"
            " les mercredis 9 et 23 novembre à 14 h 30, sur inscription.",
            "<h2>Concerts et spectacles</h2>",
            "<strong>Samedi 12 novembre, 20 h 30, La Baleine</strong> — Orchestre de chambre de Toulouse,"
            " programme Mozart et Haydn. Tarif plein 22 euros.",
            "<strong>Vendredi 18 novembre, 21 heures, MJC</strong> — Soirée rock avec trois groupes aveyronnais.",
            "<h2>Marchés et fêtes</h2>",
            "<strong>Dimanche 27 novembre</strong> — Foire aux santons et aux jouets anciens, salle des fêtes, de"
            " 9 heures à 18 heures. Entrée libre.",
            "Le marché de Noël ouvrira le 2 décembre sur la place de la Cité, avec une patinoire synthétique.",
        ),
        "cards": [("Sport", "Stade Raymond-Lagarde : les matches du mois"), ("Millau", "Le festival des templiers")],
        "label": L("autre", [], "Rodez", ["Rodez"], ["Millau"], None, "Que faire à Rodez en novembre ?"),
    }
)

# AU2 — Saint-Lô Agglo job offer (about the programme, no axis) -------------------------------------------------------
DOCS.append(
    {
        "file": "offre-emploi-chef-de-projet-coeur-de-ville-saint-lo.html",
        "render": "html",
        "skin": "agglo",
        "site": {
            "name": "Saint-Lô Agglo",
            "top": ["Services", "Économie", "Tourisme", "Environnement", "Recrutement"],
            "side_title": "Recrutement",
            "side": ["Offres d'emploi", "Stages et apprentissage", "Candidature spontanée"],
            "address": "Saint-Lô Agglo — 101 rue Alexis-de-Tocqueville — 50000 Saint-Lô",
        },
        "title_tag": "Offre d'emploi : chef de projet Action cœur de ville (H/F) — Saint-Lô Agglo",
        "crumbs": ["Accueil", "Recrutement", "Offres d'emploi", "Chef de projet Action cœur de ville"],
        "h1": "Chef de projet Action cœur de ville (H/F)",
        "dateline": "Date de publication : 11/01/2024 — Date limite de candidature : 15/02/2024",
        "body": P(
            "<h2>Le poste</h2>",
            "Rattaché(e) à la direction de l'aménagement, commune à la Ville de Saint-Lô et à l'agglomération,"
            " vous pilotez la mise en œuvre de la convention Action cœur de ville et de l'opération de"
            " revitalisation de territoire.",
            "<h2>Missions</h2>",
            "<ul><li>coordonner les maîtres d'ouvrage et suivre l'avancement des fiches-actions ;</li><li>préparer"
            " les comités de projet et les revues annuelles avec les partenaires financeurs ;</li><li>monter les"
            " dossiers de subvention et suivre les crédits ;</li><li>organiser la concertation avec les habitants"
            " et les commerçants.</li></ul>",
            "<h2>Profil</h2>",
            "Formation supérieure en urbanisme, aménagement ou développement local ; expérience de la conduite"
            " de projet en collectivité appréciée. Permis B exigé.",
            "<h2>Conditions</h2>",
            "Poste de catégorie A (attaché ou ingénieur territorial), à temps complet, basé à Saint-Lô."
            " Rémunération statutaire, régime indemnitaire, titres-restaurant, télétravail un jour par semaine.",
            "Candidature (lettre et CV) à adresser au président de Saint-Lô Agglo avant le 15 février 2024.",
        ),
        "related": ["Technicien(ne) voirie (H/F)", "Coordinateur(trice) du conseil local de santé mentale"],
        "label": L("autre", [], "Saint-Lô", ["Saint-Lô"], [], "2024-01-11", "Chef de projet Action cœur de ville (H/F)"),
    }
)

# AU4 — Bressuire: town news unrelated to the programme ---------------------------------------------------------------
DOCS.append(
    {
        "file": "bressuire-maisons-fleuries-palmares.html",
        "render": "html",
        "skin": "mairie",
        "site": {
            "name": "ville-bressuire.fr",
            "header": "Bressuire",
            "related_title": "Actualités",
            "address": "Hôtel de ville — 14 place Notre-Dame — 79300 Bressuire",
        },
        "title_tag": "Concours des maisons fleuries : le palmarès 2022 | Bressuire",
        "crumbs": ["Accueil", "Actualités", "Concours des maisons fleuries"],
        "h1": "Concours des maisons fleuries : le palmarès 2022",
        "dateline": "Publié le 3 octobre 2022",
        "body": P(
            "Le jury du concours des maisons et balcons fleuris a visité 64 jardins et façades cet été. La remise"
            " des prix a eu lieu vendredi soir à la salle Émeraude, en présence des élus et des jardiniers"
            " municipaux.",
            "<h2>Palmarès</h2>",
            "<ul><li>Catégorie maison avec jardin visible de la rue : premier prix à un couple de la rue de la"
            " Chaignaie pour son massif de vivaces ;</li><li>catégorie balcon : premier prix à une habitante de"
            " la résidence du Puy-Jourdain ;</li><li>catégorie commerce fleuri : la boulangerie de la place"
            " Saint-Jean.</li></ul>",
            "Chaque lauréat reçoit un bon d'achat chez un horticulteur de la commune. Le jury a salué le choix de"
            " plantes résistantes à la sécheresse, après un été particulièrement sec.",
            "Les inscriptions pour l'édition 2023 ouvriront en avril à l'accueil de la mairie.",
        ),
        "related": ["Collecte des sapins de Noël", "Inscriptions sur les listes électorales"],
        "label": L("autre", [], "Bressuire", ["Bressuire"], [], "2022-10-03", "Concours des maisons fleuries : le palmarès 2022"),
    }
)

# AU5 — Glossary (Markdown, front matter), generic, published by an intercommunal housing desk ---------------------
DOCS.append(
    {
        "file": "lexique-habitat-ancien.md",
        "render": "md",
        "text": """
---
title: Lexique de l'habitat ancien
source: Maison de l'habitat du Grand Dole
updated: 2023-03-01
---

# Lexique de l'habitat ancien

Les mots que vous entendrez lors de votre projet de rénovation. Document fictif, illustratif, rédigé par la
Maison de l'habitat.

**Anah** — Agence nationale de l'habitat. Elle subventionne les travaux des propriétaires occupants aux revenus
modestes et des propriétaires bailleurs qui s'engagent à louer à un loyer maîtrisé.

**Bail à réhabilitation** — Contrat par lequel un propriétaire confie son logement à un organisme qui le rénove
et le loue pendant au moins douze ans, avant de le lui rendre.

**Copropriété dégradée** — Immeuble en copropriété dont l'état du bâti et la gestion menacent la sécurité ou
la santé des occupants.

**Déficit foncier** — Part des dépenses de travaux d'un logement loué qui dépasse les loyers perçus ; elle
s'impute sur le revenu global dans une certaine limite.

**OPAH-RU** — Opération programmée d'amélioration de l'habitat de renouvellement urbain : pendant cinq ans, un
opérateur conseille gratuitement les propriétaires d'un quartier ancien et des aides majorées sont disponibles.

**ORI** — Opération de restauration immobilière : la collectivité impose des travaux sur des immeubles
désignés, déclarés d'utilité publique.

**Permis de louer** — Autorisation préalable à la mise en location, exigée dans certaines rues pour vérifier que
le logement est décent.

**Vacance structurelle** — Logement inoccupé depuis plus de deux ans, souvent parce qu'il est devenu
inadapté ou trop coûteux à rénover.

Maison de l'habitat — 12 rue des Arènes — 39100 Dole — du mardi au vendredi, de 9 heures à 12 heures.
""",
        "label": L("autre", [1], None, [], ["Dole"], "2023-03-01", "Lexique de l'habitat ancien"),
    }
)

# AU6 — Procurement notice for an OPAH-RU study (Château-Thierry) -------------------------------------------------------
DOCS.append(
    {
        "file": "avis-marche-etude-opah-ru-chateau-thierry.html",
        "render": "html",
        "skin": "marches",
        "site": {
            "name": "Marchés publics de l'Aisne — plateforme de dématérialisation",
            "address": "Plateforme mutualisée des acheteurs publics de l'Aisne",
        },
        "title_tag": "Avis d'appel public à la concurrence - Étude pré-opérationnelle OPAH-RU - Château-Thierry",
        "crumbs": ["Accueil", "Annonces", "Services", "Référence 2021-CT-014"],
        "h1": "Étude pré-opérationnelle d'OPAH-RU du centre-ville de Château-Thierry",
        "dateline": "Référence : 2021-CT-014 — Date d'envoi de l'avis : 15/06/2021",
        "body": P(
            "<h2>Section 1 : Acheteur</h2>",
            "Ville de Château-Thierry, 16 place de l'Hôtel-de-Ville, 02400 Château-Thierry. Type d'acheteur :"
            " collectivité territoriale.",
            "<h2>Section 2 : Objet</h2>",
            "Étude pré-opérationnelle préalable à la mise en place d'une opération programmée d'amélioration de"
            " l'habitat de renouvellement urbain (OPAH-RU) sur le centre ancien, dans le cadre de la convention"
            " Action cœur de ville. L'étude comprend le diagnostic du parc privé (environ 1 800 logements), le"
            " repérage des immeubles dégradés, la définition du périmètre, des objectifs et du budget de"
            " l'opération.",
            "<h2>Section 3 : Procédure</h2>",
            "Procédure adaptée ouverte. Critères d'attribution : valeur technique 60 %, prix 40 %. Durée du"
            " marché : 10 mois.",
            "<h2>Section 4 : Renseignements</h2>",
            "Date limite de réception des offres : 16 juillet 2021 à 12 heures. Les dossiers de consultation"
            " sont téléchargeables gratuitement sur la plateforme.",
        ),
        "label": L(
            "autre", [1], "Château-Thierry", ["Château-Thierry"], [], "2021-06-15",
            "Étude pré-opérationnelle d'OPAH-RU du centre-ville de Château-Thierry",
        ),
    }
)

# AU7 — Plain text notice (Millau): closure of municipal services ------------------------------------------------------
DOCS.append(
    {
        "file": "millau-fermeture-services-ascension.txt",
        "render": "txt",
        "text": """
VILLE DE MILLAU
Information aux usagers

Fermeture exceptionnelle des services municipaux - pont de l'Ascension

Les services municipaux de Millau (accueil de l'hôtel de ville, état civil, urbanisme, régie des eaux) seront
fermés le vendredi 19 mai 2023, lendemain du jeudi de l'Ascension.

Restent ouverts :
- la médiathèque, aux horaires habituels du vendredi (10 h - 18 h) ;
- la piscine municipale, de 12 h à 19 h ;
- le cimetière, de 8 h à 18 h.

En cas d'urgence (décès, problème sur le réseau d'eau), un agent d'astreinte est joignable au 05 65 00 00 00.

La collecte des ordures ménagères est maintenue le jeudi 18 mai et le vendredi 19 mai.

Millau, le 9 mai 2023
Le service communication

(Document fictif, illustratif.)
""",
        "label": L("autre", [], "Millau", ["Millau"], [], "2023-05-09", "Fermeture exceptionnelle des services municipaux - pont de l'Ascension"),
    }
)

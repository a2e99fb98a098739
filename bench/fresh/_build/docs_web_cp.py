"""Press releases published as web pages (prefectures, towns, national operators)."""

from __future__ import annotations

from common import L, P

PREF_ALLIER = {
    "name": "Préfet de l'Allier",
    "domain": "allier.gouv.fr",
    "address": "Préfecture de l'Allier — 2 rue Michel-de-l'Hospital — 03000 Moulins",
}
PREF_HM = {
    "name": "Préfet de la Haute-Marne",
    "domain": "haute-marne.gouv.fr",
    "address": "Préfecture de la Haute-Marne — 89 rue Victoire-de-la-Marne — 52000 Chaumont",
}
BDT = {
    "name": "Banque des Territoires",
    "baseline": "Groupe Caisse des Dépôts",
    "about": "La Banque des Territoires est l'une des cinq métiers de la Caisse des Dépôts. Elle accompagne les"
    " collectivités, les bailleurs sociaux et les entreprises publiques locales dans leurs projets de territoire.",
    "contact": "Service de presse — presse@banquedesterritoires.example — 01 58 50 00 00",
    "address": "Banque des Territoires — 72 avenue Pierre-Mendès-France — 75013 Paris",
}

DOCS: list[dict] = []

# CP1 — Préfecture de l'Allier: three towns, no main town ---------------------------------------------------------
DOCS.append(
    {
        "file": "cp-prefecture-allier-dsil-coeurs-de-ville-2022.html",
        "render": "html",
        "skin": "prefecture",
        "site": PREF_ALLIER,
        "title_tag": "1,8 million d'euros pour les cœurs de ville de l'Allier / Communiqués de presse / Publications / Accueil - Les services de l'État dans l'Allier",
        "crumbs": ["Accueil", "Publications", "Communiqués de presse", "2022", "Cœurs de ville de l'Allier"],
        "h1": "Action cœur de ville : 1,8 million d'euros de l'État pour Moulins, Montluçon et Vichy",
        "dateline": "Mis à jour le 14/04/2022",
        "body": P(
            "<p><strong>Moulins, le 14 avril 2022</strong></p>",
            "Le préfet de l'Allier a signé les arrêtés attribuant 1,8 million d'euros de dotation de soutien à"
            " l'investissement local (DSIL) à trois opérations inscrites dans les conventions Action cœur de"
            " ville du département.",
            "<ul><li><strong>Moulins</strong> : 720 000 euros pour la rénovation du marché couvert et la création"
            " de huit cellules pour des commerçants de bouche ;</li><li><strong>Montluçon</strong> : 650 000 euros"
            " pour la passerelle piétonne et cyclable sur le Cher reliant la gare au quartier de la"
            " Ville-Gozet ;</li><li><strong>Vichy</strong> : 430 000 euros pour la restauration des façades des"
            " galeries commerçantes de la rue Sornin.</li></ul>",
            "« Ces trois projets ont un point commun : ils ramènent du monde dans les centres-villes, qu'on y"
            " vienne pour faire son marché, pour traverser la rivière à pied ou pour flâner sous les"
            " galeries », a déclaré le préfet lors de la signature.",
            "Depuis 2018, l'État a engagé dans l'Allier plus de 14 millions d'euros au titre du programme, aux"
            " côtés de la Banque des Territoires, d'Action Logement et de l'Anah.",
            "<p>Contact presse : bureau de la communication interministérielle — 04 70 00 00 00</p>",
        ),
        "related": ["Comité de pilotage départemental des Petites villes de demain", "Fonds vert : appel à projets 2022"],
        "label": L(
            "communique", [2, 3, 4], None, ["Moulins", "Montluçon", "Vichy"], [], "2022-04-14",
            "Action cœur de ville : 1,8 million d'euros de l'État pour Moulins, Montluçon et Vichy",
        ),
    }
)

# CP2 — Ville de Vierzon: avenant signature (matches the avenant PDF) ---------------------------------------------
DOCS.append(
    {
        "file": "vierzon-signature-avenant-2023-2026.html",
        "render": "html",
        "skin": "mairie",
        "site": {
            "name": "ville-vierzon.fr",
            "header": "VIERZON",
            "related_title": "Autres communiqués",
            "address": "Hôtel de ville — place de l'Hôtel-de-Ville — 18100 Vierzon",
        },
        "title_tag": "Communiqué : signature de l'avenant Action cœur de ville 2023-2026 | Vierzon",
        "meta": [("name", "keywords", "communiqué de presse, Action cœur de ville, avenant, ORT")],
        "crumbs": ["Accueil", "Ma mairie", "Salle de presse", "Avenant Action cœur de ville"],
        "h1": "Signature de l'avenant Action cœur de ville 2023-2026",
        "dateline": "Communiqué de presse — 17/02/2023",
        "body": P(
            "Le maire de Vierzon, le président de la communauté de communes Vierzon-Sologne-Berry et le préfet"
            " du Cher ont signé ce vendredi, à l'hôtel de ville, l'avenant qui prolonge jusqu'en 2026 la"
            " convention Action cœur de ville, en présence des représentants de la Banque des Territoires,"
            " d'Action Logement et de l'Anah.",
            "Cet avenant ouvre une seconde phase centrée sur trois priorités : la reconversion du site des"
            " anciennes usines Case en quartier mixte de logements et d'ateliers, la poursuite de l'opération"
            " de restauration immobilière de l'avenue de la République, et la reconquête des rez-de-chaussée"
            " commerciaux de la rue Joffre.",
            "Le montant prévisionnel des actions inscrites s'élève à 23,6 millions d'euros sur quatre ans,"
            " dont 4,1 millions apportés par les partenaires du programme.",
            "<blockquote>« La première phase a permis de remettre sur le marché 140 logements. La seconde doit"
            " faire revenir des habitants et des artisans sur les bords du canal », a souligné le maire.</blockquote>",
            "<p>Contact presse : cabinet du maire — 02 48 00 00 00</p>",
        ),
        "related": ["Le marché de Noël s'installe place Foch", "Romorantin-Lanthenay et Vierzon : une journée des centres-villes"],
        "label": L(
            "communique", [1, 2], "Vierzon", ["Vierzon"], ["Romorantin-Lanthenay"], "2023-02-17",
            "Signature de l'avenant Action cœur de ville 2023-2026 à Vierzon",
        ),
    }
)

# CP3 — Banque des Territoires, « St-Quentin » ------------------------------------------------------------------------
DOCS.append(
    {
        "file": "bdt-st-quentin-ancienne-poste-pole-entreprises.html",
        "render": "html",
        "skin": "presse",
        "site": BDT,
        "title_tag": "St-Quentin : l'ancienne poste transformée en pôle d'entreprises | Banque des Territoires",
        "meta": [("property", "og:type", "article"), ("name", "keywords", "Aisne, Hauts-de-France, immobilier d'entreprise")],
        "crumbs": ["Accueil", "Espace presse", "Communiqués de presse"],
        "h1": "St-Quentin : la Banque des Territoires investit 3,2 M€ pour transformer l'ancienne poste en pôle d'entreprises",
        "dateline": "Communiqué de presse | Publié le 22 novembre 2022",
        "lead": "Aux côtés de la Ville et de l'agglomération du Saint-Quentinois, la Banque des Territoires entre au"
        " capital de la société qui portera la reconversion de l'hôtel des postes de la rue de la Sellerie.",
        "body": P(
            "Vide depuis 2017, l'hôtel des postes de St-Quentin, bâtiment Art déco de 4 600 m², accueillera en"
            " 2025 un pôle d'entreprises : bureaux à louer au mois pour les jeunes sociétés, un espace de travail"
            " partagé de 80 postes, deux salles de formation et un restaurant ouvert sur la rue.",
            "La Banque des Territoires apporte 3,2 millions d'euros en fonds propres à la société de projet, aux"
            " côtés d'un groupement d'investisseurs régionaux. Le coût total de l'opération s'élève à"
            " 11 millions d'euros.",
            "Le projet s'inscrit dans la convention Action cœur de ville de Saint-Quentin, dont l'un des"
            " objectifs est de ramener des emplois tertiaires dans le centre, où 38 % des surfaces de bureaux"
            " étaient inoccupées en 2021.",
            "« Réinvestir un bâtiment emblématique plutôt que construire en périphérie, c'est exactement ce que"
            " le programme doit permettre », indique la directrice régionale Hauts-de-France de la Banque des"
            " Territoires.",
        ),
        "related": ["Calais : un prêt de 6 M€ pour la rénovation de l'hôtel de ville", "Soissons : la foncière commerciale est créée"],
        "label": L(
            "communique", [2], "Saint-Quentin", ["Saint-Quentin"], ["Calais", "Soissons"], "2022-11-22",
            "La Banque des Territoires investit 3,2 M€ pour transformer l'ancienne poste de Saint-Quentin en pôle d'entreprises",
        ),
    }
)

# CP4 — ANCT national event: no main town, examples only mentioned --------------------------------------------------
DOCS.append(
    {
        "file": "anct-rencontre-nationale-coeur-de-ville-2023.html",
        "render": "html",
        "skin": "presse",
        "site": {
            "name": "Agence nationale de la cohésion des territoires",
            "baseline": "Agir ensemble pour les territoires",
            "about": "L'ANCT accompagne les collectivités dans leurs projets de territoire et pilote les programmes"
            " nationaux Action cœur de ville, Petites villes de demain et Territoires d'industrie.",
            "contact": "Pôle presse de l'ANCT — presse@anct.example",
            "address": "ANCT — 20 avenue de Ségur — 75007 Paris",
        },
        "title_tag": "Communiqué — 7e rencontre nationale Action cœur de ville",
        "crumbs": ["Accueil", "Presse", "Communiqués"],
        "h1": "Plus de 600 élus et chefs de projet réunis pour la 7e rencontre nationale Action cœur de ville",
        "dateline": "Paris, le 5 octobre 2023",
        "body": P(
            "La 7e rencontre nationale du programme Action cœur de ville s'est tenue le 4 octobre à Paris, en"
            " présence du ministre chargé de la ville et du logement. Élus, chefs de projet et partenaires ont"
            " échangé sur la seconde phase du programme, engagée jusqu'en 2026.",
            "Trois tables rondes ont rythmé la journée : la sobriété foncière et le recyclage des friches en"
            " centre-ville, l'adaptation des espaces publics aux fortes chaleurs, et le rôle des quartiers de"
            " gare dans les mobilités du quotidien.",
            "Plusieurs villes ont présenté leurs réalisations, parmi lesquelles Albi, Sète et Carcassonne pour"
            " l'Occitanie, ou encore Brive-la-Gaillarde pour la réouverture de son cinéma de centre-ville.",
            "Un palmarès des « Trophées cœur de ville » a été remis en clôture ; les dossiers des lauréats"
            " seront publiés sur le centre de ressources du programme.",
        ),
        "related": ["Petites villes de demain : 1 600 communes accompagnées", "Territoires d'industrie : appel à manifestation d'intérêt"],
        "label": L(
            "communique", [], None, [], ["Albi", "Sète", "Carcassonne", "Brive-la-Gaillarde"], "2023-10-05",
            "Plus de 600 élus réunis pour la 7e rencontre nationale Action cœur de ville",
        ),
    }
)

# CP5 — Montélimar: inauguration, published and updated dates --------------------------------------------------------
DOCS.append(
    {
        "file": "montelimar-inauguration-place-du-temple.html",
        "render": "html",
        "skin": "moderne",
        "site": {"name": "Montélimar", "address": "Mairie de Montélimar — place Émile-Loubet — 26200 Montélimar"},
        "badge": "Communiqué de presse",
        "title_tag": "Inauguration de la place du Temple rénovée — Montélimar",
        "crumbs": ["Accueil", "Presse", "Communiqués", "Place du Temple"],
        "h1": "La place du Temple rénovée inaugurée samedi",
        "dateline": "Publié le 2 juillet 2021 · Mis à jour le 5 juillet 2021",
        "body": P(
            "Après dix mois de travaux, la place du Temple a été inaugurée samedi 3 juillet par le maire de"
            " Montélimar et le président de Montélimar Agglomération, en présence du sous-préfet de Nyons.",
            "Autrefois parking de 45 places, la place est désormais piétonne. Elle a été entièrement repavée en"
            " pierre calcaire, plantée de douze platanes et équipée d'une fontaine à jets au sol qui rafraîchit"
            " les enfants l'été. Les façades du temple protestant ont été nettoyées et mises en lumière.",
            "Le chantier, d'un montant de 2,3 millions d'euros, a été financé par la Ville avec le soutien de"
            " l'État, de la Région Auvergne-Rhône-Alpes et du Département de la Drôme, dans le cadre du"
            " programme Action cœur de ville.",
            "Trois terrasses de cafés et un glacier se sont déjà installés sur la place. La suite du programme"
            " concerne la rue Pierre-Julien, dont la requalification commencera en janvier.",
        ),
        "cards": [("Travaux", "Allées provençales : circulation modifiée"), ("Agenda", "Fête du nougat : le programme")],
        "label": L(
            "communique", [4], "Montélimar", ["Montélimar"], [], "2021-07-02",
            "La place du Temple rénovée inaugurée à Montélimar",
        ),
    }
)

# CP7 — Morlaix: France services ------------------------------------------------------------------------------------------
DOCS.append(
    {
        "file": "morlaix-ouverture-france-services-place-des-otages.html",
        "render": "html",
        "skin": "metropole",
        "site": {
            "name": "Ville de Morlaix",
            "rubrique": "Communiqué de presse",
            "related_title": "Actualités récentes",
            "contact": "Service communication — 02 98 00 00 00",
            "address": "Hôtel de ville — place des Otages — 29600 Morlaix",
        },
        "title_tag": "Ouverture de l'espace France services place des Otages | Ville de Morlaix",
        "crumbs": ["Accueil", "Actualités", "Presse", "France services"],
        "h1": "Un espace France services ouvre place des Otages",
        "dateline": "14 mars 2022",
        "body": P(
            "Morlaix, 14 mars 2022 — L'espace France services de Morlaix Communauté ouvre ses portes ce lundi"
            " au rez-de-chaussée de l'ancienne Banque de France, place des Otages, au pied du viaduc.",
            "Deux conseillères accueillent le public du lundi au samedi matin pour les démarches de la caisse"
            " d'allocations familiales, de l'assurance maladie, des impôts, de la retraite et de Pôle emploi."
            " Des permanences de l'ADIL, d'un conciliateur de justice et de la mission locale complètent l'offre.",
            "L'aménagement du bâtiment, 540 000 euros, a été inscrit dans la convention Action cœur de ville."
            " L'étage accueillera à l'automne un espace numérique pour les ateliers d'initiation.",
            "« Un service public en plein centre, accessible à pied depuis la gare et le port, c'était une"
            " demande forte des habitants », rappelle la maire.",
        ),
        "related": ["Lannion : le quartier de la gare se transforme", "Les permanences du conseiller numérique"],
        "label": L(
            "communique", [5], "Morlaix", ["Morlaix"], ["Lannion"], "2022-03-14",
            "Un espace France services ouvre place des Otages à Morlaix",
        ),
    }
)

# CP8 — Action Logement, town named in capitals only (title and dateline) -------------------------------------------
DOCS.append(
    {
        "file": "action-logement-38-logements-centre.html",
        "render": "html",
        "skin": "presse",
        "site": {
            "name": "Action Logement",
            "baseline": "Faciliter le logement pour favoriser l'emploi",
            "about": "Action Logement gère la participation des employeurs à l'effort de construction. Dans le"
            " programme Action cœur de ville, il finance la réhabilitation d'immeubles de centre-ville destinés"
            " aux salariés.",
            "contact": "Direction de la communication — presse@actionlogement.example",
            "address": "Action Logement Groupe — 19-21 quai d'Austerlitz — 75013 Paris",
        },
        "title_tag": "SAINT-DIZIER : 38 LOGEMENTS RÉHABILITÉS POUR LES SALARIÉS - Action Logement",
        "crumbs": ["Accueil", "Actualités", "Communiqués de presse"],
        "h1": "SAINT-DIZIER : 38 LOGEMENTS RÉHABILITÉS EN CŒUR DE VILLE POUR LES SALARIÉS",
        "dateline": "SAINT-DIZIER, le 3 mai 2023",
        "body": P(
            "Action Logement a inauguré aujourd'hui trois immeubles entièrement réhabilités de la rue Gambetta"
            " et de la place de l'Hôtel-de-Ville, qui proposent 38 logements à des salariés des entreprises du"
            " bassin d'emploi.",
            "L'opération, d'un coût total de 6,1 millions d'euros, a bénéficié d'un financement d'Action Logement"
            " de 3,4 millions d'euros en prêts et subventions au titre du programme Action cœur de ville. Les"
            " immeubles, vacants depuis plus de dix ans, appartenaient à un même propriétaire qui les a cédés"
            " à la filiale immobilière du groupe.",
            "Les logements, du studio au quatre pièces, sont loués à des niveaux de loyers intermédiaires."
            " Vingt-deux sont déjà attribués à des salariés de l'industrie métallurgique et de l'hôpital.",
            "Le maire a salué « une opération qui prouve qu'on peut faire revenir des actifs dans la ville"
            " ancienne, à deux pas de la gare et des commerces ».",
        ),
        "related": ["Verdun : la caserne Miribel reconvertie", "Bar-le-Duc : 24 logements rue de la Rochelle"],
        "label": L(
            "communique", [1], "Saint-Dizier", ["Saint-Dizier"], ["Verdun", "Bar-le-Duc"], "2023-05-03",
            "Saint-Dizier : 38 logements réhabilités en cœur de ville pour les salariés",
        ),
    }
)

# CP9 — Albi: « zone de rencontre » ------------------------------------------------------------------------------------------
DOCS.append(
    {
        "file": "albi-rue-croix-verte-zone-de-rencontre.html",
        "render": "html",
        "skin": "mairie",
        "site": {
            "name": "mairie-albi.fr",
            "header": "Albi, ville d'art et d'histoire",
            "related_title": "Dans la même rubrique",
            "address": "Mairie d'Albi — 16 rue de l'Hôtel-de-Ville — 81000 Albi",
        },
        "title_tag": "La rue Croix-Verte passe en zone de rencontre - Ville d'Albi",
        "crumbs": ["Accueil", "Actualités", "Communiqués de presse", "Rue Croix-Verte"],
        "h1": "Communiqué de presse : la rue Croix-Verte passe en zone de rencontre",
        "dateline": "Albi, le 19 septembre 2022",
        "body": P(
            "À partir du lundi 3 octobre, la rue Croix-Verte et ses abords deviennent une zone de rencontre :"
            " les piétons y sont prioritaires sur la chaussée, la vitesse des véhicules est limitée à 20 km/h"
            " et les cyclistes peuvent circuler dans les deux sens.",
            "Cet aménagement, inscrit au programme Action cœur de ville, prolonge l'axe piéton qui relie la"
            " gare au centre historique. Les trottoirs ont été supprimés au profit d'une chaussée à niveau, et"
            " trente arceaux à vélos ont été posés.",
            "Les livraisons restent autorisées de 6 heures à 11 heures. Les riverains conservent l'accès à leur"
            " garage. Une réunion d'information se tiendra le 28 septembre à 18 h 30, salle Saint-Salvi.",
            "Coût des travaux : 870 000 euros, avec le soutien de la communauté d'agglomération de l'Albigeois.",
        ),
        "related": ["Castres : le plan vélo du centre-ville", "Collecte des encombrants : nouveau calendrier"],
        "label": L(
            "communique", [3], "Albi", ["Albi"], ["Castres"], "2022-09-19",
            "La rue Croix-Verte passe en zone de rencontre à Albi",
        ),
    }
)

# CP11 — Sète: pôle d'échanges --------------------------------------------------------------------------------------------
DOCS.append(
    {
        "file": "sete-pole-echanges-multimodal-gare.html",
        "render": "html",
        "skin": "moderne",
        "site": {
            "name": "Ville de Sète",
            "related_title": "Toute l'actualité",
            "address": "Hôtel de ville — 20 rue Paul-Valéry — 34200 Sète",
        },
        "badge": "Presse",
        "title_tag": "Actualités · Sète — Le pôle d'échanges de la gare est mis en service",
        "meta": [("name", "description", "Bus, trains, vélos et navettes fluviales réunis devant la gare.")],
        "crumbs": ["Accueil", "Presse", "Pôle d'échanges"],
        "h1": "Le pôle d'échanges multimodal de la gare est mis en service",
        "dateline": "8 juin 2023",
        "body": P(
            "Sète, le 8 juin 2023. Le nouveau pôle d'échanges multimodal de la gare est ouvert au public. Les"
            " bus urbains et interurbains, les vélos en libre-service et la navette fluviale qui dessert le"
            " centre par les canaux partagent désormais un même parvis, rénové et ombragé.",
            "Le parvis de 6 000 m² a été libéré des voitures ; un parking silo de 350 places a été construit à"
            " l'arrière de la gare. Une vélostation gardée de 200 places et un abri pour les cars ferment la"
            " place côté quai.",
            "Le chantier a coûté 18 millions d'euros, partagés entre l'État, la Région, SNCF Gares & Connexions,"
            " Sète Agglopôle Méditerranée et la Ville. Il constitue l'une des actions phares de la convention"
            " Action cœur de ville.",
            "La navette fluviale circulera toutes les vingt minutes en été, du pont de la Civette au"
            " quai de la Consigne.",
        ),
        "cards": [("Culture", "Fête de la Saint-Louis : les joutes"), ("Frontignan", "Le port de plaisance s'agrandit")],
        "label": L(
            "communique", [3], "Sète", ["Sète"], ["Frontignan"], "2023-06-08",
            "Le pôle d'échanges multimodal de la gare de Sète est mis en service",
        ),
    }
)

# CP12 — Préfecture de la Haute-Marne: Chaumont steering committee -------------------------------------------------
DOCS.append(
    {
        "file": "prefecture-haute-marne-comite-projet-chaumont.html",
        "render": "html",
        "skin": "prefecture",
        "site": PREF_HM,
        "title_tag": "Comité de projet Action cœur de ville de Chaumont - Les services de l'État en Haute-Marne",
        "crumbs": ["Accueil", "Actualités", "Communiqués de presse", "Comité de projet de Chaumont"],
        "h1": "Comité de projet Action cœur de ville de Chaumont : un bilan d'étape",
        "dateline": "Publié le 30/11/2021",
        "body": P(
            "Le comité de projet Action cœur de ville de Chaumont s'est réuni le 29 novembre en préfecture, sous"
            " la coprésidence du préfet de la Haute-Marne et du maire de Chaumont.",
            "Trois ans après la signature de la convention, 31 des 42 actions prévues sont engagées. Parmi les"
            " réalisations marquantes : la restauration de 86 logements dans le cadre de l'opération programmée"
            " d'amélioration de l'habitat, l'ouverture d'une maison de santé pluriprofessionnelle rue Victoire-"
            "de-la-Marne et la rénovation de la médiathèque des Silos.",
            "Le comité a validé deux nouvelles actions : l'acquisition par l'établissement public foncier de"
            " l'ancien hôtel de France pour y créer des logements, et une étude sur le devenir de l'îlot de la"
            " caserne Damrémont.",
            "Le préfet a rappelé que le programme se poursuivra jusqu'en 2026 et invité la Ville à préparer son"
            " avenant.",
        ),
        "related": ["Saint-Dizier : signature de la convention ORT", "DETR 2022 : les dossiers à déposer avant le 15 janvier"],
        "label": L(
            "communique", [1, 5], "Chaumont", ["Chaumont"], ["Saint-Dizier"], "2021-11-30",
            "Comité de projet Action cœur de ville de Chaumont : un bilan d'étape",
        ),
    }
)

# CP13 — Pontivy: cinema reopening, town site, no « Communiqué » rubric but a press contact -------------------------
DOCS.append(
    {
        "file": "pontivy-reouverture-cinema-le-rex.html",
        "render": "html",
        "skin": "mairie",
        "site": {
            "name": "pontivy.fr",
            "header": "Pontivy — Mairie",
            "related_title": "Toutes les actualités",
            "address": "Mairie de Pontivy — 7 place d'Armes — 56300 Pontivy",
        },
        "title_tag": "Le cinéma Le Rex rouvre ses portes | Pontivy",
        "crumbs": ["Accueil", "Actualités", "Culture", "Cinéma Le Rex"],
        "h1": "Le cinéma Le Rex rouvre ses portes en centre-ville",
        "dateline": "Publié le : 10 février 2023",
        "body": P(
            "Fermé depuis 2019, le cinéma Le Rex, rue du Général-de-Gaulle, rouvre ce mercredi après deux ans de"
            " travaux. La salle historique de 1936 a été restaurée et deux petites salles de 90 places ont été"
            " créées dans l'ancien garage voisin.",
            "La Ville, propriétaire des murs, a porté les travaux pour 3,4 millions d'euros, avec le soutien du"
            " Centre national du cinéma, de la Région Bretagne et de l'État au titre du programme Action cœur de"
            " ville. L'exploitation est confiée à une association de cinéphiles, qui proposera des séances"
            " scolaires et un ciné-club mensuel.",
            "« Un cinéma en centre-ville, c'est des familles qui dînent au restaurant avant la séance et des"
            " jeunes qui se retrouvent le samedi soir », souligne le maire.",
            "<p><em>Contact presse : service communication, 02 97 00 00 00.</em></p>",
        ),
        "related": ["Travaux quai Niemen : circulation alternée", "Loudéac et Pontivy : le festival des arts de la rue"],
        "label": L(
            "communique", [5], "Pontivy", ["Pontivy"], [], "2023-02-10",
            "Le cinéma Le Rex rouvre ses portes en centre-ville de Pontivy",
        ),
    }
)

# CP15 — Figeac: Banque des Territoires parking study, written by the town ------------------------------------------
DOCS.append(
    {
        "file": "figeac-etude-stationnement-banque-des-territoires.html",
        "render": "html",
        "skin": "plain",
        "site": {
            "name": "Figeac — site officiel de la ville",
            "menu": ["La ville", "Démarches", "Culture et patrimoine", "Cœur de ville", "Presse"],
            "related_title": "Lire aussi",
            "address": "Mairie de Figeac — place Vival — 46100 Figeac",
        },
        "title_tag": "Communiqué de presse - Stationnement : une étude financée par la Banque des Territoires",
        "h1": "Stationnement et mobilités : la Ville et la Banque des Territoires lancent une étude",
        "dateline": "Figeac, le 11 mai 2021 — Communiqué de presse",
        "body": P(
            "La Ville de Figeac et la Banque des Territoires ont signé une convention de financement pour une"
            " étude globale du stationnement et des déplacements dans le centre ancien.",
            "Le cœur médiéval, autour de la place Champollion, souffre d'un stationnement anarchique les jours de"
            " marché et l'été. L'étude, confiée à un bureau spécialisé, analysera l'occupation des 1 900 places"
            " publiques, les besoins des résidents et des commerces, et proposera un plan de circulation avec une"
            " navette depuis le parking du foirail.",
            "Le coût de l'étude, 64 000 euros, est pris en charge à 50 % par la Banque des Territoires au titre"
            " de l'ingénierie du programme Action cœur de ville. Ses conclusions seront présentées aux habitants"
            " à l'automne.",
        ),
        "related": ["Grand-Figeac : la ligne de bus Figeac–Capdenac", "Cahors : le plan vélo"],
        "label": L(
            "communique", [3], "Figeac", ["Figeac"], ["Cahors"], "2021-05-11",
            "Stationnement et mobilités : Figeac et la Banque des Territoires lancent une étude",
        ),
    }
)

# CP16 — Vesoul: vacant housing agreement, site in lowercase branding ---------------------------------------------------
DOCS.append(
    {
        "file": "vesoul-accord-bailleurs-logements-vacants.html",
        "render": "html",
        "skin": "agglo",
        "site": {
            "name": "vesoul.fr",
            "top": ["Ma ville", "Mes démarches", "Sortir", "Projets", "Presse"],
            "side_title": "Espace presse",
            "side": ["Communiqués", "Dossiers de presse", "Photothèque", "Contacts presse"],
            "address": "Hôtel de ville de Vesoul — 58 rue Paul-Morel — 70000 Vesoul",
        },
        "title_tag": "Logements vacants : un accord avec trois bailleurs — vesoul.fr",
        "crumbs": ["Accueil", "Presse", "Communiqués", "Logements vacants"],
        "h1": "Logements vacants : la Ville signe un accord avec trois bailleurs",
        "dateline": "Communiqué du 24 janvier 2022",
        "body": P(
            "La Ville de Vesoul a signé avec trois bailleurs sociaux un accord pour remettre sur le marché, d'ici"
            " 2025, soixante logements vacants du centre-ville.",
            "Les bailleurs achèteront ou prendront à bail des appartements repérés par l'observatoire de la"
            " vacance mis en place par la Ville en 2020. Les travaux seront financés par les aides de l'Anah et"
            " d'Action Logement, complétées par une prime municipale de 5 000 euros par logement remis en"
            " location.",
            "Le centre de Vesoul compte environ 540 logements vacants, dont un tiers depuis plus de cinq ans."
            " La majorité se situe dans les immeubles anciens de la rue Gevrey et de la rue du Breuil.",
            "Cette action figure dans la convention Action cœur de ville signée en 2018 avec l'État et la"
            " communauté d'agglomération de Vesoul.",
        ),
        "related": ["Gray et Vesoul : les lauréats du budget participatif"],
        "label": L(
            "communique", [1], "Vesoul", ["Vesoul"], [], "2022-01-24",
            "Logements vacants : Vesoul signe un accord avec trois bailleurs",
        ),
    }
)

# CP17 — St-Gaudens: works start on the halle, dateline with « St » ---------------------------------------------------
DOCS.append(
    {
        "file": "st-gaudens-debut-travaux-halle-aux-grains.html",
        "render": "html",
        "skin": "metropole",
        "site": {
            "name": "Ville de Saint-Gaudens",
            "rubrique": "Presse",
            "related_title": "À lire aussi",
            "contact": "Cabinet du maire — 05 61 00 00 00",
            "address": "Mairie — place Jean-Jaurès — 31800 Saint-Gaudens",
        },
        "title_tag": "St-Gaudens : les travaux de la halle aux grains débutent",
        "crumbs": ["Accueil", "Presse", "Halle aux grains"],
        "h1": "St-Gaudens : les travaux de la halle aux grains débutent lundi",
        "dateline": "Publié le 14/10/2022",
        "body": P(
            "ST-GAUDENS, 14 octobre 2022 — Le chantier de réhabilitation de la halle aux grains commence lundi 17"
            " octobre. Pendant douze mois, le marché du jeudi s'installera sur les allées Jean-Jaurès.",
            "La halle du XIXe siècle retrouvera sa charpente métallique d'origine, débarrassée des bardages"
            " ajoutés dans les années 1970. Elle accueillera le marché de plein vent, un carreau des"
            " producteurs ouvert le samedi et des soirées festives l'été. Ses piliers de fonte et sa verrière"
            " seront restaurés sous le contrôle de l'architecte des bâtiments de France.",
            "Montant des travaux : 1,9 million d'euros, financés par la Ville, l'État, la Région Occitanie et le"
            " Département de la Haute-Garonne, dans le cadre d'Action cœur de ville.",
            "« La halle doit redevenir le lieu où l'on se retrouve, pas seulement un abri pour les voitures »,"
            " déclare le maire.",
        ),
        "related": ["Pamiers : le marché couvert rénové", "Collecte des déchets : jours fériés"],
        "label": L(
            "communique", [2, 4], "Saint-Gaudens", ["Saint-Gaudens"], ["Pamiers"], "2022-10-14",
            "Saint-Gaudens : les travaux de la halle aux grains débutent",
        ),
    }
)

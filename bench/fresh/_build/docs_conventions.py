"""Conventions-cadres and avenants (text PDFs built with reportlab, one scanned avenant)."""

from __future__ import annotations

from common import L

FICTION = "Document fictif, illustratif : les actions, montants et dates sont inventés."

AXES = {
    1: "Axe 1 — De la réhabilitation à la restructuration : vers une offre attractive de l'habitat en centre-ville",
    2: "Axe 2 — Favoriser un développement économique et commercial équilibré",
    3: "Axe 3 — Développer l'accessibilité, la mobilité et les connexions",
    4: "Axe 4 — Mettre en valeur les formes urbaines, l'espace public et le patrimoine",
    5: "Axe 5 — Fournir l'accès aux équipements et services publics",
}


def fiche(num: str, name: str, axis: int, owner: str, cost: str, when: str, funders: str, text: str) -> tuple:
    rows = [
        ("Axe", AXES[axis]),
        ("Maître d'ouvrage", owner),
        ("Coût prévisionnel", cost),
        ("Calendrier", when),
        ("Financeurs", funders),
    ]
    return ("fiche", (f"Fiche action {num} — {name}", rows, text))


def convention(c: dict) -> list[tuple]:
    """The blocks of a convention: cover, parties, preamble, articles, fiches-actions, signatures."""
    b: list[tuple] = [
        ("small", c["cover_top"]),
        ("space", 40),
        ("ctitle", c["kind_title"]),
        ("center", c["subtitle"]),
        ("space", 20),
        ("center", c["towns_line"]),
        ("space", 120),
        ("center", c["signed_line"]),
        ("space", 30),
        ("small", FICTION),
        ("break", None),
        ("h2", "Entre"),
    ]
    for party in c["parties"]:
        b.append(("p", party))
    b.append(("p", "ci-après désignés « les Parties »."))
    b.append(("h2", "Préambule"))
    for para in c["preamble"]:
        b.append(("p", para))
    for title, paras in c["articles"]:
        b.append(("h2", title))
        for para in paras:
            b.append(("p", para))
    if c.get("fiches"):
        b.append(("break", None))
        b.append(("h2", c.get("fiches_title", "Annexe 1 — Fiches-actions")))
        b.extend(c["fiches"])
    if c.get("table"):
        b.append(("h2", "Annexe 2 — Maquette financière récapitulative"))
        b.append(("fields", c["table"]))
    b.append(("h2", "Signatures"))
    b.append(("p", c["signed_line"]))
    b.append(("signatures", c["signatures"]))
    return b


GENERIC_ARTICLES = {
    "duree": (
        "Article 6 — Durée de la convention",
        [
            "La présente convention entre en vigueur à la date de sa signature par l'ensemble des Parties. Elle"
            " est conclue pour une durée de cinq ans et demi, soit jusqu'au 31 décembre 2023, prorogeable par"
            " avenant.",
        ],
    ),
    "gouvernance": (
        "Article 5 — Gouvernance",
        [
            "Un comité de projet, présidé par le maire et associant le préfet ou son représentant et les"
            " partenaires financeurs, se réunit au moins deux fois par an. Il valide les fiches-actions, suit"
            " leur avancement et propose, le cas échéant, les ajustements nécessaires.",
            "Un chef de projet, placé sous l'autorité du maire, assure la coordination opérationnelle. Il"
            " prépare les comités et tient à jour le tableau de bord des actions.",
        ],
    ),
    "litiges": (
        "Article 8 — Traitement des litiges",
        [
            "Les Parties s'efforcent de régler à l'amiable tout différend relatif à l'interprétation ou à"
            " l'exécution de la présente convention. À défaut, le litige est porté devant le tribunal"
            " administratif territorialement compétent.",
        ],
    ),
}

DOCS: list[dict] = []

# CV1 — Vierzon, avenant 2023-2026 ---------------------------------------------------------------------------------------
VIERZON = {
    "cover_top": "PRÉFET DU CHER — VILLE DE VIERZON — COMMUNAUTÉ DE COMMUNES VIERZON-SOLOGNE-BERRY",
    "kind_title": "AVENANT N° 2 À LA CONVENTION-CADRE PLURIANNUELLE ACTION CŒUR DE VILLE",
    "subtitle": "valant opération de revitalisation de territoire — période 2023-2026",
    "towns_line": "Commune de Vierzon (Cher)",
    "signed_line": "Fait à Vierzon, le 17 février 2023",
    "parties": [
        "La Commune de Vierzon, représentée par son maire ;",
        "La Communauté de communes Vierzon-Sologne-Berry, représentée par son président ;",
        "L'État, représenté par le préfet du Cher ;",
        "La Caisse des Dépôts (Banque des Territoires), Action Logement Services et l'Agence nationale de"
        " l'habitat, représentées par leurs délégués territoriaux ;",
    ],
    "preamble": [
        "La convention-cadre Action cœur de ville de Vierzon a été signée le 28 septembre 2018 et transformée en"
        " opération de revitalisation de territoire par un premier avenant en 2020. La première phase a permis"
        " la réhabilitation de 140 logements, l'ouverture de la médiathèque dans l'ancienne caserne et la"
        " requalification du parvis de la gare.",
        "Le Gouvernement ayant prolongé le programme jusqu'en 2026, le présent avenant fixe les priorités de la"
        " seconde phase : la sobriété foncière par le recyclage des friches industrielles du centre, la"
        " reconquête des rez-de-chaussée commerciaux et l'adaptation des espaces publics au changement"
        " climatique.",
    ],
    "articles": [
        (
            "Article 1 — Objet de l'avenant",
            [
                "Le présent avenant prolonge la convention-cadre jusqu'au 31 décembre 2026, actualise le"
                " périmètre de l'opération de revitalisation de territoire et arrête la liste des"
                " fiches-actions de la seconde phase figurant en annexe 1.",
            ],
        ),
        (
            "Article 2 — Périmètre",
            [
                "Le secteur d'intervention de l'ORT est étendu au site des anciennes usines Case, entre le canal"
                " de Berry et la rue de la Gaucherie, et à l'avenue de la République jusqu'au pont de l'Yèvre.",
            ],
        ),
        (
            "Article 3 — Engagements des partenaires",
            [
                "La Banque des Territoires mobilise des crédits d'ingénierie et des prêts pour les opérations"
                " d'aménagement. Action Logement finance la réhabilitation d'immeubles destinés aux salariés."
                " L'Anah poursuit son soutien à l'opération de restauration immobilière et à la résorption de"
                " l'habitat indigne.",
                "Le montant prévisionnel des actions s'élève à 23,6 millions d'euros, dont 4,1 millions d'euros"
                " apportés par les partenaires du programme.",
            ],
        ),
        (
            "Article 4 — Autres dispositions",
            ["Les autres stipulations de la convention-cadre et de son avenant n° 1 demeurent inchangées."],
        ),
    ],
    "fiches": [
        fiche(
            "2.1", "Reconversion du site des usines Case", 1, "Commune de Vierzon, puis aménageur",
            "12 800 000 € HT", "2023-2026", "Commune, fonds friches, Banque des Territoires",
            "Dépollution, démolition partielle et reconversion des halles industrielles en un quartier mixte"
            " de 90 logements et de 12 ateliers d'artisans, autour d'un mail piéton ouvert sur le canal.",
        ),
        fiche(
            "2.2", "Opération de restauration immobilière de l'avenue de la République", 1, "Commune de Vierzon",
            "3 400 000 € HT", "2023-2026", "Anah, Commune",
            "Déclaration d'utilité publique des travaux sur 22 immeubles dégradés et accompagnement des"
            " propriétaires par un opérateur.",
        ),
        fiche(
            "2.3", "Reconquête des rez-de-chaussée de la rue Joffre", 2, "Société d'économie mixte locale",
            "2 900 000 € HT", "2023-2025", "Banque des Territoires, Commune",
            "Acquisition de 14 cellules commerciales vacantes, rénovation et location à loyer progressif à des"
            " commerces de proximité.",
        ),
        fiche(
            "2.4", "Îlots de fraîcheur sur les quais du canal", 4, "Commune de Vierzon",
            "4 500 000 € HT", "2024-2026", "État (fonds vert), Région Centre-Val de Loire",
            "Désimperméabilisation de 8 000 m² de quais, plantation d'arbres d'alignement et création d'une"
            " promenade ombragée entre la gare et l'hôtel de ville.",
        ),
    ],
    "signatures": [
        "Pour la Commune de Vierzon, le Maire",
        "Pour la Communauté de communes Vierzon-Sologne-Berry, le Président",
        "Pour l'État, le Préfet du Cher",
        "Pour la Banque des Territoires, le Directeur régional",
        "Pour Action Logement Services, le Directeur régional",
        "Pour l'Anah, le délégué local",
    ],
}
DOCS.append(
    {
        "file": "avenant-2-vierzon-2023.pdf",
        "render": "pdf",
        "pdf_meta": {"title": "Avenant n°2 convention ACV Vierzon", "author": "Ville de Vierzon"},
        "running_footer": "Avenant n° 2 — Action cœur de ville — Vierzon",
        "blocks": convention(VIERZON),
        "label": L(
            "convention", [1, 2, 4], "Vierzon", ["Vierzon"], [], "2023-02-17",
            "Avenant n° 2 à la convention-cadre Action cœur de ville de Vierzon (2023-2026)", True,
        ),
    }
)

# CV2 — Marmande and Tonneins, convention-cadre 2018 (two towns) ------------------------------------------------------
MT = {
    "cover_top": "Val de Garonne Agglomération",
    "kind_title": "CONVENTION-CADRE PLURIANNUELLE ACTION CŒUR DE VILLE",
    "subtitle": "Marmande et Tonneins",
    "towns_line": "Communes de Marmande et de Tonneins (Lot-et-Garonne)",
    "signed_line": "Fait à Marmande, le 13 juillet 2018",
    "parties": [
        "La Commune de Marmande, représentée par son maire ;",
        "La Commune de Tonneins, représentée par son maire ;",
        "Val de Garonne Agglomération, représentée par son président ;",
        "L'État, représenté par la préfète de Lot-et-Garonne ;",
        "La Caisse des Dépôts, Action Logement et l'Agence nationale de l'habitat ;",
    ],
    "preamble": [
        "Marmande et Tonneins, deux villes de la vallée de la Garonne distantes de quinze kilomètres, forment"
        " le pôle urbain de l'agglomération. Toutes deux connaissent une perte d'habitants dans leur centre"
        " ancien, une vacance commerciale supérieure à 15 % et un patrimoine bâti dégradé, notamment le long des"
        " quais de Tonneins.",
        "Retenues ensemble au programme national Action cœur de ville, elles ont élaboré un projet commun porté"
        " par l'agglomération, qui met en réseau les deux centres plutôt que de les opposer.",
    ],
    "articles": [
        (
            "Article 1 — Objet",
            [
                "La présente convention a pour objet de décrire les modalités de mise en œuvre du programme dans"
                " les deux communes, de préciser les engagements de chacune des Parties et d'arrêter les actions"
                " de la phase de démarrage.",
            ],
        ),
        (
            "Article 2 — Engagements des partenaires",
            [
                "Les collectivités s'engagent à mobiliser leurs services, à désigner un directeur de projet commun"
                " et à mettre en cohérence leurs documents d'urbanisme. Les partenaires financeurs étudient les"
                " projets qui leur sont soumis selon leurs règles d'intervention.",
            ],
        ),
        (
            "Article 3 — Phase d'initialisation",
            [
                "Pendant dix-huit mois au plus, les Parties réalisent les diagnostics et précisent le projet. Les"
                " actions matures figurant en annexe peuvent être engagées dès la signature.",
            ],
        ),
        (
            "Article 4 — Périmètres d'intervention",
            [
                "À Marmande, le secteur d'intervention couvre la bastide et le quartier de la gare. À Tonneins, il"
                " couvre la ville haute, les quais de Garonne et l'ancienne manufacture des tabacs.",
            ],
        ),
        GENERIC_ARTICLES["gouvernance"],
        GENERIC_ARTICLES["duree"],
        (
            "Article 7 — Communication",
            ["Les Parties mentionnent le programme et ses partenaires sur tout support relatif aux actions."],
        ),
        GENERIC_ARTICLES["litiges"],
    ],
    "fiches": [
        fiche(
            "M1", "OPAH-RU multisite des deux centres anciens", 1, "Val de Garonne Agglomération",
            "2 100 000 € sur 5 ans", "2019-2023", "Anah, Agglomération, Communes",
            "Opération programmée sur les bastides de Marmande et la ville haute de Tonneins : 180 logements à"
            " rénover, dont 70 logements vacants.",
        ),
        fiche(
            "M2", "Manager de commerce partagé", 2, "Val de Garonne Agglomération",
            "90 000 € par an", "2018-2023", "Banque des Territoires, Agglomération",
            "Recrutement d'un manager de centre-ville partagé entre les deux communes, chargé de la prospection"
            " d'enseignes et de l'animation commerciale.",
        ),
        fiche(
            "M3", "Pôle d'échanges de la gare de Marmande", 3, "Commune de Marmande",
            "3 600 000 € HT", "2019-2021", "État, Région Nouvelle-Aquitaine, SNCF",
            "Réaménagement du parvis de la gare, création d'une gare routière et d'un abri à vélos sécurisé.",
        ),
        fiche(
            "T1", "Réhabilitation des quais de Garonne à Tonneins", 4, "Commune de Tonneins",
            "2 800 000 € HT", "2020-2022", "État, Département de Lot-et-Garonne",
            "Restauration des murs de quai, création d'une promenade basse le long du fleuve et mise en valeur"
            " des façades de la manufacture.",
        ),
        fiche(
            "T2", "Maison de services au public dans l'ancienne manufacture", 5, "Commune de Tonneins",
            "1 200 000 € HT", "2020-2021", "État, Caisse des Dépôts",
            "Installation au rez-de-chaussée de la manufacture d'un accueil mutualisé des services publics.",
        ),
    ],
    "signatures": [
        "Le Maire de Marmande",
        "Le Maire de Tonneins",
        "Le Président de Val de Garonne Agglomération",
        "La Préfète de Lot-et-Garonne",
        "Le Directeur régional de la Caisse des Dépôts",
        "Le Président du comité régional d'Action Logement",
    ],
}
DOCS.append(
    {
        "file": "convention-acv-marmande-tonneins.pdf",
        "render": "pdf",
        "pdf_meta": {},
        "running_header": "Convention-cadre Action cœur de ville — Marmande / Tonneins",
        "blocks": convention(MT),
        "label": L(
            "convention", [1, 2, 3, 4, 5], "Marmande", ["Marmande", "Tonneins"], [], "2018-07-13",
            "Convention-cadre pluriannuelle Action cœur de ville de Marmande et Tonneins", True,
        ),
    }
)

# CV3 — Saint-Brieuc, convention-cadre 2018 -----------------------------------------------------------------------------
SB = {
    "cover_top": "Action cœur de ville",
    "kind_title": "CONVENTION-CADRE PLURIANNUELLE",
    "subtitle": "Programme Action cœur de ville de Saint-Brieuc",
    "towns_line": "Ville de Saint-Brieuc — Saint-Brieuc Armor Agglomération",
    "signed_line": "Signée à Saint-Brieuc le 21 septembre 2018",
    "parties": [
        "La Ville de Saint-Brieuc, représentée par sa maire ;",
        "Saint-Brieuc Armor Agglomération, représentée par sa présidente ;",
        "L'État, représenté par le préfet des Côtes-d'Armor ;",
        "La Banque des Territoires, Action Logement et l'Anah ;",
    ],
    "preamble": [
        "Préfecture des Côtes-d'Armor, Saint-Brieuc concentre les services et les emplois de son bassin, mais"
        " son centre-ville a perdu 8 % de ses habitants en dix ans. La vacance des logements y atteint 14 %, et"
        " la coupure entre la gare, le centre et la vallée du Gouët freine les déplacements à pied.",
    ],
    "articles": [
        (
            "Article 1 — Objet",
            ["La présente convention précise les engagements des Parties pour la revitalisation du centre-ville."],
        ),
        (
            "Article 2 — Stratégie",
            [
                "Le projet repose sur quatre orientations : habiter le centre, y travailler et commercer, y"
                " circuler à pied et à vélo depuis la gare, et y trouver des services et des lieux de culture.",
            ],
        ),
        (
            "Article 3 — Engagements de la Ville et de l'agglomération",
            [
                "La Ville et l'agglomération désignent un chef de projet, mettent en place les outils d'observation"
                " de la vacance et engagent les actions inscrites en annexe.",
            ],
        ),
        (
            "Article 4 — Engagements des partenaires",
            [
                "L'État accompagne les actions au titre de ses dotations. La Banque des Territoires finance"
                " l'ingénierie et les investissements. Action Logement et l'Anah interviennent sur l'habitat.",
            ],
        ),
        GENERIC_ARTICLES["gouvernance"],
        GENERIC_ARTICLES["duree"],
    ],
    "fiches": [
        fiche(
            "1", "OPAH-RU du centre-ville", 1, "Saint-Brieuc Armor Agglomération",
            "1 900 000 €", "2019-2024", "Anah, Agglomération",
            "Rénovation de 220 logements privés, dont des copropriétés fragiles des rues Saint-Guillaume et"
            " Saint-Gouéno.",
        ),
        fiche(
            "2", "Halles et marché du centre", 2, "Ville de Saint-Brieuc",
            "1 500 000 € HT", "2020-2022", "Ville, État",
            "Rénovation des halles Georges-Brassens et réorganisation du marché du mercredi et du samedi.",
        ),
        fiche(
            "3", "Liaison piétonne entre la gare et la place du Chai", 3, "Ville de Saint-Brieuc",
            "620 000 € HT", "2020-2021", "Ville, Agglomération, État (DSIL)",
            "Réouverture d'une venelle à travers l'îlot, avec escalier et rampe accessible, et jalonnement"
            " depuis le pôle d'échanges.",
        ),
        fiche(
            "4", "Requalification de la place de la Grille", 4, "Ville de Saint-Brieuc",
            "2 700 000 € HT", "2021-2023", "Ville, Région Bretagne",
            "Réaménagement de la place devant la cathédrale Saint-Étienne, réduction de la place de la voiture"
            " et plantations.",
        ),
        fiche(
            "5", "Extension de la médiathèque André-Malraux", 5, "Ville de Saint-Brieuc",
            "3 200 000 € HT", "2021-2024", "État (DRAC), Ville",
            "Création d'un espace jeunesse et d'un espace numérique ouvert le dimanche.",
        ),
    ],
    "table": [
        ("Axe 1", "1 900 000 €"),
        ("Axe 2", "1 500 000 €"),
        ("Axe 3", "620 000 €"),
        ("Axe 4", "2 700 000 €"),
        ("Axe 5", "3 200 000 €"),
        ("Total", "9 920 000 €"),
    ],
    "signatures": [
        "La Maire de Saint-Brieuc",
        "La Présidente de Saint-Brieuc Armor Agglomération",
        "Le Préfet des Côtes-d'Armor",
        "Le Directeur régional de la Banque des Territoires",
        "Action Logement Services",
        "Le délégué local de l'Anah",
    ],
}
DOCS.append(
    {
        "file": "ACV_St-Brieuc_convention-cadre_signee.pdf",
        "render": "pdf",
        "pdf_meta": {"title": "Convention-cadre Action cœur de ville — Saint-Brieuc", "subject": "Convention signée"},
        "blocks": convention(SB),
        "label": L(
            "convention", [1, 2, 3, 4, 5], "Saint-Brieuc", ["Saint-Brieuc"], [], "2018-09-21",
            "Convention-cadre pluriannuelle Action cœur de ville de Saint-Brieuc", True,
        ),
    }
)

# CV4 — Laval, avenant n° 1 (ORT) 2020 ------------------------------------------------------------------------------------
LAVAL = {
    "cover_top": "Ville de Laval — Laval Agglomération — Préfecture de la Mayenne",
    "kind_title": "AVENANT N° 1",
    "subtitle": "à la convention-cadre Action cœur de ville de Laval — transformation en opération de revitalisation de territoire",
    "towns_line": "Laval (Mayenne)",
    "signed_line": "Fait à Laval, le 28 janvier 2020",
    "parties": [
        "La Ville de Laval, représentée par son maire ;",
        "Laval Agglomération, représentée par son président ;",
        "L'État, représenté par le préfet de la Mayenne ;",
        "Les partenaires financeurs du programme ;",
    ],
    "preamble": [
        "La phase d'initialisation de la convention signée le 10 octobre 2018 est achevée. Les diagnostics ont"
        " confirmé la fragilité des petites copropriétés du centre ancien et la fuite des commerces de"
        " proximité vers les zones périphériques.",
    ],
    "articles": [
        (
            "Article 1 — Objet",
            [
                "Le présent avenant clôt la phase d'initialisation, arrête le projet de revitalisation et vaut"
                " opération de revitalisation de territoire au sens de l'article L. 303-2 du code de la"
                " construction et de l'habitation.",
            ],
        ),
        (
            "Article 2 — Secteurs d'intervention",
            [
                "Le secteur d'intervention principal couvre le centre historique, les quais de la Mayenne et le"
                " quartier de la gare. Un secteur secondaire couvre le centre-bourg de Saint-Berthevin.",
            ],
        ),
        (
            "Article 3 — Effets de l'ORT",
            [
                "Dans le secteur d'intervention, les projets commerciaux sont dispensés d'autorisation"
                " d'exploitation commerciale. Le préfet peut suspendre l'examen des projets situés en périphérie."
                " Les logements rénovés ouvrent droit à l'avantage fiscal pour l'investissement locatif ancien.",
            ],
        ),
    ],
    "fiches": [
        fiche(
            "A1", "Plateforme d'accompagnement des copropriétés fragiles", 1, "Ville de Laval",
            "420 000 € sur 5 ans", "2020-2025", "Anah, Ville, Agglomération",
            "Repérage annuel des copropriétés en difficulté et accompagnement par un opérateur pour organiser"
            " les assemblées générales et programmer les travaux.",
        ),
        fiche(
            "A2", "Foncière commerciale du centre-ville", 2, "Laval Agglomération",
            "4 000 000 € de capital", "2020-2026", "Banque des Territoires, Agglomération",
            "Création d'une société chargée d'acquérir et de remettre en location des locaux commerciaux vacants"
            " de la Grande Rue et de la rue du Val-de-Mayenne.",
        ),
        fiche(
            "A3", "Permis de louer", 1, "Ville de Laval",
            "60 000 € par an", "2020-2025", "Ville",
            "Autorisation préalable de mise en location dans quinze rues du centre ancien.",
        ),
    ],
    "signatures": [
        "Le Maire de Laval",
        "Le Président de Laval Agglomération",
        "Le Préfet de la Mayenne",
        "La Banque des Territoires",
    ],
}
DOCS.append(
    {
        "file": "laval-avenant-1-ort-2020.pdf",
        "render": "pdf",
        "pdf_meta": {"title": "Avenant ORT", "author": "Direction de l'urbanisme"},
        "running_footer": "Avenant n° 1 — ORT de Laval",
        "blocks": convention(LAVAL),
        "label": L(
            "convention", [1, 2], "Laval", ["Laval"], [], "2020-01-28",
            "Avenant n° 1 à la convention-cadre Action cœur de ville de Laval valant ORT", True,
        ),
    }
)

# CV5 — Issoudun, convention-cadre 2018 -------------------------------------------------------------------------------------
ISSOUDUN = {
    "cover_top": "Programme national Action cœur de ville",
    "kind_title": "CONVENTION-CADRE ACTION CŒUR DE VILLE D'ISSOUDUN",
    "subtitle": "Convention pluriannuelle de revitalisation du centre-ville",
    "towns_line": "Ville d'Issoudun — Communauté de communes du Pays d'Issoudun",
    "signed_line": "Fait à Issoudun, le 5 octobre 2018",
    "parties": [
        "La Ville d'Issoudun, représentée par son maire ;",
        "La Communauté de communes du Pays d'Issoudun, représentée par son président ;",
        "L'État, représenté par le préfet de l'Indre ;",
        "La Caisse des Dépôts, Action Logement, l'Anah ;",
    ],
    "preamble": [
        "Ville de 11 000 habitants au sud de la Champagne berrichonne, Issoudun conserve un centre médiéval"
        " remarquable, autour du beffroi et de la tour Blanche, mais 19 % de ses logements du centre sont"
        " vacants. Les commerces ferment le long de la rue Pierre-Brossolette, tandis que les équipements"
        " publics se sont éloignés vers la périphérie.",
    ],
    "articles": [
        ("Article 1 — Objet", ["La présente convention fixe le cadre de la revitalisation du centre-ville."]),
        (
            "Article 2 — Engagements des collectivités",
            [
                "La Ville et la communauté de communes s'engagent à consacrer des moyens d'ingénierie au projet, à"
                " ne pas autoriser de nouvelles surfaces commerciales de périphérie pendant la durée du programme"
                " sans étude d'impact sur le centre, et à mettre en œuvre les actions de l'annexe.",
            ],
        ),
        (
            "Article 3 — Engagements des partenaires",
            ["Les partenaires instruisent les demandes de financement dans le cadre de leurs dispositifs."],
        ),
        GENERIC_ARTICLES["gouvernance"],
        GENERIC_ARTICLES["duree"],
        GENERIC_ARTICLES["litiges"],
    ],
    "fiches": [
        fiche(
            "1.1", "Îlot de la rue du Sabotier", 1, "Ville d'Issoudun, bailleur OPAC 36",
            "2 300 000 € HT", "2019-2022", "Action Logement, Anah, Ville",
            "Démolition d'un immeuble en ruine et reconstruction de 12 logements adaptés aux personnes âgées.",
        ),
        fiche(
            "2.1", "Halles du centre-ville", 2, "Ville d'Issoudun",
            "1 800 000 € HT", "2019-2021", "État (DSIL), Ville",
            "Rénovation des halles et création d'un marché de producteurs le vendredi soir.",
        ),
        fiche(
            "4.1", "Mise en lumière du beffroi et des remparts", 4, "Ville d'Issoudun",
            "650 000 € HT", "2020", "Ville, Région Centre-Val de Loire",
            "Éclairage patrimonial et parcours de découverte de la ville médiévale.",
        ),
        fiche(
            "5.1", "Pôle culturel dans l'ancien couvent des Capucins", 5, "Communauté de communes",
            "4 100 000 € HT", "2020-2023", "État (DRAC), Communauté de communes",
            "Regroupement de l'école de musique et de la médiathèque dans l'ancien couvent.",
        ),
    ],
    "signatures": [
        "Le Maire d'Issoudun",
        "Le Président de la Communauté de communes du Pays d'Issoudun",
        "Le Préfet de l'Indre",
        "Le Directeur régional de la Caisse des Dépôts",
    ],
}
DOCS.append(
    {
        "file": "convention_cadre_issoudun_2018.pdf",
        "render": "pdf",
        "serif": True,
        "pdf_meta": {"title": "Convention cadre", "creator": "PDFCreator"},
        "running_footer": "Convention-cadre Action cœur de ville — Issoudun",
        "blocks": convention(ISSOUDUN),
        "label": L(
            "convention", [1, 2, 4, 5], "Issoudun", ["Issoudun"], [], "2018-10-05",
            "Convention-cadre Action cœur de ville d'Issoudun", True,
        ),
    }
)

# CV7 — Bar-le-Duc ORT convention 2019 (matches CP6) --------------------------------------------------------------------
BLD = {
    "cover_top": "Communauté d'agglomération Bar-le-Duc Sud Meuse",
    "kind_title": "CONVENTION D'OPÉRATION DE REVITALISATION DE TERRITOIRE",
    "subtitle": "Avenant de transformation de la convention Action cœur de ville de Bar-le-Duc",
    "towns_line": "BAR-LE-DUC",
    "signed_line": "Fait à Bar-le-Duc, le 9 décembre 2019",
    "parties": [
        "La Commune de Bar-le-Duc, représentée par sa maire ;",
        "La Communauté d'agglomération Bar-le-Duc Sud Meuse, représentée par son président ;",
        "L'État, représenté par le préfet de la Meuse ;",
        "Les partenaires du programme Action cœur de ville ;",
    ],
    "preamble": [
        "La ville haute de Bar-le-Duc, ensemble Renaissance parmi les mieux conservés de l'Est, et la ville"
        " basse commerçante souffrent d'une forte vacance : un logement sur cinq est inoccupé dans le périmètre."
        " La présente convention dote la collectivité des outils de l'opération de revitalisation de territoire.",
    ],
    "articles": [
        (
            "Article 1 — Objet",
            ["La convention Action cœur de ville du 27 septembre 2018 vaut désormais opération de revitalisation de territoire."],
        ),
        (
            "Article 2 — Périmètre",
            [
                "Le secteur d'intervention comprend la ville haute, le quartier de la gare et le boulevard de la"
                " Rochelle.",
            ],
        ),
        (
            "Article 3 — Programme d'actions",
            ["Les actions sont décrites dans les fiches annexées ; elles peuvent être complétées par le comité de projet."],
        ),
        GENERIC_ARTICLES["gouvernance"],
    ],
    "fiches": [
        fiche(
            "1", "Reprise de 45 logements vacants", 1, "Commune de Bar-le-Duc, bailleur social",
            "3 900 000 € HT", "2020-2024", "Anah, Action Logement, Commune",
            "Acquisition-amélioration d'immeubles vacants de la ville haute et du boulevard de la Rochelle.",
        ),
        fiche(
            "2", "Boutique de créateurs", 2, "Commune de Bar-le-Duc",
            "180 000 € HT", "2020", "Banque des Territoires, Commune",
            "Aménagement d'une cellule commerciale acquise par la Ville et mise à disposition de créateurs"
            " locaux par rotation de six mois.",
        ),
    ],
    "signatures": [
        "La Maire de Bar-le-Duc",
        "Le Président de la Communauté d'agglomération Bar-le-Duc Sud Meuse",
        "Le Préfet de la Meuse",
    ],
}
DOCS.append(
    {
        "file": "ORT-bar-le-duc-2019.pdf",
        "render": "pdf",
        "pdf_meta": {"title": "Convention ORT Bar-le-Duc", "keywords": "ORT, Action coeur de ville"},
        "blocks": convention(BLD),
        "label": L(
            "convention", [1, 2], "Bar-le-Duc", ["Bar-le-Duc"], [], "2019-12-09",
            "Convention d'opération de revitalisation de territoire de Bar-le-Duc", True,
        ),
    }
)

# CV6 — Millau: scanned avenant 2023-2026 (image-only pages) ------------------------------------------------------------
DOCS.append(
    {
        "file": "SCAN_avenant_ACV_Millau_signe.pdf",
        "render": "scan",
        "seed": 6600,
        "angles": [0.4, -0.6, 0.2],
        "pdf_meta": {"producer": "Xerox AltaLink"},
        "lines": [
            ("center", "PRÉFET DE L'AVEYRON - VILLE DE MILLAU - MILLAU GRANDS CAUSSES"),
            ("space", 40),
            ("title", "AVENANT À LA CONVENTION-CADRE"),
            ("title", "ACTION CŒUR DE VILLE DE MILLAU"),
            ("center", "Prolongation du programme pour la période 2023-2026"),
            ("space", 30),
            ("h", "Entre"),
            ("p", "La Commune de Millau, représentée par sa maire ;"),
            ("p", "La Communauté de communes de Millau Grands Causses, représentée par son président ;"),
            ("p", "L'État, représenté par la préfète de l'Aveyron ;"),
            ("p", "La Banque des Territoires, Action Logement et l'Anah."),
            ("h", "Article 1 - Objet"),
            (
                "p",
                "Le présent avenant prolonge jusqu'au 31 décembre 2026 la convention-cadre signée le 28 septembre"
                " 2018 et arrête les actions de la seconde phase du programme.",
            ),
            ("h", "Article 2 - Actions de la seconde phase"),
            (
                "p",
                "Action 1 - Axe 2 : création d'un marché couvert de producteurs place Foch, pour un coût"
                " prévisionnel de 2 200 000 euros.",
            ),
            (
                "p",
                "Action 2 - Axe 3 : aménagement d'une voie verte entre la gare et les berges du Tarn, pour un coût"
                " prévisionnel de 1 600 000 euros.",
            ),
            (
                "p",
                "Action 3 - Axe 4 : restauration du beffroi et requalification de la place Emma-Calvé, pour un"
                " coût prévisionnel de 2 900 000 euros.",
            ),
            ("break", None),
            ("h", "Article 3 - Durée"),
            ("p", "Le présent avenant prend effet à la date de sa signature."),
            ("space", 30),
            ("p", "Fait à Millau, le 6 mars 2023, en cinq exemplaires originaux."),
            ("space", 30),
            ("p", "La Maire de Millau                    Le Président de Millau Grands Causses"),
            ("space", 80),
            ("p", "La Préfète de l'Aveyron                    Pour la Banque des Territoires"),
            ("space", 80),
            ("small", "Document fictif, illustratif."),
        ],
        "label": L(
            "convention", [2, 3, 4], "Millau", ["Millau"], [], "2023-03-06",
            "Avenant à la convention-cadre Action cœur de ville de Millau (2023-2026)", True,
        ),
    }
)

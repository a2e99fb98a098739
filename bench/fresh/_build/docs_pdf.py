"""PDF sheets and press releases, text and scanned (image-only)."""

from __future__ import annotations

from common import L

FICTION = "Document fictif, illustratif."

DOCS: list[dict] = []

# BP5 — Alès: good-practice sheet with a « Fiche » table and a labelled axis; PDF Title set --------------------------
DOCS.append(
    {
        "file": "fiche-bp-ales-maison-sante-ancienne-banque.pdf",
        "render": "pdf",
        "pdf_meta": {
            "title": "Une maison de santé dans une ancienne banque - fiche bonne pratique",
            "author": "Alès Agglomération",
            "subject": "Retour d'expérience Action cœur de ville",
        },
        "running_header": "Alès Agglomération — Fiches retours d'expérience",
        "running_footer": FICTION,
        "blocks": [
            ("small", "FICHE BONNE PRATIQUE N° 7"),
            ("title", "Une maison de santé dans une ancienne banque"),
            ("subtitle", "Alès (Gard) — ramener les soignants au centre-ville"),
            (
                "fields",
                [
                    ("Commune", "Alès"),
                    ("Axe", "Axe 5 – Fournir l'accès aux équipements et services publics"),
                    ("Coût", "2,4 M€ HT"),
                    ("Calendrier", "études 2019, travaux 2020-2021, ouverture en mars 2022"),
                    ("Porteur", "Ville d'Alès, puis société civile immobilière des professionnels de santé"),
                    ("Financeurs", "État (DSIL), Région Occitanie, Banque des Territoires"),
                ],
            ),
            ("h2", "Contexte"),
            (
                "p",
                "En 2018, le centre d'Alès avait perdu en cinq ans quatre médecins généralistes partis à la retraite"
                " sans successeur. Les patients du centre ancien, souvent âgés et sans voiture, devaient se rendre"
                " dans les cabinets de la périphérie. Dans le même temps, l'ancienne agence bancaire du boulevard"
                " Gambetta, 1 100 m² sur trois niveaux, était vide depuis la fusion de deux réseaux.",
            ),
            ("h2", "Le projet"),
            (
                "p",
                "La Ville a acquis le bâtiment, puis l'a revendu après travaux à une société civile immobilière"
                " constituée par les professionnels de santé, avec une clause de maintien de l'activité médicale"
                " pendant quinze ans. La salle des coffres, au sous-sol, a été transformée en salle de réunion et"
                " de téléconsultation.",
            ),
            (
                "p",
                "La maison de santé réunit aujourd'hui six médecins généralistes, deux kinésithérapeutes, trois"
                " infirmières, une orthophoniste et une sage-femme. Deux cabinets sont réservés aux internes en"
                " stage, logés dans un appartement de la Ville à proximité.",
            ),
            ("h2", "Ce qui a fonctionné"),
            (
                "p",
                "Associer les soignants dès l'esquisse : ce sont eux qui ont demandé l'accès par l'arrière, depuis"
                " le parking de la rue d'Avéjan, pour les patients à mobilité réduite.",
            ),
            ("h2", "Points de vigilance"),
            (
                "p",
                "La revente à la société des praticiens a nécessité deux ans de négociation sur le prix. Il faut"
                " anticiper cette étape et la faire évaluer par le service des domaines dès le départ.",
            ),
            ("small", "Fiche rédigée en juin 2022. Contact : direction de la santé publique, Ville d'Alès. " + FICTION),
        ],
        "label": L(
            "bonne_pratique", [5], "Alès", ["Alès"], [], None,
            "Une maison de santé dans une ancienne banque", True,
        ),
    }
)

# BP13 — Auxerre: two-page write-up without a fields box; PDF metadata from a word processor -------------------------
DOCS.append(
    {
        "file": "retour-experience-quais-yonne.pdf",
        "render": "pdf",
        "serif": True,
        "pdf_meta": {"title": "Microsoft Word - REX_quais_v4_def.docx", "creator": "Microsoft® Word 2016"},
        "running_footer": "Communauté de l'Auxerrois — " + FICTION,
        "blocks": [
            ("title", "Réaménager les quais de l'Yonne : concertation, chantier et premiers usages"),
            ("subtitle", "Retour d'expérience — Auxerre, 12 avril 2023"),
            ("h2", "1. Point de départ"),
            (
                "p",
                "Les quais de la rive gauche, au pied de la cathédrale Saint-Étienne et de l'abbaye Saint-Germain,"
                " étaient occupés sur 800 mètres par du stationnement et une voie de transit. La promenade le long"
                " de l'Yonne s'interrompait au niveau de la passerelle, et les cyclistes de la véloroute devaient"
                " emprunter la chaussée.",
            ),
            ("h2", "2. Une concertation en trois temps"),
            (
                "p",
                "Un premier atelier a permis aux habitants de dessiner leurs usages sur une grande carte. Une"
                " exposition des trois scénarios a ensuite circulé dans les écoles et au marché de l'Arquebuse."
                " Enfin, un test grandeur nature a fermé les quais aux voitures trois week-ends de juin 2020, avec"
                " du mobilier provisoire en palettes.",
            ),
            (
                "p",
                "Le test a levé la principale crainte des commerçants : la fréquentation de la rue du Pont a"
                " augmenté pendant les week-ends de fermeture, alors qu'ils redoutaient une baisse.",
            ),
            ("h2", "3. Le chantier"),
            (
                "p",
                "Les travaux ont duré de septembre 2021 à juin 2022. La voie de transit a été supprimée, et le"
                " stationnement reporté dans le parking du Pont, à deux cents mètres. Les quais ont reçu un dallage"
                " en pierre de Bourgogne, des gradins descendant vers l'eau et une piste cyclable continue qui"
                " raccorde enfin la véloroute au centre-ville.",
            ),
            (
                "p",
                "Le coût global s'élève à 6,8 millions d'euros, dont 2,1 millions de l'État et 1,4 million de la"
                " Région Bourgogne-Franche-Comté. Les façades des maisons à pans de bois donnant sur les quais ont"
                " bénéficié d'une campagne de ravalement aidée.",
            ),
            ("break", None),
            ("h2", "4. Premiers usages"),
            (
                "p",
                "Un an après, les comptages relèvent 1 400 cyclistes par jour de beau temps sur la piste des quais,"
                " contre 300 auparavant sur la chaussée. Les gradins sont devenus le lieu de rendez-vous des"
                " lycéens et accueillent, l'été, des séances de cinéma en plein air.",
            ),
            ("h2", "5. Ce que nous referions autrement"),
            (
                "p",
                "Prévoir plus tôt l'entretien : les joints du dallage, trop larges, retiennent les déchets, et le"
                " nettoyage mécanique n'était pas prévu dans le marché de propreté. Installer davantage de points"
                " d'ombre : les gradins exposés au sud sont désertés entre midi et seize heures en juillet.",
            ),
            ("small", "Contact : mission Action cœur de ville, Ville d'Auxerre et Communauté de l'Auxerrois."),
        ],
        "label": L(
            "bonne_pratique", [3, 4], "Auxerre", ["Auxerre"], [], "2023-04-12",
            "Réaménager les quais de l'Yonne : concertation, chantier et premiers usages",
        ),
    }
)

# BP17 — Tulle: urban lift, short fiche, « Axe 3 » in its fields, no PDF title -----------------------------------------
DOCS.append(
    {
        "file": "tulle_ascenseur_urbain.pdf",
        "render": "pdf",
        "pdf_meta": {},
        "blocks": [
            ("small", "Tulle Agglo — Programme Action cœur de ville — Fiche projet réalisé"),
            ("title", "Un ascenseur urbain entre la gare et la cathédrale"),
            (
                "fields",
                [
                    ("Ville", "Tulle (Corrèze)"),
                    ("Axe du programme", "3 — Développer l'accessibilité, la mobilité et les connexions"),
                    ("Coût", "3,1 millions d'euros"),
                    ("Mise en service", "novembre 2022"),
                    ("Gestion", "régie des transports de Tulle Agglo"),
                ],
            ),
            (
                "p",
                "Tulle s'étire au fond de la vallée de la Corrèze, et ses quartiers hauts dominent le centre de"
                " quarante à soixante mètres. Pour beaucoup d'habitants du quartier du Trech et des Fages, descendre"
                " à la gare ou au marché à pied était devenu impossible avec l'âge.",
            ),
            (
                "p",
                "L'ascenseur urbain relie en 35 secondes le parvis de la gare à l'esplanade de la cathédrale, par"
                " une cabine vitrée de vingt personnes logée dans une tour adossée à la falaise. Il fonctionne"
                " gratuitement de 6 heures à minuit, sept jours sur sept.",
            ),
            (
                "p",
                "Fréquentation moyenne : 1 900 montées par jour, avec des pointes à 3 500 les jours de marché."
                " Les commerçants de la rue Jean-Jaurès constatent une clientèle nouvelle venue des quartiers"
                " hauts. Le coût de fonctionnement, 140 000 euros par an, est pris en charge par l'agglomération.",
            ),
            ("small", "Mise à jour : 20 mars 2023. " + FICTION),
        ],
        "label": L(
            "bonne_pratique", [3], "Tulle", ["Tulle"], [], "2023-03-20",
            "Un ascenseur urbain entre la gare et la cathédrale", True,
        ),
    }
)

# BP9 — Saint-Omer, scanned sheet, town written « ST-OMER » and via the CAPSO ---------------------------------------
DOCS.append(
    {
        "file": "scan_fiche_rex_conservatoire.pdf",
        "render": "scan",
        "seed": 909,
        "angles": [0.6, -0.3],
        "pdf_meta": {"producer": "KONICA MINOLTA bizhub C308"},
        "lines": [
            ("small", "Communauté d'agglomération du Pays de Saint-Omer (CAPSO) — service culture"),
            ("space", 20),
            ("title", "FICHE RETOUR D'EXPÉRIENCE"),
            ("title", "Le conservatoire s'installe dans l'ancien collège des Jésuites"),
            ("space", 20),
            ("p", "Commune : ST-OMER"),
            ("p", "Axe : 5 - Équipements et services publics"),
            ("p", "Coût : 9,6 millions d'euros HT"),
            ("p", "Calendrier : concours 2018, travaux 2020-2022, ouverture en septembre 2022"),
            ("space", 20),
            ("h", "Le projet"),
            (
                "p",
                "Le conservatoire d'agglomération occupait jusqu'en 2022 des locaux dispersés et mal isolés en"
                " périphérie. Les 900 élèves, musiciens et danseurs, se répartissaient entre trois sites. Le"
                " regroupement dans l'aile nord de l'ancien collège des Jésuites, propriété de la Ville, a permis"
                " de créer un auditorium de 220 places, quatorze salles de cours et deux studios de danse.",
            ),
            ("h", "Ce qui a fonctionné"),
            (
                "p",
                "Les horaires des cours, en fin de journée, amènent chaque soir des centaines de parents dans le"
                " centre. Les cafés de la place Victor-Hugo restent ouverts plus tard les soirs d'audition.",
            ),
            ("h", "Difficultés"),
            (
                "p",
                "L'isolation acoustique d'un bâtiment protégé a coûté plus cher que prévu : 1,2 million d'euros"
                " de plus que l'estimation initiale.",
            ),
            ("space", 30),
            ("small", "Fiche établie le 21 septembre 2023 - document fictif, illustratif"),
        ],
        "label": L(
            "bonne_pratique", [5], "Saint-Omer", ["Saint-Omer"], [], "2023-09-21",
            "Le conservatoire s'installe dans l'ancien collège des Jésuites", True,
        ),
    }
)

# CP6 — Préfecture de la Meuse: ORT signature at Bar-le-Duc, PDF press release --------------------------------------
DOCS.append(
    {
        "file": "CP_prefecture_meuse_ORT_Bar-le-Duc.pdf",
        "render": "pdf",
        "pdf_meta": {"title": "Communiqué de presse", "author": "Préfecture de la Meuse"},
        "blocks": [
            ("small", "PRÉFET DE LA MEUSE — Liberté Égalité Fraternité"),
            ("small", "Bureau de la communication interministérielle"),
            ("space", 10),
            ("ctitle", "COMMUNIQUÉ DE PRESSE"),
            ("center", "Bar-le-Duc, le 9 décembre 2019"),
            ("space", 12),
            ("h2", "Bar-le-Duc s'engage dans une opération de revitalisation de territoire"),
            (
                "p",
                "Le préfet de la Meuse, le maire de Bar-le-Duc et le président de la communauté d'agglomération"
                " Bar-le-Duc Sud Meuse ont signé ce lundi la convention qui transforme la convention Action cœur de"
                " ville en opération de revitalisation de territoire (ORT).",
            ),
            (
                "p",
                "L'ORT, créée par la loi portant évolution du logement, de l'aménagement et du numérique (ELAN),"
                " donne à la collectivité de nouveaux outils : dispense d'autorisation d'exploitation commerciale"
                " en centre-ville, possibilité de suspendre les projets commerciaux de périphérie, droit de"
                " préemption renforcé et accès au dispositif fiscal d'aide à la rénovation des logements anciens.",
            ),
            (
                "p",
                "Le périmètre retenu couvre la ville haute, le quartier de la gare et les rues commerçantes du"
                " boulevard de la Rochelle. Les premières actions concernent la reprise de 45 logements vacants"
                " et l'installation d'une boutique de créateurs dans une cellule acquise par la Ville.",
            ),
            ("p", "« Le centre-ville est désormais protégé et prioritaire », a rappelé le préfet."),
            ("space", 12),
            ("small", "Contact presse : 03 29 00 00 00 — pref-communication@meuse.gouv.example"),
            ("small", FICTION),
        ],
        "label": L(
            "communique", [1, 2], "Bar-le-Duc", ["Bar-le-Duc"], [], "2019-12-09",
            "Bar-le-Duc s'engage dans une opération de revitalisation de territoire",
        ),
    }
)

# CP10 — Carcassonne: call for projects for ground-floor shops, PDF without metadata ---------------------------------
DOCS.append(
    {
        "file": "2022-09-26-communique-rdc-bastide.pdf",
        "render": "pdf",
        "pdf_meta": {"creator": "Writer", "producer": "LibreOffice 7.3"},
        "blocks": [
            ("small", "VILLE DE CARCASSONNE — Service de presse"),
            ("title", "Communiqué de presse"),
            ("subtitle", "Le 26/09/2022"),
            ("h2", "Bastide Saint-Louis : un appel à projets pour 12 rez-de-chaussée commerciaux"),
            (
                "p",
                "La Ville de Carcassonne lance un appel à projets pour installer des commerces et des artisans dans"
                " douze locaux vacants de la Bastide Saint-Louis, acquis ces deux dernières années par la société"
                " d'économie mixte de la ville.",
            ),
            (
                "p",
                "Les candidats retenus bénéficieront d'un loyer progressif : 50 % du loyer de marché la première"
                " année, 75 % la deuxième, puis le plein tarif. La Ville prend en charge la rénovation des"
                " devantures et la mise aux normes électriques des locaux.",
            ),
            (
                "p",
                "Priorité sera donnée aux activités absentes du centre : alimentation de qualité, réparation,"
                " métiers d'art, services aux habitants. Les dossiers sont à déposer avant le 30 novembre 2022 au"
                " service commerce, 32 rue Aimé-Ramond.",
            ),
            (
                "p",
                "Cette opération est soutenue par la Banque des Territoires et Carcassonne Agglo dans le cadre du"
                " programme Action cœur de ville.",
            ),
            ("small", "Contact presse : 04 68 00 00 00 — " + FICTION),
        ],
        "label": L(
            "communique", [2], "Carcassonne", ["Carcassonne"], [], "2022-09-26",
            "Bastide Saint-Louis : un appel à projets pour 12 rez-de-chaussée commerciaux",
        ),
    }
)

# CP14 — Romorantin-Lanthenay: scanned press release (OPAH-RU launch) ---------------------------------------------------
DOCS.append(
    {
        "file": "numerisation_20211004_0931.pdf",
        "render": "scan",
        "seed": 1414,
        "pdf_meta": {"producer": "Canon iR-ADV C3525"},
        "lines": [
            ("center", "VILLE DE ROMORANTIN-LANTHENAY"),
            ("space", 30),
            ("title", "COMMUNIQUÉ DE PRESSE"),
            ("right", "Le 4 octobre 2021"),
            ("space", 20),
            ("h", "Lancement de l'OPAH-RU du centre ancien"),
            (
                "p",
                "La Ville lance ce mois-ci une opération programmée d'amélioration de l'habitat de renouvellement"
                " urbain (OPAH-RU) pour cinq ans sur le centre ancien et les bords de la Sauldre.",
            ),
            (
                "p",
                "Les propriétaires, occupants ou bailleurs, peuvent bénéficier de conseils gratuits et d'aides"
                " financières pour rénover leur logement : isolation, chauffage, adaptation au vieillissement,"
                " remise en état des logements vacants. Les aides de l'Anah sont complétées par une prime de la"
                " Ville pouvant atteindre 8 000 euros par logement.",
            ),
            (
                "p",
                "L'objectif est de rénover 150 logements, dont 60 logements vacants remis en location. Une"
                " permanence se tiendra chaque mercredi matin à la Fabrique Normant.",
            ),
            (
                "p",
                "Cette opération est inscrite dans la convention Action cœur de ville signée avec l'État et"
                " la communauté de communes.",
            ),
            ("space", 30),
            ("p", "Contact presse : service communication, 02 54 00 00 00"),
            ("small", "Document fictif, illustratif."),
        ],
        "label": L(
            "communique", [1], "Romorantin-Lanthenay", ["Romorantin-Lanthenay"], [], "2021-10-04",
            "Lancement de l'OPAH-RU du centre ancien de Romorantin-Lanthenay",
        ),
    }
)

# AU3 — Montluçon: scanned traffic order for water-main works (off-topic) -----------------------------------------------
DOCS.append(
    {
        "file": "arrete-circulation-2023-118.pdf",
        "render": "scan",
        "seed": 2023118,
        "angles": [-0.5],
        "pdf_meta": {},
        "lines": [
            ("p", "VILLE DE MONTLUÇON"),
            ("p", "Direction de la voirie - Arrêté n° 2023-118"),
            ("space", 20),
            ("title", "ARRÊTÉ MUNICIPAL TEMPORAIRE"),
            ("center", "Réglementation de la circulation et du stationnement"),
            ("center", "Avenue Marx-Dormoy - travaux sur le réseau d'eau potable"),
            ("space", 20),
            ("p", "Le Maire de la Ville de Montluçon,"),
            ("p", "Vu le code général des collectivités territoriales ; vu le code de la route ;"),
            (
                "p",
                "Considérant que le renouvellement de la conduite d'eau potable de l'avenue Marx-Dormoy nécessite"
                " de réglementer la circulation et le stationnement pour la sécurité des usagers et du chantier ;",
            ),
            ("h", "ARRÊTE"),
            (
                "p",
                "Article 1 - Du lundi 13 mars au vendredi 28 avril 2023, la circulation sera alternée par feux"
                " tricolores avenue Marx-Dormoy, entre la rue de la Presle et le boulevard de Courtais.",
            ),
            (
                "p",
                "Article 2 - Le stationnement sera interdit des deux côtés de la chaussée au droit du chantier."
                " Tout véhicule en infraction sera mis en fourrière.",
            ),
            ("p", "Article 3 - La signalisation sera mise en place par l'entreprise chargée des travaux."),
            ("p", "Article 4 - Le présent arrêté sera affiché en mairie et sur les lieux du chantier."),
            ("space", 30),
            ("right", "Fait à Montluçon, le 7 mars 2023"),
            ("right", "Pour le Maire, l'adjoint délégué à la voirie"),
            ("space", 20),
            ("small", "Document fictif, illustratif."),
        ],
        "label": L(
            "autre", [], "Montluçon", ["Montluçon"], [], "2023-03-07",
            "Arrêté municipal temporaire : avenue Marx-Dormoy, travaux sur le réseau d'eau potable",
        ),
    }
)

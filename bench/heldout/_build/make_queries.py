"""Write bench/heldout/queries.jsonl: the held-out judged queries (issue 16), written and judged from the
documents before any run. Judgments cover the bundled corpus too (found by grep over its extracted text).
Run from the repository root: .venv/bin/python bench/heldout/_build/make_queries.py
"""
import json
H = "bench/heldout/documents/"
C = "corpus/documents/"
CONV_DREUX = H + "conventions/convention-dreux-2018.pdf"
CONV_LUN = H + "conventions/convention-luneville-2018.pdf"
P_DREUX = H + "communiques/dreux-signature-convention-coeur-de-ville.html"
P_LUN = H + "communiques/luneville-convention-action-coeur-de-ville-signee.html"
P_ANN = H + "communiques/annonay-megisserie-logements-salaries-action-logement.html"
P_SAU = H + "communiques/saumur-inauguration-quais-de-loire.html"
P_NEV = H + "communiques/nevers-restauration-immobiliere-quatorze-immeubles.html"
P_BAS = H + "communiques/bastia-avenant-action-coeur-de-ville-2023-2026.html"
B_AUR = H + "bonnes-pratiques/aurillac-navette-electrique-centre.html"
B_EPE = H + "bonnes-pratiques/epernay-campagne-ravalement-facades.html"
B_LAN = H + "bonnes-pratiques/lannion-acces-independants-etages-commerces.html"
B_SDV = H + "bonnes-pratiques/saint-die-des-vosges-ressourcerie-centre-ville.pdf"
B_DRX = H + "bonnes-pratiques/dreux-maison-de-l-habitat-guichet-unique.pdf"
B_NEV = H + "bonnes-pratiques/nevers-permis-de-diviser-centre-ville.md"
B_LUN = H + "bonnes-pratiques/luneville-logement-internes-medecine.md"
c = lambda p: C + p

def r(f, g, p):
    return {"file": f, "grade": g, "passage": p}

Q = []
def q(kind, text, rel, filters=None):
    Q.append({"kind": kind, "query": text, "filters": filters or {}, "relevant": rel})

# --- paraphrase
q("paraphrase", "empêcher que de grands appartements anciens soient découpés en studios minuscules loués à des ménages fragiles",
  [r(B_NEV, 2, "toute division d'un logement en plusieurs logements"),
   r(c("bonnes-pratiques/cahors-permis-de-louer-bilan.html"), 1, "tout propriétaire qui met en location un logement dans le secteur sauvegardé")])
q("paraphrase", "comment réoccuper les appartements situés sur les rez-de-chaussée marchands quand on ne peut y monter qu'en passant par le magasin",
  [r(B_LAN, 2, "on ne pouvait y accéder qu'en traversant la boutique"),
   r(c("conventions/convention-quimper-2018.pdf"), 2, "Aide spécifique à la création d'accès indépendants aux étages"),
   r(c("conventions/convention-abbeville-2018.pdf"), 1, "Les étages au-dessus des commerces sont fréquemment inoccupés faute d'accès indépendant"),
   r(CONV_DREUX, 1, "Les logements situés au-dessus des commerces sont vides faute d'accès séparé"),
   r(c("communiques/cahors-convention-action-coeur-de-ville-signee.html"), 1, "Remettre sur le marché des logements vacants au-dessus des commerces"),
   r(c("bonnes-pratiques/cognac-opah-ru-centre-ancien.md"), 1, "les logements situés au-dessus des commerces")])
q("paraphrase", "desservir le cœur de ville depuis des stationnements en périphérie avec un petit bus propre et sans billet",
  [r(B_AUR, 2, "relie deux parkings relais situés aux entrées de la ville"),
   r(c("conventions/convention-cahors-2018.pdf"), 2, "relié au boulevard Gambetta par une navette électrique gratuite"),
   r(c("conventions/convention-agen-2018.pdf"), 2, "le parking relais du Gravier toutes les dix minutes"),
   r(c("bonnes-pratiques/gap-deplacements-actifs-centre.md"), 2, "parking relais de 250 places relié au centre par une navette gratuite"),
   r(c("conventions/convention-chatellerault-2018.pdf"), 1, "Création d'une navette électrique gratuite entre la gare")])
q("paraphrase", "donner une seconde vie aux objets dont les habitants se débarrassent, dans une grande surface commerciale inoccupée",
  [r(B_SDV, 2, "une ressourcerie associative et un atelier de réparation"),
   r(c("conventions/avenant-lens-2023.pdf"), 1, "atelier de réparation et de réemploi")])
q("paraphrase", "contraindre les propriétaires à rénover l'extérieur de leurs immeubles tout en payant une partie de la facture",
  [r(B_EPE, 2, "a inscrit 140 immeubles sur la liste des ravalements obligatoires"),
   r(c("conventions/convention-abbeville-2018.pdf"), 2, "accompagnée d'une prime communale de 30 % des travaux"),
   r(c("conventions/convention-vienne-2018.pdf"), 2, "Campagne obligatoire de ravalement sur le cours Romestang"),
   r(c("bonnes-pratiques/cognac-opah-ru-centre-ancien.md"), 2, "Une campagne de ravalement obligatoire accompagne l'opération"),
   r(c("communiques/cognac-anah-lancement-opah-ru.html"), 1, "accompagner le ravalement de 60 façades"),
   r(c("communiques/seminaire-regional-action-coeur-de-ville-occitanie.html"), 1, "campagne de ravalement obligatoire des façades"),
   r(CONV_LUN, 1, "prime municipale au ravalement des façades")])
q("paraphrase", "héberger à petit prix les futurs généralistes pendant leur formation pratique pour qu'ils s'installent ensuite",
  [r(B_LUN, 2, "Les internes en médecine générale y sont logés"),
   r(c("bonnes-pratiques/epinal-maison-de-sante-centre-ville.md"), 2, "Des logements pour les internes en médecine ont été aménagés"),
   r(c("conventions/convention-chatellerault-2018.pdf"), 1, "des locaux pour les internes en stage")])
q("paraphrase", "reconvertir d'anciens bâtiments de l'armée en habitations",
  [r(CONV_LUN, 2, "Transformation d'une aile de l'ancienne caserne de cavalerie"),
   r(P_LUN, 2, "la transformation d'une aile de l'ancienne caserne de cavalerie en 90 appartements"),
   r(c("conventions/convention-cahors-2018.pdf"), 1, "dans une aile réhabilitée de l'ancienne caserne"),
   r(c("conventions/convention-chatellerault-2018.pdf"), 1, "sur l'ancien site de la caserne")])
q("paraphrase", "des marches en pierre pour s'asseoir face à la Loire et une balade arborée le long de l'eau",
  [r(P_SAU, 2, "Des gradins en pierre de tuffeau descendent désormais jusqu'au fleuve")])
q("paraphrase", "obliger les propriétaires d'immeubles délabrés à faire les travaux sous peine de perdre leur bien",
  [r(P_NEV, 2, "les propriétaires de ces immeubles ont désormais 24 mois"),
   r(B_NEV, 1, "l'opération de restauration immobilière engagée en 2020"),
   r(c("conventions/convention-cahors-2018.pdf"), 1, "OPAH-RU et opération de restauration immobilière du quartier médiéval"),
   r(c("conventions/convention-chatellerault-2018.pdf"), 1, "Opération de résorption de l'habitat insalubre et de restauration immobilière")])
q("paraphrase", "un point d'accueil commun pour renseigner les particuliers qui veulent refaire leur logement dans le centre ancien",
  [r(B_DRX, 2, "Sur place, le visiteur rencontre sans rendez-vous l'opérateur de l'OPAH-RU"),
   r(CONV_DREUX, 2, "lieu unique d'information et de conseil réunissant l'opérateur"),
   r(P_DREUX, 1, "Propriétaires et futurs acquéreurs y trouveront en un seul lieu"),
   r(c("conventions/convention-chatellerault-2018.pdf"), 2, "Guichet unique ouvert dans une boutique vacante de la rue Bourbon"),
   r(c("conventions/convention-abbeville-2018.pdf"), 1, "Un guichet unique de l'habitat est ouvert rue des Lingers"),
   r(c("bonnes-pratiques/chatellerault-pole-services-publics-manufacture.pdf"), 1, "guichet unique de l'OPAH-RU")])
q("paraphrase", "faire descendre les touristes du monument jusqu'aux rues marchandes de Lunéville",
  [r(P_LUN, 2, "attirer dans les commerces les 95 000 visiteurs annuels du château"),
   r(CONV_LUN, 2, "Amener les visiteurs du château vers les commerces.")])
q("paraphrase", "transformer une vieille usine du cuir en appartements pour les employés des entreprises du coin",
  [r(P_ANN, 2, "Il accueillera 24 logements, du T1 au T4"),
   r(c("conventions/convention-vienne-2018.pdf"), 1, "Transformation d'une ancienne usine de draps des bords de la Gère")])
q("paraphrase", "réserver à loyer doux des vitrines vides à des créateurs qui fabriquent des objets d'art",
  [r(P_LUN, 2, "La Ville louera à prix modéré des boutiques vides"),
   r(CONV_LUN, 2, "quatre ateliers-boutiques d'artisans d'art, loués à prix modéré"),
   r(c("conventions/convention-cahors-2018.pdf"), 2, "louées à des artisans d'art (céramique, cuir, ébénisterie)"),
   r(c("conventions/convention-vienne-2018.pdf"), 1, "ateliers d'artisans d'art au rez-de-chaussée")])
q("paraphrase", "faire choisir aux propriétaires des teintes harmonieuses pour l'extérieur de leurs bâtiments",
  [r(B_EPE, 2, "couleur choisie dans un nuancier"),
   r(c("conventions/convention-abbeville-2018.pdf"), 1, "conseils gratuits d'un architecte coloriste")])
q("paraphrase", "apprendre à remettre en état soi-même ses appareils cassés avec l'aide de bénévoles",
  [r(B_SDV, 2, "un atelier de réparation accueille chaque samedi les habitants"),
   r(c("conventions/avenant-lens-2023.pdf"), 1, "atelier de réparation et de réemploi")])
q("paraphrase", "ouvrir le bureau de conseil aux propriétaires le week-end pour ceux qui travaillent en semaine",
  [r(B_DRX, 2, "l'ouverture le samedi, qui représente à elle seule un tiers des visites"),
   r(CONV_DREUX, 1, "avec des permanences le samedi matin"),
   r(c("bonnes-pratiques/chatellerault-pole-services-publics-manufacture.pdf"), 1, "le pôle ouvre le samedi matin et un soir par semaine")])

# --- programme (later passages of the new conventions)
q("programme", "comment les habitants de Dreux participent-ils au suivi du programme cœur de ville ?",
  [r(CONV_DREUX, 2, "de vingt membres tirés au sort parmi les volontaires")])
q("programme", "devant quelle juridiction porter un litige sur la convention Action cœur de ville de Dreux",
  [r(CONV_DREUX, 2, "avant toute saisine du tribunal administratif d'Orléans")])
q("programme", "quand le financement de l'îlot de l'Hôtel-Dieu à Dreux doit-il être réexaminé ?",
  [r(CONV_DREUX, 2, "réexaminera en mars 2020 le plan de financement de l'îlot")])
q("programme", "à quel taux l'établissement public foncier porte-t-il les immeubles de Dreux",
  [r(CONV_DREUX, 2, "à un taux de frais de portage de 1 % par an")])
q("programme", "jusqu'à quand court la convention de Lunéville et quand est prévu le bilan à mi-parcours",
  [r(CONV_LUN, 2, "soit jusqu'au 26 octobre 2024")])
q("programme", "qui paie le chargé de mission habitat de l'équipe Action cœur de ville de Lunéville",
  [r(CONV_LUN, 2, "financé à parts égales par la Ville et la Communauté de communes")])
q("programme", "engagement du Département de Meurthe-et-Moselle pour le château dans la convention de Lunéville",
  [r(CONV_LUN, 2, "propriétaire du château, s'engage à coordonner ses investissements")])

# --- city_team
q("city_team", "ouvrir une ressourcerie en centre-ville : combien coûtent l'achat et les travaux du bâtiment",
  [r(B_SDV, 2, "1 400 m² sur deux niveaux 1,35 million d'euros")])
q("city_team", "permis de diviser : quelle surface minimale imposer aux logements créés",
  [r(B_NEV, 2, "chaque logement créé fait au moins 25 m²")])
q("city_team", "ravalement obligatoire des façades : quelle part des travaux la ville peut-elle subventionner",
  [r(B_EPE, 2, "elle prend en charge 30 % du montant des travaux"),
   r(c("conventions/convention-abbeville-2018.pdf"), 2, "accompagnée d'une prime communale de 30 % des travaux"),
   r(c("conventions/convention-vienne-2018.pdf"), 2, "avec subvention de 25 % et accompagnement par l'architecte"),
   r(c("bonnes-pratiques/cognac-opah-ru-centre-ancien.md"), 1, "Une campagne de ravalement obligatoire accompagne l'opération"),
   r(CONV_LUN, 1, "plafonnée à 8 000 € par immeuble")])
q("city_team", "navette gratuite de centre-ville : quel budget de fonctionnement annuel prévoir",
  [r(B_AUR, 2, "Le fonctionnement coûte 420 000 euros par an"),
   r(c("conventions/convention-cahors-2018.pdf"), 1, "relié au boulevard Gambetta par une navette électrique gratuite"),
   r(c("conventions/convention-agen-2018.pdf"), 1, "le parking relais du Gravier toutes les dix minutes"),
   r(c("bonnes-pratiques/gap-deplacements-actifs-centre.md"), 1, "parking relais de 250 places relié au centre par une navette gratuite"),
   r(c("conventions/convention-chatellerault-2018.pdf"), 1, "Création d'une navette électrique gratuite entre la gare")])
q("city_team", "créer une entrée séparée vers les logements au-dessus d'une boutique : montant de l'aide par immeuble",
  [r(B_LAN, 2, "une aide de 15 000 euros par immeuble"),
   r(c("conventions/convention-quimper-2018.pdf"), 1, "Aide spécifique à la création d'accès indépendants aux étages"),
   r(c("conventions/convention-abbeville-2018.pdf"), 1, "Les étages au-dessus des commerces sont fréquemment inoccupés faute d'accès indépendant"),
   r(CONV_DREUX, 1, "Les logements situés au-dessus des commerces sont vides faute d'accès séparé")])

# --- journalist
q("journalist", "combien de voyageurs par jour pour la navette Centre Express d'Aurillac",
  [r(B_AUR, 2, "la navette a transporté en moyenne 1 100 voyageurs par jour")])
q("journalist", "qui a signé la convention cœur de ville de Dreux et pour quel montant",
  [r(P_DREUX, 2, "engage les partenaires sur un programme de 32,7 millions d'euros"),
   r(CONV_DREUX, 2, "d'un montant total de 32 700 000 €")])
q("journalist", "combien a coûté le réaménagement des quais de Loire à Saumur",
  [r(P_SAU, 2, "le réaménagement a coûté 6,2 millions d'euros")])
q("journalist", "Bastia avenant 2023-2026 Action cœur de ville : combien de millions engagés",
  [r(P_BAS, 2, "Ce nouveau volet engage 18,4 millions d'euros sur quatre ans")])
q("journalist", "Nevers : combien d'immeubles sont visés par l'opération de restauration immobilière",
  [r(P_NEV, 2, "portant sur 14 immeubles très dégradés du centre-ville de Nevers"),
   r(B_NEV, 1, "l'opération de restauration immobilière engagée en 2020 sur quatorze immeubles")])
q("journalist", "Annonay mégisserie rue Boissy-d'Anglas : quand les logements seront-ils livrés",
  [r(P_ANN, 2, "la livraison des logements est prévue au printemps 2023")])

# --- deep
q("deep", "loyer payé par les internes logés par la ville de Lunéville",
  [r(B_LUN, 2, "pour un loyer de 150 euros par mois")])
q("deep", "tonnes d'objets détournés des déchetteries chaque année par la ressourcerie de Saint-Dié",
  [r(B_SDV, 2, "Tonnes d'objets détournées des déchetteries")])
q("deep", "nombre de places de stationnement supprimées place Léopold à Lunéville",
  [r(CONV_LUN, 2, "suppression de 120 places de stationnement de surface")])
q("deep", "tarif de l'abonnement résident au parking du Chardonnet",
  [r(P_SAU, 2, "avec un abonnement résident à 15 euros par mois")])

# --- filter
q("filter", "réhabilitation de logements", [
    r(CONV_LUN, 2, "Transformation d'une aile de l'ancienne caserne de cavalerie"),
    r(P_LUN, 2, "la transformation d'une aile de l'ancienne caserne de cavalerie en 90 appartements"),
    r(B_LUN, 1, "La Ville a rénové un grand appartement vacant de 160 m²")],
  {"city": ["54329"]})
q("filter", "OPAH-RU", [
    r(CONV_LUN, 2, "OPAH-RU et aide aux ravalements"),
    r(c("conventions/convention-epinal-2018.pdf"), 2, "OPAH-RU « Épinal rives de Moselle »")],
  {"doc_type": ["convention"], "region": ["Grand Est"]})
q("filter", "promenade au bord du fleuve", [
    r(P_SAU, 2, "1,1 kilomètre de quais a été rendu aux promeneurs")],
  {"departement": ["49"]})
q("filter", "conseils aux propriétaires pour rénover leur logement", [
    r(B_DRX, 2, "Sur place, le visiteur rencontre sans rendez-vous l'opérateur de l'OPAH-RU")],
  {"doc_type": ["bonne_pratique"], "region": ["Centre-Val de Loire"]})

# --- typo
q("typo", "ressourcrie saint dié des vosge", [r(B_SDV, 2, "une ressourcerie associative et un atelier de réparation")])
q("typo", "permi de divisé nevers logement", [r(B_NEV, 2, "toute division d'un logement en plusieurs logements")])
q("typo", "naveté electrique gratuite aurilac", [r(B_AUR, 2, "relie deux parkings relais situés aux entrées de la ville")])

# --- no_answer (checked by grep over corpus/documents and bench/heldout/documents)
for text in [
    "téléphérique urbain financé par le programme Action cœur de ville",
    "aide municipale à l'installation des cavistes dans le centre d'Épernay",
    "réouverture d'un cinéma de centre-ville grâce aux crédits Action cœur de ville",
    "date de signature de la convention Action cœur de ville d'Aurillac",
    "montant total de la convention Action cœur de ville de Saumur",
    "panneaux solaires sur les écoles du centre de Lannion",
    "fresques murales d'artistes pour égayer les rues commerçantes",
    "illuminations de Noël financées par le programme cœur de ville",
    "installation de caméras de vidéoprotection en centre-ville",
    "potagers sur les toits des immeubles du centre",
    "combien de logements vacants rénovés à Aurillac grâce à Action cœur de ville",
    "démolition de logements sociaux à Saint-Dié-des-Vosges",
]:
    q("no_answer", text, [])

with open("bench/heldout/queries.jsonl", "w", encoding="utf-8") as f:
    for i, x in enumerate(Q, 1):
        row = {"id": f"h{i:03d}", "split": "heldout", "kind": x["kind"], "query": x["query"], "filters": x["filters"], "relevant": x["relevant"]}
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
from collections import Counter
print(len(Q), Counter(x["kind"] for x in Q))

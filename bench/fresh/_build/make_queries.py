"""Write bench/fresh/queries.jsonl: the third held-out query batch (ids f001…), judged over bench/fresh/documents.

Written by hand before any run of the product. The check at the end only looks for each judged passage in
a plain rendering of the source (tags stripped, PDF text from pypdf, scanned pages from their source lines):
it does not use the product's reader.

    python bench/fresh/_build/make_queries.py
"""

from __future__ import annotations

import html
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRESH = HERE.parent
sys.path.insert(0, str(HERE))

D = "bench/fresh/documents/"

# (kind, persona, query, [(file, grade, passage)])
Q: list[tuple[str, str, str, list[tuple[str, int, str]]]] = [
    # -- paraphrases: the question's words differ from the passage's ------------------------------------------
    ("paraphrase", "city-team", "loger des jeunes en début de carrière dans les étages inutilisés des magasins", [
        ("grand-bourg-colocations-etages-commerces.html", 2, "division en grands appartements de quatre chambres, pensés pour la colocation"),
    ]),
    ("paraphrase", "city-team", "service de livraison à domicile mutualisé entre petits magasins indépendants", [
        ("chateauroux-conciergerie-commercants.html", 2, "les livre à vélo-cargo dans un rayon de quatre kilomètres"),
    ]),
    ("paraphrase", "city-team", "raccourcir le trajet à pied entre la station de train et le centre en rouvrant un passage", [
        ("saint-brieuc-venelle-gare-centre.md", 2, "Une ancienne venelle, fermée par des grilles depuis les années 1980"),
        ("ACV_St-Brieuc_convention-cadre_signee.pdf", 1, "Réouverture d'une venelle à travers l'îlot, avec escalier et rampe accessible"),
    ]),
    ("paraphrase", "city-team", "rafraîchir des places pavées qui deviennent brûlantes en été sans tout refaire", [
        ("ombre-et-fraicheur-places-perigueux.md", 2, "relevé jusqu'à 9 °C de moins au sol sous les voiles"),
        ("avenant-2-vierzon-2023.pdf", 1, "Désimperméabilisation de 8 000 m² de quais, plantation d'arbres d'alignement"),
    ]),
    ("paraphrase", "programme", "aider les petits immeubles en copropriété sans syndic à s'organiser avant qu'ils ne se dégradent", [
        ("laval-plateforme-coproprietes-fragiles.html", 2, "reçoivent la visite d'un opérateur qui les aide à s'organiser"),
        ("laval-avenant-1-ort-2020.pdf", 1, "Repérage annuel des copropriétés en difficulté et accompagnement par un opérateur"),
        ("ACV_St-Brieuc_convention-cadre_signee.pdf", 1, "des copropriétés fragiles des rues Saint-Guillaume"),
    ]),
    ("paraphrase", "city-team", "confier les devantures de locaux commerciaux inoccupés à des plasticiens", [
        ("vitrines-vides-artistes-rodez.html", 2, "prêter leurs vitrines à des artistes et artisans d'art du département"),
    ]),
    ("paraphrase", "city-team", "libérer les places devant les commerces en garant les voitures des salariés à l'extérieur de la ville", [
        ("lons-parking-relais-navette.md", 2, "Une navette électrique gratuite le relie au centre toutes les 8 minutes"),
        ("figeac-etude-stationnement-banque-des-territoires.html", 1, "un plan de circulation avec une navette depuis le parking du foirail"),
    ]),
    ("paraphrase", "city-team", "transformer un pâté de maisons insalubres en appartements spacieux pour familles avec espace vert", [
        ("ilot-saint-cosme-logements-familiaux.html", 2, "créer un jardin partagé de 900 m²"),
    ]),
    ("paraphrase", "city-team", "redonner vie à un marché couvert qui n'ouvrait qu'une fois par semaine", [
        ("fougeres-halles-tiers-lieu-alimentaire.html", 2, "les halles n'ouvraient plus qu'un matin par semaine"),
        ("st-gaudens-debut-travaux-halle-aux-grains.html", 1, "Elle accueillera le marché de plein vent, un carreau des producteurs"),
        ("cp-prefecture-allier-dsil-coeurs-de-ville-2022.html", 1, "pour la rénovation du marché couvert et la création de huit cellules"),
        ("convention_cadre_issoudun_2018.pdf", 1, "Rénovation des halles et création d'un marché de producteurs"),
        ("SCAN_avenant_ACV_Millau_signe.pdf", 1, "création d'un marché couvert de producteurs place Foch"),
        ("ACV_St-Brieuc_convention-cadre_signee.pdf", 1, "Rénovation des halles Georges-Brassens et réorganisation du marché"),
    ]),
    ("paraphrase", "city-team", "simplifier les démarches de quelqu'un qui veut ouvrir un magasin en centre-ville", [
        ("vitre-guichet-unique-porteurs-projets.md", 2, "réunit tous ces interlocuteurs en une seule réunion de 90 minutes"),
    ]),
    ("paraphrase", "city-team", "places d'accueil pour les tout-petits dans un bâtiment culturel du centre", [
        ("gueret-micro-creche-mediatheque.htm", 2, "installe une micro-creche de douze berceaux, avec une entree independante"),
    ]),
    ("paraphrase", "city-team", "autoriser les riverains à semer des fleurs contre la façade de leur maison", [
        ("selestat-permis-de-vegetaliser.markdown", 2, "La Ville délivre depuis 2021 un permis de végétaliser gratuit"),
    ]),
    ("paraphrase", "city-team", "reconvertir un vieil hôpital en habitat partagé entre générations", [
        ("dieppe-hotel-dieu-residence-intergenerationnelle.html", 2, "Le bailleur a créé 64 logements : 36 pour des personnes âgées"),
    ]),
    ("paraphrase", "city-team", "attirer des généralistes en centre-ville en rachetant les locaux d'une agence de crédit désaffectée", [
        ("fiche-bp-ales-maison-sante-ancienne-banque.pdf", 2, "six médecins généralistes, deux kinésithérapeutes, trois infirmières"),
    ]),
    ("paraphrase", "city-team", "expérimenter temporairement la piétonnisation d'une promenade au bord de la rivière pour convaincre les boutiques", [
        ("retour-experience-quais-yonne.pdf", 2, "un test grandeur nature a fermé les quais aux voitures"),
    ]),
    ("paraphrase", "journalist", "équipement mécanique pour monter sans effort vers les quartiers perchés", [
        ("tulle_ascenseur_urbain.pdf", 2, "L'ascenseur urbain relie en 35 secondes le parvis de la gare"),
    ]),
    ("paraphrase", "journalist", "école de musique et de danse déménagée dans un monument ancien du centre", [
        ("scan_fiche_rex_conservatoire.pdf", 2, "l'ancien collège des Jésuites, propriété de la Ville"),
        ("convention_cadre_issoudun_2018.pdf", 1, "Regroupement de l'école de musique et de la médiathèque dans l'ancien couvent"),
    ]),
    ("paraphrase", "journalist", "subventions de l'État accordées en 2022 à trois villes moyennes d'un même département", [
        ("cp-prefecture-allier-dsil-coeurs-de-ville-2022.html", 2, "1,8 million d'euros de dotation de soutien à l'investissement local"),
    ]),
    ("paraphrase", "journalist", "deuxième phase du dispositif à Vierzon : transformer d'anciennes usines en habitations et ateliers", [
        ("vierzon-signature-avenant-2023-2026.html", 2, "la reconversion du site des anciennes usines Case en quartier mixte"),
        ("avenant-2-vierzon-2023.pdf", 2, "reconversion des halles industrielles en un quartier mixte de 90 logements"),
    ]),
    ("paraphrase", "journalist", "investissement en capital pour réaménager un hôtel des postes en locaux pour start-up", [
        ("bdt-st-quentin-ancienne-poste-pole-entreprises.html", 2, "La Banque des Territoires apporte 3,2 millions d'euros en fonds propres"),
    ]),
    ("paraphrase", "journalist", "une ville remplace un parking par une place piétonne plantée avec des jeux d'eau", [
        ("montelimar-inauguration-place-du-temple.html", 2, "une fontaine à jets au sol qui rafraîchit les enfants l'été"),
    ]),
    ("paraphrase", "journalist", "lieu unique pour se faire aider dans ses papiers avec la sécurité sociale ou les allocations, au centre", [
        ("morlaix-ouverture-france-services-place-des-otages.html", 2, "Deux conseillères accueillent le public du lundi au samedi matin"),
        ("convention-acv-marmande-tonneins.pdf", 1, "accueil mutualisé des services publics"),
    ]),
    ("paraphrase", "journalist", "logements rénovés pour les employés du coin financés par la participation des employeurs", [
        ("action-logement-38-logements-centre.html", 2, "38 logements à des salariés des entreprises du bassin d'emploi"),
    ]),
    ("paraphrase", "city-team", "aménager une voie sans trottoirs où les marcheurs passent avant les véhicules", [
        ("albi-rue-croix-verte-zone-de-rencontre.html", 2, "les piétons y sont prioritaires sur la chaussée"),
    ]),
    ("paraphrase", "journalist", "réunir trains, cars, vélos et bateaux-bus devant la station ferroviaire", [
        ("sete-pole-echanges-multimodal-gare.html", 2, "la navette fluviale qui dessert le centre par les canaux"),
        ("convention-acv-marmande-tonneins.pdf", 1, "création d'une gare routière et d'un abri à vélos sécurisé"),
    ]),
    ("paraphrase", "programme", "combien de mesures prévues sont déjà lancées trois ans après la signature", [
        ("prefecture-haute-marne-comite-projet-chaumont.html", 2, "31 des 42 actions prévues sont engagées"),
    ]),
    ("paraphrase", "journalist", "remettre en service un vieux cinéma de quartier fermé depuis des années", [
        ("pontivy-reouverture-cinema-le-rex.html", 2, "La salle historique de 1936 a été restaurée"),
        ("anct-rencontre-nationale-coeur-de-ville-2023.html", 1, "pour la réouverture de son cinéma de centre-ville"),
    ]),
    ("paraphrase", "city-team", "aide financière de la mairie pour chaque appartement vide qui retrouve un locataire", [
        ("vesoul-accord-bailleurs-logements-vacants.html", 2, "une prime municipale de 5 000 euros par logement remis en location"),
        ("numerisation_20211004_0931.pdf", 1, "une prime de la Ville pouvant atteindre 8 000 euros par logement"),
    ]),
    ("paraphrase", "city-team", "loyers réduits les premières années pour attirer des commerçants dans des boutiques vides", [
        ("2022-09-26-communique-rdc-bastide.pdf", 2, "50 % du loyer de marché la première année"),
    ]),
    ("paraphrase", "programme", "accompagnement sans frais des bailleurs et occupants d'un quartier historique pendant cinq ans", [
        ("lexique-habitat-ancien.md", 2, "un opérateur conseille gratuitement les propriétaires d'un quartier ancien"),
        ("numerisation_20211004_0931.pdf", 2, "peuvent bénéficier de conseils gratuits et d'aides financières"),
        ("convention-acv-marmande-tonneins.pdf", 1, "Opération programmée sur les bastides de Marmande et la ville haute"),
        ("avis-marche-etude-opah-ru-chateau-thierry.html", 1, "préalable à la mise en place d'une opération programmée d'amélioration"),
        ("ACV_St-Brieuc_convention-cadre_signee.pdf", 1, "Rénovation de 220 logements privés, dont des copropriétés fragiles"),
    ]),
    # -- keywords ------------------------------------------------------------------------------------------------------
    ("keyword", "programme", "ORT dispense d'autorisation d'exploitation commerciale", [
        ("CP_prefecture_meuse_ORT_Bar-le-Duc.pdf", 2, "dispense d'autorisation d'exploitation commerciale en centre-ville"),
        ("laval-avenant-1-ort-2020.pdf", 2, "les projets commerciaux sont dispensés d'autorisation d'exploitation commerciale"),
    ]),
    ("keyword", "journalist", "conciergerie commerçants vélo-cargo", [
        ("chateauroux-conciergerie-commercants.html", 2, "la conciergerie est gérée par l'association des commerçants"),
    ]),
    ("keyword", "city-team", "permis de végétaliser", [
        ("selestat-permis-de-vegetaliser.markdown", 2, "La Ville délivre depuis 2021 un permis de végétaliser gratuit"),
    ]),
    ("keyword", "journalist", "DSIL marché couvert Moulins", [
        ("cp-prefecture-allier-dsil-coeurs-de-ville-2022.html", 2, "720 000 euros pour la rénovation du marché couvert"),
    ]),
    ("keyword", "city-team", "maison de santé pluriprofessionnelle centre-ville", [
        ("fiche-bp-ales-maison-sante-ancienne-banque.pdf", 2, "La maison de santé réunit aujourd'hui six médecins généralistes"),
        ("prefecture-haute-marne-comite-projet-chaumont.html", 1, "l'ouverture d'une maison de santé pluriprofessionnelle"),
    ]),
    ("keyword", "city-team", "bail à réhabilitation", [
        ("grand-bourg-colocations-etages-commerces.html", 2, "prend les logements en gestion par bail à réhabilitation de quinze ans"),
        ("lexique-habitat-ancien.md", 2, "Contrat par lequel un propriétaire confie son logement à un organisme"),
    ]),
    ("keyword", "city-team", "offre d'emploi chef de projet Action cœur de ville", [
        ("offre-emploi-chef-de-projet-coeur-de-ville-saint-lo.html", 2, "pilotez la mise en œuvre de la convention Action cœur de ville"),
    ]),
    ("keyword", "programme", "opération de restauration immobilière avenue de la République", [
        ("avenant-2-vierzon-2023.pdf", 2, "Déclaration d'utilité publique des travaux sur 22 immeubles dégradés"),
        ("vierzon-signature-avenant-2023-2026.html", 1, "l'opération de restauration immobilière de l'avenue de la République"),
        ("lexique-habitat-ancien.md", 1, "la collectivité impose des travaux sur des immeubles désignés"),
    ]),
    ("keyword", "journalist", "pôle d'échanges multimodal gare parvis", [
        ("sete-pole-echanges-multimodal-gare.html", 2, "Le nouveau pôle d'échanges multimodal de la gare est ouvert au public"),
        ("convention-acv-marmande-tonneins.pdf", 1, "Réaménagement du parvis de la gare, création d'une gare routière"),
        ("saint-brieuc-venelle-gare-centre.md", 1, "Entre le pôle d'échanges multimodal et la place du Chai"),
    ]),
    ("keyword", "programme", "étude pré-opérationnelle OPAH-RU", [
        ("avis-marche-etude-opah-ru-chateau-thierry.html", 2, "Étude pré-opérationnelle préalable à la mise en place d'une opération"),
    ]),
    ("keyword", "city-team", "zone de rencontre 20 km/h", [
        ("albi-rue-croix-verte-zone-de-rencontre.html", 2, "la vitesse des véhicules est limitée à 20 km/h"),
    ]),
    ("keyword", "programme", "manager de commerce partagé entre deux communes", [
        ("convention-acv-marmande-tonneins.pdf", 2, "Recrutement d'un manager de centre-ville partagé entre les deux communes"),
    ]),
    # -- names: streets, places, operators as written ---------------------------------------------------------------------
    ("name", "city-team", "rue Notre-Dame rue Bichat", [
        ("grand-bourg-colocations-etages-commerces.html", 2, "Rue Notre-Dame et rue Bichat, des étages vides depuis vingt ans"),
    ]),
    ("name", "journalist", "Dynacité", [
        ("grand-bourg-colocations-etages-commerces.html", 2, "Le bailleur Dynacité prend les logements en gestion"),
    ]),
    ("name", "journalist", "halles place Aristide-Briand", [
        ("fougeres-halles-tiers-lieu-alimentaire.html", 2, "les halles de la place Aristide-Briand vivent désormais toute la semaine"),
    ]),
    ("name", "journalist", "hôtel-Dieu rue Saint-Jacques", [
        ("dieppe-hotel-dieu-residence-intergenerationnelle.html", 2, "l'ancien hôtel-Dieu de la rue Saint-Jacques occupait un îlot entier"),
    ]),
    ("name", "programme", "usines Case", [
        ("vierzon-signature-avenant-2023-2026.html", 2, "la reconversion du site des anciennes usines Case"),
        ("avenant-2-vierzon-2023.pdf", 2, "Reconversion du site des usines Case"),
    ]),
    ("name", "city-team", "place de la Clautre", [
        ("ombre-et-fraicheur-places-perigueux.md", 2, "des micocouliers en bacs enterrés, place de la Clautre"),
    ]),
    ("name", "journalist", "rue Croix-Verte", [
        ("albi-rue-croix-verte-zone-de-rencontre.html", 2, "la rue Croix-Verte et ses abords deviennent une zone de rencontre"),
    ]),
    ("name", "journalist", "place Emma-Calvé beffroi", [
        ("SCAN_avenant_ACV_Millau_signe.pdf", 2, "restauration du beffroi et requalification de la place Emma-Calvé"),
    ]),
    ("name", "programme", "boulevard de la Rochelle", [
        ("CP_prefecture_meuse_ORT_Bar-le-Duc.pdf", 2, "les rues commerçantes du boulevard de la Rochelle"),
        ("ORT-bar-le-duc-2019.pdf", 2, "Le secteur d'intervention comprend la ville haute, le quartier de la gare"),
    ]),
    ("name", "programme", "Val de Garonne Agglomération", [
        ("convention-acv-marmande-tonneins.pdf", 2, "Val de Garonne Agglomération, représentée par son président"),
    ]),
    ("name", "journalist", "avenue Marx-Dormoy travaux", [
        ("arrete-circulation-2023-118.pdf", 2, "la circulation sera alternée par feux tricolores avenue Marx-Dormoy"),
    ]),
    ("name", "journalist", "cinéma Le Rex", [
        ("pontivy-reouverture-cinema-le-rex.html", 2, "le cinéma Le Rex, rue du Général-de-Gaulle, rouvre ce mercredi"),
    ]),
    # -- no answer in the fresh documents --------------------------------------------------------------------------------
    ("no_answer", "city-team", "tarif du stationnement résidentiel à Laval", []),
    ("no_answer", "journalist", "combien coûte la rénovation du théâtre de Rodez", []),
    ("no_answer", "city-team", "subvention européenne FEDER pour une piscine en centre-ville", []),
    ("no_answer", "journalist", "résultats des élections municipales de Bressuire", []),
    ("no_answer", "journalist", "programme du festival de théâtre de rue de Figeac en juillet", []),
    ("no_answer", "city-team", "aide pour installer une borne de recharge électrique en copropriété", []),
    ("no_answer", "journalist", "date de fin des travaux du tramway de Saint-Brieuc", []),
    ("no_answer", "programme", "conventions Action cœur de ville signées en Corse", []),
    ("no_answer", "city-team", "ouvrir une école de commerce dans une caserne reconvertie", []),
    ("no_answer", "programme", "démolition d'une tour de logements sociaux en quartier prioritaire", []),
    ("no_answer", "city-team", "réglementer les enseignes lumineuses la nuit", []),
    ("no_answer", "journalist", "taux de vacance commerciale à Sélestat", []),
]


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def plain(path: Path, scans: dict[str, str]) -> str:
    """Source text, not the product's reading: tags stripped, markdown marks dropped, pypdf for text PDFs."""
    if path.name in scans:
        return scans[path.name]
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    text = path.read_text("utf-8")
    if path.suffix in (".html", ".htm"):
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    else:
        text = text.replace("**", "").replace("_", "")
    return text


def main() -> None:
    import build

    scans = {d["file"]: " ".join(t for k, t in d["lines"] if isinstance(t, str)) for d in build.all_docs() if d["render"] == "scan"}
    labels = {json.loads(x)["file"] for x in (FRESH / "labels.jsonl").read_text("utf-8").splitlines()}
    rows, errors = [], []
    for n, (kind, persona, query, rel) in enumerate(Q, start=1):
        qid = f"f{n:03d}"
        judged = []
        for f, grade, passage in rel:
            path = FRESH / "documents" / f
            if D + f not in labels:
                errors.append(f"{qid}: {f} is not a labelled document")
                continue
            words = len(norm(passage).split())
            if not 4 <= words <= 12:
                errors.append(f"{qid}: passage of {words} words ({f})")
            if norm(passage) not in norm(plain(path, scans)):
                errors.append(f"{qid}: passage not in {f}: {passage!r}")
            judged.append({"file": D + f, "grade": grade, "passage": passage})
        if kind != "no_answer" and not any(r["grade"] == 2 for r in judged):
            errors.append(f"{qid}: no grade-2 document")
        rows.append(
            {"id": qid, "split": "heldout", "kind": kind, "persona": persona, "query": query, "filters": {}, "relevant": judged}
        )
    if errors:
        raise SystemExit("\n".join(errors))
    (FRESH / "queries.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["kind"]] = counts.get(r["kind"], 0) + 1
    print(f"{len(rows)} queries: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()

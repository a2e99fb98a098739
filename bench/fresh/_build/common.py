"""Small helpers shared by the content modules."""

from __future__ import annotations

INSEE = {
    "Albi": "81004",
    "Alès": "30007",
    "Auxerre": "89024",
    "Bar-le-Duc": "55029",
    "Bourg-en-Bresse": "01053",
    "Bressuire": "79049",
    "Carcassonne": "11069",
    "Chalon-sur-Saône": "71076",
    "Château-Thierry": "02168",
    "Châteauroux": "36044",
    "Chaumont": "52121",
    "Dieppe": "76217",
    "Dole": "39198",
    "Figeac": "46102",
    "Fougères": "35115",
    "Guéret": "23096",
    "Issoudun": "36088",
    "Laval": "53130",
    "Lons-le-Saunier": "39300",
    "Marmande": "47157",
    "Mende": "48095",
    "Millau": "12145",
    "Montélimar": "26198",
    "Montluçon": "03185",
    "Morlaix": "29151",
    "Moulins": "03190",
    "Périgueux": "24322",
    "Pontivy": "56178",
    "Rodez": "12202",
    "Romorantin-Lanthenay": "41194",
    "Saint-Brieuc": "22278",
    "Saint-Dizier": "52448",
    "Saint-Gaudens": "31483",
    "Saint-Lô": "50502",
    "Saint-Omer": "62765",
    "Saint-Quentin": "02691",
    "Sélestat": "67462",
    "Sète": "34301",
    "Tonneins": "47310",
    "Tulle": "19272",
    "Vesoul": "70550",
    "Vichy": "03310",
    "Vierzon": "18279",
    "Vitré": "35360",
    "Castres": "81065",
    "Mazamet": "81163",
    "Villefranche-de-Rouergue": "12300",
    "Brive-la-Gaillarde": "19031",
    "Cherbourg-en-Cotentin": "50129",
    "Lannion": "22113",
    "Saint-Malo": "35288",
    "Redon": "35236",
    "Aubenas": "07019",
    "Narbonne": "11262",
    "Béziers": "34032",
    "Cahors": "46042",
    "Autun": "71014",
    "Le Creusot": "71153",
    "Mâcon": "71270",
    "Vire Normandie": "14762",
    "Saint-Dié-des-Vosges": "88413",
    "Pamiers": "09225",
    "Foix": "09122",
    "Châteaudun": "28088",
    "Gien": "45155",
    "Montargis": "45208",
    "Blois": "41018",
    "Bourges": "18033",
    "Nevers": "58194",
    "Soissons": "02722",
    "Laon": "02408",
    "Calais": "62193",
    "Boulogne-sur-Mer": "62160",
    "Haguenau": "67180",
    "Saverne": "67437",
    "Verdun": "55545",
    "Chartres": "28085",
    "Lorient": "56121",
    "Quimper": "29232",
    "Lisieux": "14366",
    "Fécamp": "76259",
    "Frontignan": "34108",
}


def C(*names: str) -> list[str]:
    """INSEE codes of communes given by name."""
    return [INSEE[n] for n in names]


def L(
    doc_type: str,
    axes: list[int],
    main: str | None,
    cities: list[str],
    mentioned: list[str],
    date: str | None,
    title: str,
    labelled_axis: bool = False,
) -> dict:
    """One label, written by hand before any run of the product."""
    return {
        "doc_type": doc_type,
        "axes": sorted(axes),
        "main_city": INSEE[main] if main else None,
        "cities": C(*cities),
        "mentioned_cities": C(*mentioned),
        "date": date,
        "title": title,
        "labelled_axis": labelled_axis,
    }


def P(*paras: str) -> str:
    """Body paragraphs; a string starting with '<' is kept as raw HTML."""
    out = []
    for p in paras:
        out.append(f"      {p}" if p.startswith("<") else f"      <p>{p}</p>")
    return "\n".join(out)

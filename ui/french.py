"""French for the few sentences Streamlit writes itself (file uploader, input hints, « Page not found »).

Streamlit has no locale setting: these strings are compiled into its front end. Options that remove a string
are used where they exist (`select_all=False` on the filter lists drops « Select all »); for the rest, a
small script added once to the page (`st.html(..., unsafe_allow_javascript=True)`, which runs in the page
itself) rewrites the English text nodes as they appear, watching the page with a MutationObserver. Only the
exact sentences below are touched, never document text. `ENGLISH` lists what the browser test
(tests/test_ui_newcomer.py) must never find on a rendered page.
"""

from __future__ import annotations

import json

import streamlit as st

# (regular expression over a whole text node, French replacement with $1… groups)
TRANSLATIONS: tuple[tuple[str, str], ...] = (
    (r"^Drag and drop (?:a )?files? here$", "Glissez-déposez un fichier ici"),
    (r"^Upload$", "Choisir un fichier"),
    (r"^Browse files$", "Choisir un fichier"),
    (r"^(\d+(?:\.\d+)?)\s?([KMG])B per file$", "$1 $2o au plus par fichier"),
    (r"^(\d+(?:\.\d+)?)\s?B$", "$1 o"),  # the size of a chosen file
    (r"^(\d+(?:\.\d+)?)\s?([KMG])B$", "$1 $2o"),
    (r"^Page not found$", "Page introuvable"),
    (r"^You have requested page /(.*), but no corresponding file was found in the app's pages/ directory\. "
     r"Running the app's main page\.$", "La page « /$1 » n'existe pas : la page d'accueil s'affiche."),
    (r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
     "Cette page n'existe pas : la page d'accueil s'affiche."),
    (r"^Press Enter to apply$", "Appuyez sur Entrée pour valider"),
    (r"^Press Enter to submit form$", "Appuyez sur Entrée pour envoyer le formulaire"),
    (r"^Select all$", "Tout sélectionner"),
    (r"^Select (\d+) matches$", "Sélectionner les $1 résultats"),
    (r"^No results$", "Aucun résultat"),
    (r"^Choose an option$", "Choisissez une valeur"),
    (r"^Choose options$", "Choisissez des valeurs"),
    (r"^Running\.\.\.$", "Calcul en cours…"),
    (r"^Stop$", "Arrêter"),
    (r"^Connecting$", "Connexion…"),
    (r"^Connection error$", "Connexion perdue"),
    (r"^Clear all$", "Tout effacer"),
    (r"^Close$", "Fermer"),
    (r"^Skip to main content$", "Aller au contenu principal"),
    (r"^dd$", "jj"),
    (r"^yyyy$", "aaaa"),
    (r"^DD/MM/YYYY$", "JJ/MM/AAAA"),
)

# Strings a French user must not meet on any page (checked in Chromium by the browser tests).
ENGLISH: tuple[str, ...] = (
    "Select all", "Upload", "per file", "Drag and drop", "Browse files", "Page not found", "is not available",
    "Press Enter", "No results", "Choose an option", "Running...", "You have requested page", "Skip to main",
    "yyyy",
)

_SCRIPT = """
<script>
(function () {
  const doc = window.document;
  if (doc.documentElement.dataset.acvFrench) { return; }
  doc.documentElement.dataset.acvFrench = "1";
  const rules = RULES.map(([re, fr]) => [new RegExp(re), fr]);
  const ATTRS = ["placeholder", "title", "aria-label"];
  function translate(text) {
    const trimmed = text.trim();
    if (!trimmed) { return null; }
    for (const [re, fr] of rules) {
      if (re.test(trimmed)) { return text.replace(trimmed, trimmed.replace(re, fr)); }
    }
    return null;
  }
  function fix(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      const fr = translate(node.data);
      if (fr !== null && fr !== node.data) { node.data = fr; }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) { return; }
    for (const attr of ATTRS) {
      const value = node.getAttribute(attr);
      if (value) {
        const fr = translate(value);
        if (fr !== null && fr !== value) { node.setAttribute(attr, fr); }
      }
    }
    const walker = doc.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    let t;
    while ((t = walker.nextNode())) {
      const fr = translate(t.data);
      if (fr !== null && fr !== t.data) { t.data = fr; }
    }
    for (const el of node.querySelectorAll("[placeholder],[title],[aria-label]")) {
      for (const attr of ATTRS) {
        const value = el.getAttribute(attr);
        if (value) {
          const fr = translate(value);
          if (fr !== null && fr !== value) { el.setAttribute(attr, fr); }
        }
      }
    }
  }
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "characterData") { fix(m.target); }
      else if (m.type === "attributes") { fix(m.target); }
      else { m.addedNodes.forEach(fix); }
    }
  }).observe(doc.body, {subtree: true, childList: true, characterData: true, attributes: true,
                        attributeFilter: ATTRS});
  fix(doc.body);
})();
</script>
"""


def script() -> str:
    """The page script with its rules (kept apart from Streamlit so that it can be checked as text)."""
    return _SCRIPT.replace("RULES", json.dumps([list(r) for r in TRANSLATIONS], ensure_ascii=False))


def speak_french() -> None:
    """Add the script to the page (once per page load: it marks the document and returns on later runs)."""
    with st.sidebar:
        st.html(script(), unsafe_allow_javascript=True)

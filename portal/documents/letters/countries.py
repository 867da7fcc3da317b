"""Countries in a letter's sentences: "a citizen of the United States", "qui a la citoyenneté du Mexique",
"in the Netherlands", "aux États-Unis". The names are the project's own list (``rules.kinds.country_names``,
pycountry's ISO 3166 names, the names every page shows); this module only knows how each language puts
a name in a sentence: the English "the" of "the United States", the French article of each name ("la
France", "le Mexique", "l'Italie", "les États-Unis", none for "Cuba" or "Singapour") and what "de" and
"in" become with it ("du Mexique", "des États-Unis", "d'Israël"; "au Mexique", "en France", "à Cuba").

A sentence never needs the worker's gender: French says "qui a la citoyenneté de la France", not
"citoyen(ne) de la France". A name that is not in the list (typed elsewhere, an old snapshot) is written
as it is, without an article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from rules.kinds import country_names

# English names that take "the" in a sentence, and the sentence form of the list's inverted names
# ("Congo, The Democratic Republic of the" is the list's sort order, not a sentence's words).
ENGLISH: dict[str, str] = {
    "AE": "the United Arab Emirates",
    "AX": "the Åland Islands",
    "BQ": "Bonaire, Sint Eustatius and Saba",
    "BS": "the Bahamas",
    "CC": "the Cocos (Keeling) Islands",
    "CD": "the Democratic Republic of the Congo",
    "CF": "the Central African Republic",
    "CG": "the Republic of the Congo",
    "CK": "the Cook Islands",
    "DO": "the Dominican Republic",
    "FK": "the Falkland Islands",
    "FM": "the Federated States of Micronesia",
    "FO": "the Faroe Islands",
    "GB": "the United Kingdom",
    "GM": "the Gambia",
    "GS": "South Georgia and the South Sandwich Islands",
    "IM": "the Isle of Man",
    "IO": "the British Indian Ocean Territory",
    "KM": "the Comoros",
    "KY": "the Cayman Islands",
    "MF": "Saint Martin",
    "MH": "the Marshall Islands",
    "MP": "the Northern Mariana Islands",
    "MV": "the Maldives",
    "NL": "the Netherlands",
    "PH": "the Philippines",
    "PN": "the Pitcairn Islands",
    "PS": "the State of Palestine",
    "RU": "the Russian Federation",
    "SB": "the Solomon Islands",
    "SC": "Seychelles",
    "SX": "Sint Maarten",
    "TC": "the Turks and Caicos Islands",
    "TF": "the French Southern Territories",
    "UM": "the United States Minor Outlying Islands",
    "US": "the United States",
    "VA": "the Holy See",
    "VG": "the British Virgin Islands",
    "VI": "the United States Virgin Islands",
}

# French: (article, name) where the list's name is inverted or its article is not the rule's. The rule:
# a name starting with a vowel takes "l'" ("l'Italie", "l'Iran"), one whose first word ends in -e is
# feminine ("la France", "la Corée du Sud"), any other masculine ("le Japon", "le Royaume-Uni"); "Îles
# ..." are plural; "Saint-..." and "Sao ..." take none, nor the islands and city-states below.
FRENCH: dict[str, tuple[str, str]] = {
    # inverted in the list
    "AX": ("les", "îles Åland"),
    "CC": ("les", "îles Cocos (Keeling)"),
    "CX": ("l'", "île Christmas"),
    "FK": ("les", "îles Malouines"),
    "FM": ("les", "États fédérés de Micronésie"),
    "PS": ("l'", "État de Palestine"),
    "RE": ("la", "Réunion"),
    "RU": ("la", "Russie"),
    "SB": ("les", "Îles Salomon"),
    "VA": ("le", "Saint-Siège"),
    "VI": ("les", "îles Vierges des États-Unis"),
    "MF": ("", "Saint-Martin"),
    "SX": ("", "Sint Maarten"),
    # masculine names ending in -e
    "BZ": ("le", "Belize"),
    "KH": ("le", "Cambodge"),
    "MX": ("le", "Mexique"),
    "MZ": ("le", "Mozambique"),
    "ZW": ("le", "Zimbabwe"),
    # plural names
    "AE": ("les", "Émirats arabes unis"),
    "AS": ("les", "Samoa américaines"),
    "BM": ("les", "Bermudes"),
    "BS": ("les", "Bahamas"),
    "FJ": ("les", "Fidji"),
    "KM": ("les", "Comores"),
    "MV": ("les", "Maldives"),
    "NL": ("les", "Pays-Bas"),
    "PH": ("les", "Philippines"),
    "PW": ("les", "Palaos"),
    "SC": ("les", "Seychelles"),
    "TF": ("les", "Terres australes françaises"),
    "US": ("les", "États-Unis"),
    # a name of the form "... et ..." that is a country's own: no article
    "AG": ("", "Antigua-et-Barbuda"),
    "TT": ("", "Trinité-et-Tobago"),
    "WF": ("", "Wallis-et-Futuna"),
    "BQ": ("", "Bonaire, Saint-Eustache et Saba"),
    # the sentence's article is not the rule's
    "GW": ("la", "Guinée-Bissau"),
    "IO": ("le", "Territoire britannique de l'océan Indien"),
    "SL": ("la", "Sierra Leone"),
}
# Islands and city-states: no article ("de Cuba", "à Singapour", "d'Israël")
WITHOUT_ARTICLE = frozenset(
    "AI AW BH CU CW CY DJ GG GI GU HK HT IL JE KI MC MG MO MS MT MU NR NU OM PR SG TK TO TV TW WS YT".split()
)
# "in" where the rule's is not the one used: a country without an article takes "à" ("à Cuba") but these
# "en"; some islands named with "la" take "à la" ("à la Barbade", not "en Barbade")
FRENCH_IN = {
    "HT": "en Haïti",
    "IL": "en Israël",
    "BB": "à la Barbade",
    "DM": "à la Dominique",
    "GD": "à la Grenade",
    "RE": "à La Réunion",
    "PS": "en Palestine",
}
VOWELS = "AEIOUÂÉÈÊÎÏÔÛÅaeiouâéèêîïôûå"


def _french(code: str) -> tuple[str, str]:
    """(article, name) of a country in a French sentence: "la", "le", "l'", "les" or ""."""
    if code in FRENCH:
        return FRENCH[code]
    name = country_names("fr").get(code, code)
    if code in WITHOUT_ARTICLE:
        return "", name
    if name.startswith("Îles "):
        return "les", name
    if name.startswith(("Saint-", "Sainte-", "Sao ")):
        return "", name
    if name[:1] in VOWELS:
        return "l'", name
    # the gender of the name's first word: "la Corée du Sud", "le Royaume-Uni"
    return ("la" if name.split(" ")[0].endswith("e") else "le"), name


@cache
def _codes_by_name(lang: str) -> dict[str, str]:
    return {name: code for code, name in country_names(lang).items()}


def code_of(letter: dict[str, Any], name: str | None) -> str | None:
    """The code of a country the snapshot names in the letter's language (the letter snapshot keeps the
    names it prints), or None when the name is not one of the list's."""
    if not name:
        return None
    return _codes_by_name(letter["lang"]).get(name) or _codes_by_name("en").get(name)


def _known(code_or_name: str) -> str | None:
    return code_or_name if code_or_name in country_names("en") else None


def the(letter: dict[str, Any], code: str) -> str:
    """The country as a sentence names it: "the United States", "France" / "les États-Unis", "la France"."""
    if letter["lang"] == "fr":
        article, name = _french(code)
        return f"{article}{name}" if article.endswith("'") else f"{article} {name}".strip()
    return ENGLISH.get(code) or country_names("en").get(code, code)


def of(letter: dict[str, Any], code: str) -> str:
    """ "of the United States" / "des États-Unis", "du Mexique", "de la France", "de l'Italie", "d'Israël"."""
    if letter["lang"] != "fr":
        return f"of {the(letter, code)}"
    article, name = _french(code)
    if article == "le":
        return f"du {name}"
    if article == "les":
        return f"des {name}"
    if article == "":
        return f"d'{name}" if name[:1] in VOWELS or code == "HT" else f"de {name}"  # "d'Haïti": h muet
    return f"de {the(letter, code)}"


def in_(letter: dict[str, Any], code: str) -> str:
    """ "in the United States" / "aux États-Unis", "au Mexique", "en France", "en Iran", "à Cuba"."""
    if letter["lang"] != "fr":
        return f"in {the(letter, code)}"
    if code in FRENCH_IN:
        return FRENCH_IN[code]
    article, name = _french(code)
    if article == "le":
        return f"au {name}"
    if article == "les":
        return f"aux {name}"
    if article == "":
        return f"à {name}"
    if article == "l'" and name[:1] in "îÎ":  # an island: "à l'île de Man"
        return f"à l'{name}"
    return f"en {name}"


def _and(letter: dict[str, Any], parts: Sequence[str]) -> str:
    """ "A, B and C" / "A, B et C"."""
    word = " et " if letter["lang"] == "fr" else " and "
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + word + parts[-1]


def codes(letter: dict[str, Any], names_or_codes: Iterable[str]) -> list[str]:
    """The codes of countries given by code or by the name the snapshot keeps (an unknown name kept)."""
    out = []
    for value in names_or_codes:
        out.append(_known(value) or code_of(letter, value) or value)
    return out


def _phrase(letter: dict[str, Any], value: str, how: str) -> str:
    if _known(value) is None:  # not one of the list's: the name as it is
        if how == "the":
            return value
        return (
            {"of": f"de {value}", "in": f"à {value}"}[how]
            if letter["lang"] == "fr"
            else f"{'of' if how == 'of' else 'in'} {value}"
        )
    return {"the": the, "of": of, "in": in_}[how](letter, value)


def list_of(letter: dict[str, Any], values: Iterable[str], how: str) -> str:
    """Several countries joined: "of France and Italy" / "de la France et de l'Italie" (French repeats
    its preposition before each name, English says it once)."""
    found = codes(letter, values)
    if letter["lang"] != "fr" and how != "the":
        word = "of" if how == "of" else "in"
        return f"{word} " + _and(letter, [_phrase(letter, c, "the") for c in found])
    return _and(letter, [_phrase(letter, c, how) for c in found])


def citizen_of(letter: dict[str, Any], values: Iterable[str]) -> str:
    """ "a citizen of the United States" / "qui a la citoyenneté des États-Unis" (nothing that agrees with
    a gender the portal does not know); several citizenships are all named."""
    listed = list_of(letter, values, "of")
    return f"qui a la citoyenneté {listed}" if letter["lang"] == "fr" else f"a citizen {listed}"

"""C16 Francophone Mobility: the worker's French (NCLC, speaking and listening, and its proof), a job
outside Quebec in an eligible occupation, the regulation of the date (R205(c)(ii) since 2023-06-15)."""

from __future__ import annotations

from datetime import date

from portal.documents.letters import common
from portal.documents.letters.common import Letter, Section, fact, missing, t
from rules.params import value_at


def argue(letter: Letter) -> list[Section]:
    return common.argued(
        letter,
        WORDING,
        [french(letter)],
        in_province=common.in_province(letter, letter["position"].get("province")),
    )


def french(letter: Letter) -> Section:
    w, p = letter["worker"], letter["position"]
    name = common.worker_name(letter)
    speaking = fact(letter, "worker.french_nclc_speaking")
    listening = fact(letter, "worker.french_nclc_listening")
    # one level for both (the worker's page keeps the lower of the two): "at least", not two equal levels
    both = w.get("french_nclc") if speaking is None and listening is None else None
    speaking, listening = speaking or w.get("french_nclc"), listening or w.get("french_nclc")
    pattern = (
        (
            "{name} speaks and understands French at NCLC level {speaking} at least, as shown by {proof}.",
            "{name} parle et comprend le français au moins au niveau {speaking} des NCLC, comme le démontre {proof}.",
        )
        if both is not None
        else (
            "{name} speaks French at NCLC level {speaking} and understands it at NCLC level {listening}, as shown by {proof}.",
            "{name} parle le français au niveau {speaking} et le comprend au niveau {listening} des NCLC, comme le démontre {proof}.",
        )
    )
    level = (
        t(
            letter,
            *pattern,
            name=name,
            speaking=speaking,
            listening=listening,
            proof=w.get("language_proof")
            or missing(
                letter,
                "the TEF or TCF result or French-language diploma",
                "le résultat au TEF ou au TCF ou le diplôme obtenu en français",
            ),
        )
        if speaking and listening
        else missing(
            letter,
            "NCLC levels of {name} in French (speaking and listening) and their proof",
            "niveaux NCLC de {name} en français (expression et compréhension orales) et leur preuve",
            name=name,
        )
    )
    minimum = value_at("c16_min_nclc", date.fromisoformat(letter["date"]))
    place = t(
        letter,
        "The position of {title} is in {city}, {province_name}, outside Quebec, and NOC {noc} (TEER {teer}) is an occupation "
        "Francophone Mobility accepts; the level of {name} is at least the NCLC {minimum} it requires.",
        "Le poste de {title} est situé à {city}, {in_province}, hors du Québec, et la CNP {noc} (FEER {teer}) est une "
        "profession admise par la Mobilité francophone ; le niveau de {name} atteint au moins le NCLC {minimum} exigé.",
        title=p.get("title") or "",
        city=p.get("city") or missing(letter, "city", "ville"),
        province_name=common.province(letter, p.get("province")),
        in_province=common.in_province(letter, p.get("province")),
        noc=p.get("noc_code") or "",
        teer=p.get("teer") or "",
        name=name,
        minimum=minimum,
    )
    return common.section("french", t(letter, "French ability", "Compétence en français"), level, place)


WORDING = common.Wording(
    purpose_en="{name} (citizenship: {citizenship}), a French speaker, will work for {employer} in a francophone minority community outside Quebec.",
    purpose_fr="{name} (citoyenneté : {citizenship}), d'expression française, travaillera pour {employer} dans une communauté francophone en situation minoritaire, hors du Québec.",
    because_en="the hiring of {name}, a French speaker, by {employer} {in_province} supports the vitality of the francophone minority community there",
    because_fr="l'embauche de {name}, d'expression française, par {employer} {in_province} contribue à la vitalité de la communauté francophone minoritaire",
)

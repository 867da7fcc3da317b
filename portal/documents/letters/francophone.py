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
        # the same level for both skills is said once ("speaks and understands French at NCLC level 6"),
        # not twice ("speaks French at NCLC level 6 and understands it at NCLC level 6")
        else (
            "{name} speaks and understands French at NCLC level {speaking}, as shown by {proof}.",
            "{name} parle et comprend le français au niveau {speaking} des NCLC, comme le démontre {proof}.",
        )
        if str(speaking) == str(listening)
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
            proof=proof(letter),
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
        "The position of {title} is in {where}, outside Quebec, and NOC {noc} (TEER {teer}) is an occupation "
        "Francophone Mobility accepts; {level} at least the NCLC {minimum} it requires.",
        "Le poste de {title} est situé à {where}, hors du Québec, et la CNP {noc} (FEER {teer}) est une "
        "profession admise par la Mobilité francophone ; {level} au moins le NCLC {minimum} exigé.",
        title=p.get("title") or "",
        where=common.place(letter, p.get("city") or missing(letter, "city", "ville"), p.get("province")),
        noc=p.get("noc_code") or "",
        teer=p.get("teer") or "",
        # the level the sentence before states, without the worker's name again ("the level of X")
        level=(
            t(letter, "both levels are", "les deux niveaux atteignent")
            if speaking and listening and both is None and str(speaking) != str(listening)
            else t(letter, "that level is", "ce niveau atteint")
            if speaking and listening
            else t(letter, "the level of {name} is", "le niveau de {name} atteint", name=name)
        ),
        minimum=minimum,
    )
    return common.section("french", t(letter, "French ability", "Compétence en français"), level, place)


# The proofs of French the worker's answers name (rules/fields.py worker.french_proof), as the letter
# names them, and what is still to complete of each when the worker's page gives no detail of it
PROOFS = {
    "tef_canada": (
        ("a TEF Canada result", "un résultat au TEF Canada"),
        ("scores and date of the test", "résultats et date du test"),
    ),
    "tcf_canada": (
        ("a TCF Canada result", "un résultat au TCF Canada"),
        ("scores and date of the test", "résultats et date du test"),
    ),
    "french_diploma": (
        (
            "a diploma or transcript of studies in French",
            "un diplôme ou un relevé de notes d'études en français",
        ),
        ("institution, diploma and year", "établissement, diplôme et année"),
    ),
}


def proof(letter: Letter) -> str:
    """The proof of French: the one the answers name (``worker.french_proof``), with the detail the
    worker's page gives of it (``language_proof``) or a request for that detail only; a request for a
    proof when the answers name none or say there is none."""
    typed = letter["worker"].get("language_proof")
    known = PROOFS.get(str(fact(letter, "worker.french_proof")))
    if known is None:
        if typed and fact(letter, "worker.french_proof") != "none":
            return str(typed)
        return missing(
            letter,
            "the TEF Canada or TCF Canada result or the diploma of studies in French",
            "le résultat au TEF Canada ou au TCF Canada ou le diplôme d'études en français",
        )
    name, detail = known
    # "TEF Canada" typed on the worker's page repeats the proof's name: no detail of it
    said = str(typed or "").strip()
    if said.lower() in name[0].lower():
        said = ""
    return t(
        letter,
        "{name} ({detail})",
        "{name} ({detail})",
        name=common.pick(letter, name),
        detail=said or missing(letter, *detail),
    )


WORDING = common.Wording(
    purpose_en="{name}, a French speaker and {citizen}, will work for {employer} in a francophone minority community outside Quebec.",
    purpose_fr="{name}, {citizen} et est d'expression française, travaillera pour {employer} dans une communauté francophone en situation minoritaire, hors du Québec.",
    because_en="the hiring of {name}, a French speaker, by {employer} {in_province} supports the vitality of the francophone minority community there",
    because_fr="l'embauche de {name}, d'expression française, par {employer} {in_province} contribue à la vitalité de la communauté francophone minoritaire",
)

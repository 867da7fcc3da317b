"""Treaty traders and investors (T34, T35, T46, T50, F65, the F-code traders and investors, F70): the
enterprise's nationality, the substantial trade or investment, and the worker's role in it."""

from __future__ import annotations

from datetime import date

from portal.documents.letters import common
from portal.documents.letters.common import Letter, Section, fact, missing, t
from rules import value_at
from rules.place import nationality_key


def argue(letter: Letter) -> list[Section]:
    return common.argued(
        letter,
        WORDING,
        [trade_or_investment(letter)],
        what=common.pick(letter, ("trader", "négociant") if trader(letter) else ("investor", "investisseur")),
    )


def trader(letter: Letter) -> bool:
    info = common.code_info(letter)
    return bool(info and "trader" in info.label_en.lower())


def _party_share(letter: Letter) -> float | None:
    """The share of the enterprise owned by citizens of the agreement's party (the owners' percent per
    country, ``employer.ownership_by_nationality``, summed over the citizens the code's program counts,
    as the rules' criterion sums them); None when the owners are not known."""
    owners = fact(letter, "employer.ownership_by_nationality")
    info = common.code_info(letter)
    key = nationality_key(info) if info is not None else None
    if not isinstance(owners, dict) or key is None:
        return None
    citizens = value_at(key, date.fromisoformat(letter["date"]), default=None)
    if citizens is None:  # the agreement not in force on the letter's date: nothing to count
        return None
    return sum(float(pct) for country, pct in owners.items() if country in citizens)


def trade_or_investment(letter: Letter) -> Section:
    name, employer = common.worker_name(letter), common.employer_name(letter)
    nationality = _party_share(letter)
    owners = t(
        letter,
        "{employer} is {pct} owned by citizens of the same party as {name}.",
        "{employer} est détenue à {pct} par des citoyens de la même partie que {name}.",
        employer=employer,
        pct=common.percent(letter, nationality)
        if nationality is not None
        else missing(
            letter, "share owned by citizens of the party", "part détenue par des citoyens de la partie"
        ),
        name=name,
    )
    if trader(letter):
        share = fact(letter, "employer.trade_share_with_treaty_country_pct")
        core = t(
            letter,
            "{employer} carries on substantial trade in goods or services between Canada and the country of {name}: {share} of its international trade is with that country.",
            "{employer} exerce un commerce important de biens ou de services entre le Canada et le pays de {name} : {share} de son commerce international se fait avec ce pays.",
            employer=employer,
            name=name,
            share=common.percent(letter, share)
            if share is not None
            else missing(
                letter, "share of trade with the treaty country", "part du commerce avec le pays de l'accord"
            ),
        )
    elif fact(letter, "worker.investment_substantial") is True:
        # one "substantial" (it read "a substantial amount of capital in X: the investment is substantial in
        # relation to the total cost of the business")
        core = t(
            letter,
            "{name} has invested, or is actively investing, in {employer} capital that is substantial in relation to the total cost of the business.",
            "{name} a investi, ou investit activement, dans {employer} un capital important par rapport au coût total de l'entreprise.",
            name=name,
            employer=employer,
        )
    else:
        core = t(
            letter,
            "{name} has invested, or is actively investing, a substantial amount of capital in {employer}: {amount}.",
            "{name} a investi, ou investit activement, un capital important dans {employer} : {amount}.",
            name=name,
            employer=employer,
            amount=missing(
                letter,
                "amount invested, its source and its share of the business's total cost",
                "montant investi, sa provenance et sa part du coût total de l'entreprise",
            ),
        )
    role = t(
        letter,
        *(
            # a trader is employed in a supervisory or executive capacity, or for skills essential to the
            # enterprise (CUSMA traders, imp-rules.md §3.1 T34); "develop and direct" is the investor's test
            TRADER_ROLE[letter["position"].get("capacity") == "specialized_knowledge"]
            if trader(letter)
            else (
                "As {title}, {name} will develop and direct the operations of {employer} in an executive or supervisory capacity.",
                "À titre de {title}, {name} développera et dirigera les activités de {employer} dans un rôle de direction ou de supervision.",
            )
        ),
        title=letter["position"].get("title") or "",
        name=name,
        employer=employer,
    )
    heading = (
        t(letter, "The trade", "Le commerce")
        if trader(letter)
        else t(letter, "The investment", "L'investissement")
    )
    return common.section("trade_investment", heading, owners + " " + core, role)


TRADER_ROLE = {
    False: (
        "As {title}, {name} will work for {employer} in an executive or supervisory capacity.",
        "À titre de {title}, {name} travaillera pour {employer} dans un rôle de direction ou de supervision.",
    ),
    True: (
        "As {title}, {name} will bring {employer} skills essential to its operations.",
        "À titre de {title}, {name} apportera à {employer} des compétences essentielles à ses activités.",
    ),
}

# the legal basis: the agreement admits its parties' citizens ("as X is for Y" said nothing). The French
# names the agreement's category, plural ("à titre d'investisseur" agreed with no "Mme")
WORDING = common.Wording(
    purpose_en="{name}, {citizen}, comes to {employer} as a treaty {what}.",
    purpose_fr="{name}, {citizen}, vient chez {employer} dans la catégorie des {what}s visés par l'accord.",
    because_en="{treaty}, {chapter}, grants temporary entry to the {what}s who are {members}, such as {name}, {citizen}",
    because_fr="{treaty}, {chapter}, accorde l'admission temporaire aux {what}s {members}, comme {name}, {citizen}",
)

"""What the assessment warns about (Quebec, licensing, dual nationals, a permit capped by the passport,
the Mexican eTA rule ...) and what is still to verify (imp-rules.md §8 item 12), in both languages with
their numbers and dates taken from the parameters."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import params
from .categories.base import Ctx
from .fields import REGIME_EXEMPT_KINDS
from .kinds import country_name
from .model import CaseFacts, Position, Warning
from .params import CodeInfo, Recommended, long_date, param_text
from .place import filing_passport, nationality_key

W = {
    "quebec_imp": (
        "Quebec: an LMIA-exempt (IMP) work permit does not need a Quebec Acceptance Certificate (CAQ).",
        "Québec : un permis de travail dispensé d'EIMT (PMI) n'exige pas de certificat d'acceptation du Québec (CAQ).",
        "c14",
    ),
    "quebec_tfwp": (
        "Quebec: the LMIA follows the joint federal-Quebec process with a CAQ.",
        "Québec : l'EIMT suit le processus conjoint fédéral-Québec avec un CAQ.",
        "codes_table",
    ),
    "licensing": (
        "The occupation is regulated in the province of work: the packet must show the worker holds or can obtain the licence (R200(3)(a)).",
        "La profession est réglementée dans la province de travail : le dossier doit montrer que le travailleur détient ou peut obtenir le permis (R200(3)a)).",
        "cusma_professionals",
    ),
    "dual_national": (
        "Dual national: file on the passport of the country that gives eligibility ({passport}); the employer must enter that passport number and citizenship in the offer.",
        "Double nationalité : présenter la demande avec le passeport du pays qui donne l'admissibilité ({passport}) ; l'employeur doit inscrire ce numéro de passeport et cette citoyenneté dans l'offre.",
        "general_processing",
    ),
    "c10_discretionary": (
        "C10 is discretionary with a high evidence bar; if refused, an LMIA is needed.",
        "Le code C10 est discrétionnaire et exige une preuve solide ; en cas de refus, une EIMT est nécessaire.",
        "c10",
    ),
    "c16_sunset": (
        "C16: some sources described the widening of {c16_allowed_teers_since} as temporary; re-verify that it is still in force before filing.",
        "C16 : certaines sources ont présenté l'élargissement du {c16_allowed_teers_since} comme temporaire ; vérifier qu'il est toujours en vigueur avant de présenter la demande.",
        "c16",
    ),
    "wage_below_prevailing": (
        "The wage is below the prevailing wage: officers treat this as a red flag for this code.",
        "Le salaire est inférieur au salaire en vigueur : les agents y voient un signal d'alarme pour ce code.",
        "ict_r205",
    ),
    "wage_indicator": (
        "The wage is below the prevailing wage: this code sets no wage floor, but officers weigh the wage as an important indicator of the position (on its own it is no ground for refusal).",
        "Le salaire est inférieur au salaire en vigueur : ce code n'impose pas de salaire plancher, mais les agents considèrent le salaire comme un indicateur important du poste (à lui seul, il ne justifie pas un refus).",
        "cusma_ict",
    ),
    "cusma_technician_direct_support": (
        "A CUSMA Scientific Technician/Technologist must be seeking entry to work in direct support of professionals in agricultural sciences, astronomy, biology, chemistry, engineering, forestry, geology, geophysics, meteorology or physics (CUSMA Appendix 2 to Annex 16-A): the letter should name the professionals the worker supports and describe that support.",
        "Un technicien ou technologue scientifique de l'ACEUM doit demander l'admission pour travailler en appui direct à des professionnels des sciences agricoles, de l'astronomie, de la biologie, de la chimie, du génie, de la foresterie, de la géologie, de la géophysique, de la météorologie ou de la physique (appendice 2 de l'annexe 16-A de l'ACEUM) : la lettre doit nommer les professionnels que le travailleur appuie et décrire cet appui.",
        "cusma_professionals",
    ),
    "sk_teer_scrutiny": (
        "Specialized knowledge is usually held in TEER {sk_usual_teers_or} occupations; officers scrutinize a position in another TEER closely: the letter should show the proprietary knowledge and the advanced expertise the job needs.",
        "Les connaissances spécialisées relèvent habituellement des professions de FEER {sk_usual_teers_or} ; les agents examinent de près un poste d'une autre FEER : la lettre doit montrer les connaissances exclusives et l'expertise avancée qu'exige l'emploi.",
        "ict_r205",
    ),
    "mexico_eta": (
        "Mexican citizens need a visa since {mexico_eta_rule_since} (from late on the evening before) unless eTA-eligible; whether eTA-eligible workers may apply at a port of entry is not confirmed – apply online before travel.",
        "Les citoyens mexicains ont besoin d'un visa depuis le {mexico_eta_rule_since} (à compter de la fin de soirée de la veille) sauf s'ils sont admissibles à une AVE ; la possibilité pour eux de présenter la demande au point d'entrée n'est pas confirmée – présenter la demande en ligne avant le voyage.",
        "mexico_eta",
    ),
    "c16_quebec_employer": (
        "The employer is located in Quebec: C16 covers a job at a workplace outside Quebec, not telework for a Quebec-located employer; the letter should state where the worker will work.",
        "L'employeur est situé au Québec : le code C16 vise un emploi dans un lieu de travail hors du Québec, pas le télétravail pour un employeur situé au Québec ; la lettre doit préciser où la personne travaillera.",
        "c16",
    ),
    "c20_small_exchange": (
        "Small exchange: the flows need a similar order of magnitude at the officer's discretion (the {c20_min_reciprocity_ratio_pct}% expectation applies to large exchanges).",
        "Petit échange : les flux doivent être d'un ordre de grandeur semblable, à la discrétion de l'agent (l'attente de {c20_min_reciprocity_ratio_pct} % vise les échanges importants).",
        "c20",
    ),
    "service_supplier_cap": (
        "The contract is longer than {months} months: the permit is capped at {months} months in any {window}-month period.",
        "Le contrat dépasse {months} mois : le permis est limité à {months} mois par période de {window} mois.",
        "ceta_css_ip",
    ),
    "job_longer_than_code": (
        "The job ({months} months) is longer than {code} allows in all ({cap} months): the permit ends there, and the rest of the job needs another way to work.",
        "L'emploi ({months} mois) dépasse ce que {code} permet au total ({cap} mois) : le permis s'arrête là, et la suite de l'emploi exige une autre autorisation de travail.",
        "codes_table",
    ),
    "job_longer_than_first_permit": (
        "The job ({months} months) is longer than a first permit under {code} ({cap} months at most): plan its extension before the permit expires.",
        "L'emploi ({months} mois) dépasse un premier permis au titre de {code} ({cap} mois au plus) : prévoir sa prolongation avant l'expiration du permis.",
        "codes_table",
    ),
    "ict_cap_left": (
        "Only {left} months remain of the {cap} months the intra-company transfer codes allow together, shorter than the job ({months} months).",
        "Il ne reste que {left} mois des {cap} mois que les codes des personnes mutées à l'intérieur d'une société permettent ensemble, moins que l'emploi ({months} mois).",
        "ict_r205",
    ),
    "passport_cap": (
        "The permit cannot run past the passport's expiry date ({date}).",
        "Le permis ne peut pas dépasser la date d'expiration du passeport ({date}).",
        "general_processing",
    ),
    "passport_expired": (
        "The passport expires on {date}, before the job starts: the worker renews it before applying (a passport is needed to enter Canada, R52(1), and a work permit is not issued past its validity).",
        "Le passeport expire le {date}, avant le début de l'emploi : le travailleur le renouvelle avant de présenter sa demande (un passeport est exigé pour entrer au Canada, R52(1), et un permis de travail n'est pas délivré au-delà de sa validité).",
        "general_processing",
    ),
    "open_permit_expiry": (
        "The worker's open permit expires on {date}, before the job ends: plan the next permit.",
        "Le permis ouvert du travailleur expire le {date}, avant la fin de l'emploi : prévoir le prochain permis.",
        "general_processing",
    ),
    "open_permit_verify": (
        "Open permit: no Employer Portal offer and no compliance fee; verify the permit and follow labour law. The IMP inspection regime (R209.2) does not apply.",
        "Permis ouvert : aucune offre dans le Portail des employeurs ni frais de conformité ; vérifier le permis et respecter le droit du travail. Le régime d'inspection du PMI (R209.2) ne s'applique pas.",
        "general_processing",
    ),
    "spouse_open_permit": (
        "Spouse or common-law partner of a worker holding {principal}: the worker applies for an open work permit ({code}), valid no longer than the partner's. No Employer Portal offer and no compliance fee; hire once the permit is issued, verify it and follow labour law. The IMP inspection regime (R209.2) does not apply.",
        "Époux ou conjoint de fait d'un travailleur titulaire du code {principal} : le travailleur demande un permis de travail ouvert ({code}), valide au plus aussi longtemps que celui de son partenaire. Aucune offre dans le Portail des employeurs ni frais de conformité ; embaucher une fois le permis délivré, le vérifier et respecter le droit du travail. Le régime d'inspection du PMI (R209.2) ne s'applique pas.",
        "general_processing",
    ),
    "spouse_permit_expiry": (
        "The partner's permit expires on {date}, before the job ends: the spouse's open permit ends with it; plan its extension with the partner's.",
        "Le permis du partenaire expire le {date}, avant la fin de l'emploi : le permis ouvert de l'époux ou du conjoint prend fin avec lui ; prévoir sa prolongation avec celle du partenaire.",
        "general_processing",
    ),
    "spouse_partner_permit_ends_first": (
        "The partner's permit expires on {date}, before the job starts: a spouse's open permit runs no longer than the partner's, so it cannot authorize this job; the codes below are assessed for the worker's own job.",
        "Le permis du partenaire expire le {date}, avant le début de l'emploi : le permis ouvert d'un époux ou conjoint ne dure pas plus longtemps que celui du partenaire et ne peut donc pas autoriser cet emploi ; les codes ci-dessous sont évalués pour l'emploi du travailleur.",
        "general_processing",
    ),
    "spouse_agreement_none": (
        "The partner's permit ({principal}) comes under {program}, which gives spouses no work permit of its own: a spouse's open permit can only be C41, under the general rules.",
        "Le permis du partenaire ({principal}) relève de {program}, qui ne donne aux époux aucun permis de travail propre : le permis ouvert d'un époux ou conjoint ne peut être que C41, aux conditions générales.",
        "codes_table",
    ),
    "spouse_agreement_excludes": (
        "The partner's permit ({principal}) comes under {program}, whose spouse permit does not cover this partner (their category, their country or the date): a spouse's open permit can only be C41, under the general rules.",
        "Le permis du partenaire ({principal}) relève de {program}, dont le permis des époux ne vise pas ce partenaire (sa catégorie, son pays ou la date) : le permis ouvert d'un époux ou conjoint ne peut être que C41, aux conditions générales.",
        "codes_table",
    ),
    "c41_not_met": (
        "No open permit as a spouse (C41): the partner's job must be in TEER {c41_teers_or} with at least {c41_min_months_left} months left on the partner's permit when the spouse applies; the codes below are assessed for the worker's own job.",
        "Pas de permis ouvert d'époux (C41) : l'emploi du partenaire doit relever de la FEER {c41_teers_or}, avec au moins {c41_min_months_left} mois de validité restante sur son permis au moment de la demande ; les codes ci-dessous sont évalués pour l'emploi du travailleur.",
        "c41_c46",
    ),
    "c47_lmia_stream": (
        "The partner's permit was issued on an LMIA and the job is in TEER {teer}: the spouse's open permit (C47) is not given to the family of a worker whose LMIA was in the Seasonal Agricultural Worker Program, the Agricultural Stream or the low-wage stream (the officer reads the stream on the LMIA approval letter). Check the partner's stream before counting on it; the codes below are assessed for the worker's own job.",
        "Le permis du partenaire a été délivré sur la foi d'une EIMT et l'emploi relève de la FEER {teer} : le permis ouvert d'époux ou de conjoint (C47) n'est pas accordé à la famille d'un travailleur dont l'EIMT relève du Programme des travailleurs agricoles saisonniers, du volet agricole ou du volet des postes à bas salaire (l'agent lit le volet sur la lettre d'approbation de l'EIMT). Vérifier le volet du partenaire avant d'y compter ; les codes ci-dessous sont évalués pour l'emploi du travailleur.",
        "c47_c48",
    ),
    "c41_select_occupation": (
        "The partner's job is in TEER {teer}: since {c41_select_teers_since} the spouse gets an open permit (C41) only if that occupation is on IRCC's list of select TEER {c41_select_teers_or} occupations: its occupations of the NOC major groups {c41_select_noc_groups_or} are counted here (C41 when the job is in one), the single occupations it names in other groups (education, sports, the Canadian Armed Forces) are not. Check the list before counting on it; the codes below are assessed for the worker's own job.",
        "L'emploi du partenaire relève de la FEER {teer} : depuis le {c41_select_teers_since}, l'époux ou le conjoint n'obtient un permis ouvert (C41) que si cette profession figure sur la liste d'IRCC des professions retenues des FEER {c41_select_teers_or} (non vérifiée ici). Consulter la liste avant d'y compter ; les codes ci-dessous sont évalués pour l'emploi du travailleur.",
        "family_owp_2025",
    ),
    "business_visitor_repair": (
        "Repair under warranty or an after-sales service contract is business-visitor work (R186(a), R187): it needs no work permit and no LMIA. The route shown applies only if the work goes beyond that.",
        "La réparation sous garantie ou sous contrat de service après-vente relève du visiteur commercial (R186a), R187) : elle n'exige ni permis de travail ni EIMT. La voie indiquée ne vaut que si le travail va au-delà.",
        "c13",
    ),
    "regime_exempt": (
        "The employer is exempt from the compliance regime (R209.91): no offer and no fee; the worker files the contract with the application.",
        "L'employeur est dispensé du régime de conformité (R209.91) : aucune offre ni frais ; le travailleur joint le contrat à sa demande.",
        "irpr_209_91",
    ),
}


# the agreements whose transfer provisions IRCC describes as modelled on NAFTA's (its FTA overview page)
_NAFTA_MODELLED = frozenset({"cusma", "chile", "colombia", "korea", "peru"})


def warning(key: str, on: date, **kw: Any) -> Warning:
    """Warning ``key`` in both languages, its numbers taken from the parameters in force on ``on``; a
    ``passport`` (a country code, as kept in the values) is written as the country's name."""
    en, fr, src = W[key]
    return Warning(
        key,
        param_text(en, on, "en", **_named(kw, "en")),
        param_text(fr, on, "fr", **_named(kw, "fr")),
        src,
        kw or None,
    )


def _named(kw: dict[str, Any], lang: str) -> dict[str, Any]:
    """The values as a reader reads them: a country's name, a date written out (``January 15, 2027``,
    ``15 janvier 2027``; kept as an ISO date in ``Warning.values``)."""
    named = dict(kw)
    if "passport" in kw:
        named["passport"] = country_name(str(kw["passport"]), lang)
    if "date" in kw:
        named["date"] = long_date(str(kw["date"]), lang)
    if "program" in kw:  # a trade agreement, by its name
        program = params.PROGRAMS.get(str(kw["program"]), {})
        named["program"] = program.get("name_fr" if lang == "fr" else "name_en", kw["program"])
    return named


def _passport_ends_first(facts: CaseFacts, c: Ctx) -> date | None:
    """The passport's expiry when it comes before the job ends (its end date, or its start plus its
    length): the permit stops there, except for US citizens (imp-rules.md §1.5). None otherwise, and when
    it has expired before the job starts (``passport_expired`` says that)."""
    end = c.job_end()
    expiry = facts.worker.passport_expiry
    if (
        expiry is None
        or "US" in (c.cits or ())
        or end is None
        or expiry >= end
        or _passport_expired(facts, c)
    ):
        return None
    return expiry


def _passport_expired(facts: CaseFacts, c: Ctx) -> bool:
    """The passport expires before the job starts (or before today): no permit can be issued on it (a US
    citizen needs no passport to enter, R52(2), and gets a permit whatever its expiry, §1.5)."""
    expiry = facts.worker.passport_expiry
    if expiry is None or "US" in (c.cits or ()):
        return False
    return expiry < c.first_day()


def _c16_warnings(facts: CaseFacts, c: Ctx) -> list[Warning]:
    out = []
    if params.period_at("c16_allowed_teers", c.on) is not params.VALUES["c16_allowed_teers"][0]:
        out.append(warning("c16_sunset", c.on))  # the widening some sources called temporary is in force
    if facts.employer.province == "QC":
        out.append(warning("c16_quebec_employer", c.on))  # §1.6: no telework for a Quebec employer
    return out


def _worker_warnings(facts: CaseFacts, c: Ctx) -> list[Warning]:
    """What the facts alone warn about, whatever the code: a repair under warranty needs no work permit
    (§3.7: not C13, business visitor), and the Mexican eTA rule."""
    p, w = facts.position, facts.worker
    out = []
    if p.work_type == "repair" and p.repair_kind == "under_warranty":
        out.append(warning("business_visitor_repair", c.on))
    if w.passport_expiry is not None and _passport_expired(facts, c):
        out.append(warning("passport_expired", c.on, date=w.passport_expiry.isoformat()))
    if (
        "MX" in (c.cits or ())
        and c.v["mexico_eta_rule"]
        and w.in_canada is not True
        and w.passport_country in (None, "MX")  # not a dual national travelling on another passport
    ):
        out.append(warning("mexico_eta", c.on))
    return out


def duration_warnings(durations: dict[str, Any] | None, c: Ctx) -> list[Warning]:
    """The job is longer than the recommended code allows: in all, in a first permit, or than what is left
    of the pooled intra-company transfer cap (a service supplier's cap is ``service_supplier_cap``)."""
    months = c.duration_months()
    if not durations or months is None or "permit_max_months" in durations:
        return []
    shown = f"{months:g}" if months == int(months) else f"{months:.1f}"
    code = durations["code"]
    total, first = durations.get("total_cap"), durations.get("initial_max")
    out = []
    left = durations.get("ict_cap_remaining") if durations.get("ict_cap_pooled") else None
    if left is not None and total is not None and left < total and months > left:
        # part of the pooled cap is used already: what is left is the limit, not the code's own
        return [warning("ict_cap_left", c.on, left=f"{left:g}", cap=total, months=shown)]
    if total is None and first is not None and durations.get("extension_allowed") is False:
        total = first  # no extension (C21, C22, T42, ...): the first permit is all the code gives
    # a code with a first permit and no set extension (T46 "extensions at officer discretion", C11 "per
    # permit", the bilateral professionals' "initial" term) may be renewed: its first permit is no total
    if total is not None and months > total:
        out.append(warning("job_longer_than_code", c.on, months=shown, code=code, cap=total))
    elif first is not None and months > first:
        out.append(warning("job_longer_than_first_permit", c.on, months=shown, code=code, cap=first))
    return out


def _job_warnings(p: Position, info: CodeInfo, c: Ctx) -> list[Warning]:
    """What the recommended code's officers look at in the job itself: the wage against the prevailing wage,
    the TEER of a specialized-knowledge job."""
    out: list[Warning] = []
    if (
        # CETA/CUKTCA transferees, graduate trainees included (imp-rules.md §3.2: "wages should not be
        # below the Canadian prevailing wage", a red flag), and C62 (§3.4)
        info.code in ("C62", "T44", "T42", "T41", "F61", "F62", "F63")
        and p.wage_hourly_cad is not None
        and p.prevailing_wage_hourly_cad is not None
        and p.wage_hourly_cad < p.prevailing_wage_hourly_cad
    ):
        out.append(warning("wage_below_prevailing", c.on))
    elif (
        # the CUSMA transferees and those of the agreements modelled on NAFTA (Chile, Colombia, Korea, Peru):
        # no wage floor, the wage an important indicator (imp-rules.md §3.1 T37/T38, §3.4 "FTA ICTs are not
        # always subject to this floor"); C63 fails below it, so an employer choosing T38 should know
        info.ict
        and info.program in _NAFTA_MODELLED
        and p.wage_hourly_cad is not None
        and p.prevailing_wage_hourly_cad is not None
        and p.wage_hourly_cad < p.prevailing_wage_hourly_cad
    ):
        out.append(warning("wage_indicator", c.on))
    if info.code == "T36" and c.cusma_profession() == "scientific_technician":
        # CUSMA Appendix 2 to Annex 16-A, Scientific Technician/Technologist (imp-rules.md §3.1 T36): "must work in
        # direct support of" professionals in the listed sciences; no fact records it: the letter must show it
        out.append(warning("cusma_technician_direct_support", c.on))
    if info.code == "C63" and c.teer_in(c.v["sk_usual_teers"]) is False:
        # imp-rules.md §3.4 C63: "usually TEER 0–2, TEER 3–5 scrutinized"
        out.append(warning("sk_teer_scrutiny", c.on))
    return out


def case_warnings(facts: CaseFacts, c: Ctx, route: str, rec: Recommended | None) -> tuple[Warning, ...]:
    out: list[Warning] = []
    p, e, w = facts.position, facts.employer, facts.worker
    if p.province == "QC" and route in ("IMP", "TFWP"):  # pending: which of the two is not known yet
        out.append(warning("quebec_imp" if route == "IMP" else "quebec_tfwp", c.on))
    if p.licence_required is True and route == "IMP":
        out.append(warning("licensing", c.on))
    if rec:
        info = rec[0]
        key = nationality_key(info)
        if key and w.citizenships and len(w.citizenships) > 1:
            passport = filing_passport(c, c.eligible_citizenships(key))
            if passport:
                out.append(warning("dual_national", c.on, passport=passport))
        if info.code == "C10":
            out.append(warning("c10_discretionary", c.on))
        if info.code == "C16":
            out.extend(_c16_warnings(facts, c))
        out.extend(_job_warnings(facts.position, info, c))
        if e.kind in REGIME_EXEMPT_KINDS:
            out.append(warning("regime_exempt", c.on))
        if (expiry := _passport_ends_first(facts, c)) is not None:
            out.append(warning("passport_cap", c.on, date=expiry.isoformat()))
    out.extend(_worker_warnings(facts, c))
    if rec:
        if c.details.get("c20.similar_magnitude", {}).get("small_exchange") and rec[0].code == "C20":
            out.append(warning("c20_small_exchange", c.on))
        cap = rec[0].durations.get("max_in_window")
        months = c.duration_months()
        if cap is not None and months is not None and months > cap:
            out.append(
                warning("service_supplier_cap", c.on, months=cap, window=rec[0].durations["window_months"])
            )
    return tuple(out)


# the CPTPP parties whose date of joining values.yaml marks unconfirmed (PE, MY, CL, BN today)
_CPTPP_DATE_UNCONFIRMED = params.unconfirmed_members("cptpp_parties")

# the IEC partners whose day of taking effect values.yaml marks unconfirmed (Iceland today)
_IEC_DATE_UNCONFIRMED = params.unconfirmed_members("iec_partners")

_CPTPP_JOINED = params.joined_on("cptpp_parties")
_CPTPP_FROM = min(_CPTPP_JOINED.values())

TO_VERIFY = {  # imp-rules.md §8 item 12: still unconfirmed; shown where it decides the outcome
    "ceta_annex_10e": (
        "To verify: the CETA/CUKTCA Annex 10-E sector list (compare IRCC's NOC equivalency table on the contractual service suppliers page).",
        "À vérifier : la liste des secteurs de l'annexe 10-E de l'AECG/ACCRU (comparer avec le tableau d'équivalence CNP d'IRCC sur la page des fournisseurs de services contractuels).",
        "ceta_css_ip",
    ),
    "gats_wto_members": (
        "To verify: the worker's country is taken as a WTO member from a list compiled outside the reference.",
        "À vérifier : le pays du travailleur est considéré membre de l'OMC d'après une liste établie hors de la référence.",
        "wto_members",
    ),
    "gats_pdi_2026": (
        "To verify: the GATS (T33) instructions were reported revised on {gats_instructions_reported_revision} (secondary source).",
        "À vérifier : les instructions AGCS (T33) auraient été révisées le {gats_instructions_reported_revision} (source secondaire).",
        "gats",
    ),
    "c16_status": (
        "To verify: Francophone Mobility (C16) shows no end date on IRCC's page; confirm it is still in force before filing.",
        "À vérifier : la Mobilité francophone (C16) n'indique aucune date de fin sur la page d'IRCC ; confirmer qu'elle est toujours en vigueur avant de présenter la demande.",
        "c16",
    ),
    "quebec_pr_policy_2026": (
        "To verify: a temporary public policy of {quebec_pr_public_policy_from} for Quebec permanent-residence candidates may apply (code not found).",
        "À vérifier : une politique d'intérêt public temporaire du {quebec_pr_public_policy_from} pour les candidats à la résidence permanente au Québec pourrait s'appliquer (code introuvable).",
        "general_processing",
    ),
    "cufta_ict_split": (
        "To verify: which of F71 and F74 IRCC uses for this transferee (the split is not established).",
        "À vérifier : lequel des codes F71 et F74 IRCC utilise pour cette personne mutée (la répartition n'est pas établie).",
        "codes_table",
    ),
    "peru_ict_months": (
        "To verify: the Peru agreement's transferees may need only {peru_ict_months_reported} months of employment with the enterprise (a copy of IRCC's Peru page and other sources say so; the engine applies the {ict_min_months} months of the reference).",
        "À vérifier : les personnes mutées de l'accord avec le Pérou n'auraient besoin que de {peru_ict_months_reported} mois d'emploi auprès de l'entreprise (une copie de la page d'IRCC sur le Pérou et d'autres sources l'indiquent ; le moteur applique les {ict_min_months} mois de la référence).",
        "peru_ob124",
    ),
    "iec_partner_date": (
        "To verify: the day International Experience Canada's arrangement with the worker's country took effect (signed, the day not established here).",
        "À vérifier : le jour où l'arrangement d'Expérience internationale Canada avec le pays du travailleur est entré en vigueur (signé, date non établie ici).",
        "iec_iceland_2023",
    ),
    "cptpp_party_date": (
        "To verify: the date the CPTPP entered into force for the worker's country (IRCC's CPTPP overview).",
        "À vérifier : la date d'entrée en vigueur du PTPGP pour le pays du travailleur (aperçu du PTPGP d'IRCC).",
        "cptpp",
    ),
}


def _peru_months_decide(c: Ctx) -> bool:
    """A citizen or permanent resident of Peru whose months with the foreign enterprise reach the reported
    shorter period but not the reference's year: the unconfirmed point decides the Peru transferee codes."""
    if "PE" not in (c.cits or frozenset()) | (c.prs or frozenset()):
        return False
    months = c.details.get("ict.prior_employment_12m", {}).get("months")
    return months is not None and c.v["peru_ict_months_reported"] <= months < c.v["ict_min_months"]


def iec_date_unconfirmed(c: Ctx) -> bool:
    """A worker taking part in IEC from a country whose arrangement is signed but whose day of taking effect is
    not established (Iceland, South Korea's new arrangement: values.yaml iec_partners, iec_partners_pending): C21
    and Working Holiday depend on that day."""
    return c.w.iec_category not in (None, "none") and bool(
        (c.cits or frozenset())
        & ((_IEC_DATE_UNCONFIRMED & c.v["iec_partners"]) | c.v["iec_partners_pending"])
    )


def to_verify(facts: CaseFacts, c: Ctx, route: str, rec: Recommended | None) -> tuple[Warning, ...]:
    ids: list[str] = []
    code = rec[0].code if rec else None
    # the unconfirmed Annex 10-E list decides (§8 item 12): the code recommended on it, or failing on the sector
    # alone (rules/README.md item 64)
    if code in ("T47", "T43", "F66", "F60") or c._cache.get("annex_10e_decides"):
        ids.append("ceta_annex_10e")
    if code == "T33":
        ids.append("gats_wto_members")
        if c.on >= c.v["gats_instructions_reported_revision"]:  # a revision reported later decides nothing
            ids.append("gats_pdi_2026")
    if code == "C16":
        ids.append("c16_status")
    if code in ("F71", "F74"):
        ids.append("cufta_ict_split")
    unconfirmed = (c.cits or frozenset()) & _CPTPP_DATE_UNCONFIRMED
    # §8 item 2, "until confirmed, ask rather than assume": a CPTPP code recommended on the strength of an
    # unconfirmed date, or nothing fitting on a day before it (the date may be earlier than values.yaml's)
    if unconfirmed and (
        (rec and rec[0].program == "cptpp")
        or (route != "IMP" and any(_CPTPP_FROM <= c.on < _CPTPP_JOINED[x] for x in unconfirmed))
    ):
        ids.append("cptpp_party_date")
    if iec_date_unconfirmed(c):
        ids.append("iec_partner_date")
    if _peru_months_decide(c):
        ids.append("peru_ict_months")
    if (
        route != "IMP"
        and facts.position.province == "QC"
        and facts.worker.in_canada is True
        and c.on >= c.v["quebec_pr_public_policy_from"]
    ):
        ids.append("quebec_pr_policy_2026")
    return tuple(verification(i, c.on) for i in ids)


def verification(key: str, on: date) -> Warning:
    """Point ``key`` still to verify, in both languages, its numbers taken from the parameters on ``on``."""
    en, fr, src = TO_VERIFY[key]
    return Warning(key, param_text(en, on), param_text(fr, on, "fr"), src)

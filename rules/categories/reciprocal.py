"""Reciprocal employment (R205(b)): C20 general, C22 academic exchanges, C23 performing arts,
C24 residential camp counsellors, C26 coaches and athletes (C24/C26 were C20 before 2022-12-15)."""

from .base import C, CodeRule, Ctx, and3, le, or3

R = "R205(b)"


def _mission(c: Ctx) -> bool | None:
    """Locally engaged staff of a foreign mission in Canada (imp-rules.md §3.10, §8 item 4)."""
    k = c.e.kind
    return None if k is None else k == "diplomatic_mission"


def _magnitude(c: Ctx) -> bool | None:
    if _mission(c) is True:
        return True  # not a reciprocal exchange: no magnitude test
    out, inn = c.e.canadians_sent_abroad, c.e.foreign_workers_received
    if out is None or inn is None:
        return None
    # "exchanges involving larger numbers of foreign nationals (e.g. greater than 25)" (C20 PDI): the size
    # is the number of foreign nationals brought to Canada, not the two flows added up
    if inn < c.v["c20_large_exchange_min_people"]:
        c.details["c20.similar_magnitude"] = {"small_exchange": True}
        return True  # small exchange: a similar order of magnitude at the officer's discretion (a warning)
    return inn == 0 or out >= c.v["c20_min_reciprocity_ratio"] * inn


AGREEMENT = C(
    "c20.exchange",
    "The employer has a reciprocal exchange arrangement under which Canadians work abroad in similar jobs, or the worker is locally engaged staff of a foreign mission in Canada.",
    "L'employeur a une entente d'échange réciproque par laquelle des Canadiens travaillent à l'étranger dans des emplois semblables, ou le travailleur fait partie du personnel recruté sur place d'une mission étrangère au Canada.",
    ("employer.reciprocity_agreement", "employer.kind"),
    R,
    "c20",
    lambda c: or3(c.e.reciprocity_agreement, _mission(c)),
)
MAGNITUDE = C(
    "c20.similar_magnitude",
    "The flows are of a similar order of magnitude; for a large exchange (more than {c20_large_exchange_min_people_more_than} people brought to Canada) Canadians sent abroad are at least about {c20_min_reciprocity_ratio_pct}% of the foreign workers received.",
    "Les flux sont d'un ordre de grandeur semblable ; pour un échange important (plus de {c20_large_exchange_min_people_more_than} personnes venues au Canada), les Canadiens envoyés à l'étranger représentent au moins environ {c20_min_reciprocity_ratio_pct} % des travailleurs étrangers reçus.",
    ("employer.canadians_sent_abroad", "employer.foreign_workers_received"),
    R,
    "c20",
    _magnitude,
)

ACADEMIC = C(
    "c22.academic",
    "The worker is a visiting professor, guest lecturer or exchange teacher.",
    "Le travailleur est professeur invité, conférencier invité ou enseignant d'échange.",
    "position.work_type",
    R,
    "c22",
    lambda c: c.work_type_is("visiting_professor", "guest_lecturer", "exchange_teacher"),
)


def _institution(c: Ctx) -> bool | None:
    wt, kind = c.p.work_type, c.e.kind
    if wt == "exchange_teacher":
        return and3(
            None if kind is None else kind in ("school_board", "university"), c.e.reciprocity_agreement
        )
    return None if kind is None else kind == "university"


def _terms(c: Ctx) -> bool | None:
    wt = c.p.work_type
    if wt == "visiting_professor":
        return and3(
            le(c.duration_months(), c.v["c22_visiting_professor_max_months"]),
            c.w.retains_position_abroad,
        )
    if wt == "guest_lecturer":
        return le(c.duration_months(), c.v["c22_guest_lecturer_max_months"])
    return True


INSTITUTION = C(
    "c22.institution",
    "The host is a post-secondary institution (or, for exchange teachers, a school board or government under a reciprocal exchange agreement).",
    "L'hôte est un établissement postsecondaire (ou, pour les enseignants d'échange, un conseil scolaire ou un gouvernement en vertu d'une entente d'échange réciproque).",
    ("employer.kind", "employer.reciprocity_agreement"),
    R,
    "c22",
    _institution,
)
TERMS = C(
    "c22.terms",
    "Visiting professors stay at most {c22_visiting_professor_max_months} months and keep their position abroad; guest lectures last at most {c22_guest_lecturer_max_months} months.",
    "Les professeurs invités restent au plus {c22_visiting_professor_max_months} mois et conservent leur poste à l'étranger ; les conférences durent au plus {c22_guest_lecturer_max_months} mois.",
    ("position.duration_months", "worker.retains_position_abroad"),
    R,
    "c22",
    _terms,
)

ARTS = C(
    "c23.performing_arts",
    "The worker is key creative personnel or talent in performing arts.",
    "Le travailleur fait partie du personnel de création ou des artistes clés des arts de la scène.",
    "position.work_type",
    R,
    "c23",
    lambda c: c.work_type_is("performing_arts"),
)
DISCIPLINE = C(
    "c23.discipline",
    "The discipline is dance, opera, orchestral music or live theatre.",
    "La discipline est la danse, l'opéra, la musique orchestrale ou le théâtre.",
    "position.arts_discipline",
    R,
    "c23",
    lambda c: None if c.p.arts_discipline is None else c.p.arts_discipline in c.v["c23_disciplines"],
)
FUNDING = C(
    "c23.funding_or_letter",
    "The employer is a Canadian non-profit company with Canada Council core or composite funding (or a parliamentary appropriation), or there is a reciprocity letter from a recognized Canadian arts organization.",
    "L'employeur est une compagnie canadienne sans but lucratif qui reçoit une subvention de base ou composite du Conseil des arts du Canada (ou un crédit parlementaire), ou il existe une lettre de réciprocité d'un organisme artistique canadien reconnu.",
    ("employer.kind", "employer.canada_council_funded", "employer.arts_reciprocity_letter"),
    R,
    "c23",
    lambda c: or3(
        and3(
            None if c.e.kind is None else c.e.kind in ("non_profit", "registered_charity"),
            c.e.canada_council_funded,
        ),
        c.e.arts_reciprocity_letter,
    ),
)

CAMP = C(
    "c24.camp_counsellor",
    "The worker is a camp counsellor.",
    "Le travailleur est moniteur de camp.",
    "position.work_type",
    R,
    "c24",
    lambda c: c.work_type_is("camp_counsellor"),
)
RESIDENTIAL = C(
    "c24.residential",
    "The camp is a residential summer camp (not a day camp or year-round).",
    "Le camp est un camp de vacances résidentiel (pas un camp de jour ni ouvert toute l'année).",
    "position.residential_camp",
    R,
    "c24",
    lambda c: c.p.residential_camp,
)


def _season(c: Ctx) -> bool | None:
    s, e = c.p.start_date, c.p.end_date
    if s is None or e is None:
        return None
    months = c.v["c24_season_months"]
    return s.month in months and e.month in months and (e - s).days < 130


SEASON = C(
    "c24.season",
    "The work falls within June to September.",
    "Le travail se situe entre juin et septembre.",
    ("position.start_date", "position.end_date"),
    R,
    "c24",
    _season,
)

ATHLETE = C(
    "c26.athlete_or_coach",
    "The worker is a professional or semi-professional athlete or coach.",
    "Le travailleur est un athlète ou un entraîneur professionnel ou semi-professionnel.",
    "position.work_type",
    R,
    "codes_table",
    lambda c: c.work_type_is("athlete_or_coach"),
)
TEAM = C(
    "c26.canadian_team",
    "The employer is a Canadian-based professional team (athletes of foreign-based teams competing in Canada are work-permit-exempt instead).",
    "L'employeur est une équipe professionnelle établie au Canada (les athlètes d'équipes étrangères qui participent à des compétitions au Canada sont plutôt dispensés de permis).",
    "employer.kind",
    R,
    "codes_table",
    lambda c: None if c.e.kind is None else c.e.kind == "professional_sports_team",
)

RULES = (
    CodeRule(
        "C22",
        (ACADEMIC, INSTITUTION, TERMS),
        1,
        (
            (
                "Invitation letter from the institution; proof of the position kept abroad",
                "Lettre d'invitation de l'établissement ; preuve du poste conservé à l'étranger",
            ),
        ),
    ),
    CodeRule(
        "C23",
        (ARTS, DISCIPLINE, FUNDING),
        1,
        (
            (
                "Proof of Canada Council funding or the reciprocity letter",
                "Preuve de la subvention du Conseil des arts ou lettre de réciprocité",
            ),
            ("Engagement contract", "Contrat d'engagement"),
        ),
    ),
    CodeRule(
        "C24",
        (CAMP, RESIDENTIAL, SEASON),
        1,
        (("Camp description and season dates", "Description du camp et dates de la saison"),),
    ),
    CodeRule(
        "C26",
        (ATHLETE, TEAM),
        1,
        (("Team contract; league membership", "Contrat avec l'équipe ; appartenance à la ligue"),),
    ),
    CodeRule(
        "C20",
        (AGREEMENT, MAGNITUDE),
        1,
        (
            (
                "Exchange agreement and yearly figures of Canadians sent abroad and workers received",
                "Entente d'échange et chiffres annuels des Canadiens envoyés et des travailleurs reçus",
            ),
        ),
    ),
)

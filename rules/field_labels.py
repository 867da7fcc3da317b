"""A short label of each fact field, in English and French, for pages that show facts (the consultant's
review, the facts behind a criterion): the registry's questions ask, these name. A test checks that
every path of ``FIELDS`` and ``EMPLOYMENT_FIELDS`` has one."""

from __future__ import annotations

from rules.fields import BY_PATH

LABELS: dict[str, tuple[str, str]] = {
    # employer
    "employer.name": ("Employer's legal name", "Dénomination sociale de l'employeur"),
    "employer.kind": ("Kind of organization", "Type d'organisation"),
    "employer.province": ("Employer's province or territory", "Province ou territoire de l'employeur"),
    "employer.employees": ("Employees (with affiliates)", "Employés (avec les sociétés affiliées)"),
    "employer.gross_revenue_cad": (
        "Gross annual revenue (with affiliates)",
        "Revenu brut annuel (avec les sociétés affiliées)",
    ),
    "employer.actively_engaged": ("Actively doing business", "Exerce activement ses activités"),
    "employer.start_up": ("New Canadian entity (start-up)", "Nouvelle entité canadienne (démarrage)"),
    "employer.physical_premises": ("Physical premises in Canada", "Locaux physiques au Canada"),
    "employer.business_plan": ("Business plan", "Plan d'affaires"),
    "employer.staffing_plan": ("Staffing plan", "Plan de dotation"),
    "employer.financial_capacity": ("Financial capacity shown", "Capacité financière démontrée"),
    "employer.ownership_by_nationality": (
        "Ownership by nationality of the owners",
        "Propriété selon la nationalité des propriétaires",
    ),
    "employer.substantial_trade": (
        "Substantial trade with the worker's country",
        "Commerce important avec le pays du travailleur",
    ),
    "employer.trade_share_with_treaty_country_pct": (
        "Share of international trade with the treaty country",
        "Part du commerce international avec le pays signataire",
    ),
    "employer.canada_council_funded": (
        "Canada Council core or composite funding",
        "Financement de base ou composite du Conseil des arts du Canada",
    ),
    "employer.arts_reciprocity_letter": (
        "Reciprocity letter from an arts organization",
        "Lettre de réciprocité d'un organisme artistique",
    ),
    "employer.reciprocity_agreement": ("Written exchange arrangement", "Entente d'échange écrite"),
    "employer.canadians_sent_abroad": (
        "Canadians sent abroad (last 3 years)",
        "Canadiens envoyés à l'étranger (3 dernières années)",
    ),
    "employer.foreign_workers_received": (
        "Foreign workers received (last 3 years)",
        "Travailleurs étrangers accueillis (3 dernières années)",
    ),
    # foreign enterprise
    "foreign_enterprise.name": ("Foreign enterprise", "Entreprise étrangère"),
    "foreign_enterprise.country": ("Foreign enterprise's country", "Pays de l'entreprise étrangère"),
    "foreign_enterprise.countries_of_operation": (
        "Countries of operation (outside Canada)",
        "Pays d'exploitation (hors du Canada)",
    ),
    "foreign_enterprise.relationship": (
        "Relationship to the Canadian employer",
        "Lien avec l'employeur canadien",
    ),
    "foreign_enterprise.doing_business": (
        "Foreign enterprise actively doing business",
        "Entreprise étrangère en activité",
    ),
    "foreign_enterprise.establishment_in_canada": (
        "Establishment in Canada",
        "Établissement au Canada",
    ),
    # position
    "position.title": ("Job title", "Titre du poste"),
    "position.noc_code": ("NOC 2021", "CNP 2021"),
    "position.duties": ("Main duties", "Fonctions principales"),
    "position.work_type": ("Kind of work", "Type de travail"),
    "position.capacity": ("Capacity in Canada", "Fonction au Canada"),
    "position.wage_hourly_cad": ("Hourly wage", "Salaire horaire"),
    "position.hours_per_week": ("Hours per week", "Heures par semaine"),
    "position.prevailing_wage_hourly_cad": ("Prevailing wage (hourly)", "Salaire en vigueur (horaire)"),
    "position.paid": ("Paid", "Rémunéré"),
    "position.paid_by": ("Paid by", "Rémunéré par"),
    "position.province": ("Province or territory of work", "Province ou territoire de travail"),
    "position.city": ("City of work", "Ville de travail"),
    "position.start_date": ("Start date", "Date de début"),
    "position.end_date": ("End date", "Date de fin"),
    "position.duration_months": ("Duration", "Durée"),
    "position.planned_total_months": ("Planned total stay", "Séjour total prévu"),
    "position.licence_required": ("Regulated occupation (licence)", "Profession réglementée (permis)"),
    "position.service_sector": ("Service sector", "Secteur de services"),
    "position.fta_listed_occupation": (
        "Occupation listed in the trade agreement",
        "Profession inscrite dans l'accord commercial",
    ),
    "position.significant_benefit": ("Significant benefit to Canada", "Avantage important pour le Canada"),
    "position.named_production": (
        "Named film or TV production",
        "Production cinématographique ou télévisuelle nommée",
    ),
    "position.production_stage": ("Production stage", "Étape de la production"),
    "position.union_occupation": ("Unionized occupation", "Profession syndiquée"),
    "position.repair_kind": ("Kind of repair", "Type de réparation"),
    "position.oem_presence_in_canada": (
        "Manufacturer's presence in Canada",
        "Présence du fabricant au Canada",
    ),
    "position.canadian_jobs_at_risk": ("Canadian jobs at risk", "Emplois canadiens menacés"),
    "position.arts_discipline": ("Performing-arts discipline", "Discipline des arts de la scène"),
    "position.residential_camp": ("Residential camp", "Camp avec hébergement"),
    "position.internship_required_by_program": (
        "Internship required by the program",
        "Stage exigé par le programme",
    ),
    # worker
    "worker.citizenships": ("Citizenships", "Citoyennetés"),
    "worker.permanent_residences": ("Permanent residences", "Résidences permanentes"),
    "worker.residence_country": ("Country of residence", "Pays de résidence"),
    "worker.date_of_birth": ("Date of birth", "Date de naissance"),
    "worker.in_canada": ("In Canada now", "Au Canada actuellement"),
    "worker.current_permit_type": ("Current permit", "Permis actuel"),
    "worker.current_permit_code": ("Code on the current permit", "Code du permis actuel"),
    "worker.current_permit_expiry": ("Current permit expires", "Expiration du permis actuel"),
    "worker.principal_permit_code": (
        "Code on the permit of the spouse or common-law partner",
        "Code du permis de l'époux ou du conjoint de fait",
    ),
    "worker.principal_country": (
        "Country through which the partner holds the permit",
        "Pays grâce auquel le partenaire détient le permis",
    ),
    "worker.principal_noc_code": ("NOC of the partner's job", "CNP de l'emploi du partenaire"),
    "worker.principal_permit_expiry": ("Partner's permit expires", "Expiration du permis du partenaire"),
    "worker.principal_pr_track": (
        "Partner transitioning to permanent residence",
        "Partenaire en voie de résidence permanente",
    ),
    "worker.passport_expiry": ("Passport expires", "Expiration du passeport"),
    "worker.employment": ("Employment history", "Antécédents professionnels"),
    "worker.education_level": ("Highest education", "Études les plus élevées"),
    "worker.education_field": ("Field of education", "Domaine d'études"),
    "worker.professional_licence": ("Professional licence or designation", "Permis ou titre professionnel"),
    "worker.canadian_licence": ("Licence in the province of work", "Permis dans la province de travail"),
    "worker.profession": ("Profession", "Profession"),
    "worker.experience_years": ("Years of experience in the field", "Années d'expérience dans le domaine"),
    "worker.french_nclc_speaking": ("French speaking (NCLC)", "Expression orale en français (NCLC)"),
    "worker.french_nclc_listening": ("French listening (NCLC)", "Compréhension orale en français (NCLC)"),
    "worker.english_clb": ("English (CLB)", "Anglais (CLB)"),
    "worker.ownership_pct": (
        "Share of the Canadian employer owned",  # as the transferee form asks it
        "Part de l'employeur canadien détenue",
    ),
    "worker.investment_substantial": ("Substantial investment", "Investissement important"),
    "worker.self_employed": ("Self-employed abroad", "Travailleur autonome à l'étranger"),
    "worker.specialized_knowledge": (
        "Advanced proprietary and expert knowledge",
        "Connaissances exclusives et expertise avancées",
    ),
    "worker.retains_position_abroad": (
        "Position abroad kept for the return",
        "Poste à l'étranger conservé pour le retour",
    ),
    "worker.ict_months_used": (
        "Months worked in Canada as a transferee since the last full year abroad",
        "Mois travaillés au Canada comme personne mutée depuis la dernière année complète à l'étranger",
    ),
    "worker.iec_category": ("International Experience Canada", "Expérience internationale Canada"),
    "worker.iec_invited": ("IEC invitation received", "Invitation EIC reçue"),
    "worker.support_funds": ("Personal support funds", "Fonds de subsistance personnels"),
    "worker.business_funds": ("Business funds from a lawful source", "Fonds d'entreprise de source licite"),
    "worker.temporary_intent": ("Plans to leave at the end of the stay", "Prévoit partir à la fin du séjour"),
    "worker.provincial_business_candidate": (
        "Provincial business candidate",
        "Candidat d'affaires d'une province",
    ),
    "worker.eta_eligible": ("Eligible for an eTA", "Admissible à une AVE"),
    "worker.french_proof": ("Proof of French", "Preuve du français"),
    "worker.passport_country": ("Passport used", "Passeport utilisé"),
    "worker.position_abroad_letter": (
        "Letter confirming the position abroad is kept",
        "Lettre confirmant que le poste à l'étranger est conservé",
    ),
    # one job of the employment history
    "worker.employment[].employer_name": ("Employer", "Employeur"),
    "worker.employment[].country": ("Country", "Pays"),
    "worker.employment[].start_date": ("From", "Du"),
    "worker.employment[].end_date": ("To", "Au"),
    "worker.employment[].full_time": ("Full-time", "À temps plein"),
    "worker.employment[].hours_per_week": ("Hours per week", "Heures par semaine"),
    "worker.employment[].capacity": ("Capacity", "Fonction"),
    "worker.employment[].with_foreign_enterprise": (
        "With the related foreign enterprise",
        "Auprès de l'entreprise étrangère liée",
    ),
}


def field_label(path: str, lang: str) -> str:
    """The label of the fact at ``path`` in ``lang`` ("en" or "fr"); a field without a label yet gets
    its question, never its path."""
    pair = LABELS.get(path)
    if pair is not None:
        return pair[1] if lang == "fr" else pair[0]
    spec = BY_PATH.get(path)
    if spec is not None:
        return spec.q_fr if lang == "fr" else spec.q_en
    return path

"""The fact fields: one registry drives validation (facts_from_dict), the JSON Schema and the
questions asked when a fact is missing. Paths are ``section.field`` (sections: employer,
foreign_enterprise, position, worker) and ``worker.employment[].field`` for employment records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
EMPLOYER_KINDS = (
    "business",
    "non_profit",
    "registered_charity",
    "religious_organization",
    "university",
    "school_board",
    "professional_sports_team",
    "foreign_government",
    "foreign_political_subdivision",
    "diplomatic_mission",
    "international_organization",
    "international_bridge_tunnel",
)
REGIME_EXEMPT_KINDS = frozenset(
    {
        "foreign_government",
        "foreign_political_subdivision",
        "diplomatic_mission",
        "international_organization",
        "international_bridge_tunnel",
    }
)
RELATIONSHIPS = (
    "parent",
    "subsidiary",
    "branch",
    "affiliate",
    "service_contract",
    "supplier_client",
    "licensing",
    "franchise",
    "minor_shareholding",
    "shared_board_members",
    "consortium",
    "none",
)
WORK_TYPES = (
    "regular",
    "service_contract",
    "repair",
    "film_tv_production",
    "performing_arts",
    "visiting_professor",
    "guest_lecturer",
    "exchange_teacher",
    "athlete_or_coach",
    "camp_counsellor",
    "religious",
    "charitable",
)
CAPACITIES = (
    "executive",
    "manager",
    "specialized_knowledge",
    "trainee",
    "professional",
    "technician",
    "other",
)
EDUCATION_LEVELS = (
    "none",
    "secondary",
    "post_secondary_1y",
    "post_secondary_2y",
    "post_secondary_3y",
    "bachelor",
    "master",
    "doctorate",
)
FRENCH_PROOFS = ("tef_canada", "tcf_canada", "french_diploma", "none")
PERMIT_TYPES = ("none", "open", "employer_specific", "study", "visitor")
IEC_CATEGORIES = ("none", "working_holiday", "young_professionals", "international_coop")
SERVICE_SECTORS = (
    "advertising",
    "architecture",
    "computer_services",
    "engineering",
    "integrated_engineering",
    "legal_advisory",
    "management_consulting",
    "market_research",
    "research_and_development",
    "technical_testing",
    "translation",
    "urban_planning",
    "environmental_services",
    "related_scientific_consulting",
    "education",
    "health",
    "recreation_culture_sport",
    "other",
)


@dataclass(frozen=True, slots=True)
class Field:
    path: str
    kind: str  # str int number bool date country countries enum noc province pct_map employment
    q_en: str
    q_fr: str
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


def _f(
    path: str,
    kind: str,
    q_en: str,
    q_fr: str,
    values: Iterable[str] = (),
    minimum: float | None = None,
    maximum: float | None = None,
) -> Field:
    return Field(path, kind, q_en, _french_question(q_fr), tuple(values), minimum, maximum)


def _french_question(text: str) -> str:
    """French typography: a no-break space before the question mark (tour of 2026-12-11: "... résident
    permanent?" on the French case page), an ordinary one typed there included."""
    return text[:-1].rstrip(" \u00a0\u202f") + "\u00a0?" if text.endswith("?") else text


FIELDS: tuple[Field, ...] = (
    # ------------------------------------------------------------------ employer
    _f(
        "employer.name",
        "str",
        "What is the employer's legal name?",
        "Quelle est la dénomination sociale de l'employeur?",
    ),
    _f(
        "employer.kind",
        "enum",
        "What kind of organization is the employer (business, non-profit, charity, religious organization, university, sports team, foreign government or mission, international organization, bridge or tunnel operator)?",
        "De quel type d'organisation s'agit-il (entreprise, organisme sans but lucratif, organisme de bienfaisance, organisation religieuse, université, équipe sportive, gouvernement ou mission étrangère, organisation internationale, exploitant de pont ou de tunnel)?",
        EMPLOYER_KINDS,
    ),
    _f(
        "employer.province",
        "province",
        "In which province or territory is the employer located?",
        "Dans quelle province ou quel territoire l'employeur est-il situé?",
        PROVINCES,
    ),
    _f(
        "employer.employees",
        "int",
        "How many employees does the employer have (including affiliates)?",
        "Combien d'employés l'employeur compte-t-il (y compris les sociétés affiliées)?",
        minimum=0,
    ),
    _f(
        "employer.gross_revenue_cad",
        "number",
        "What is the employer's annual gross revenue in CAD (including affiliates)?",
        "Quel est le revenu brut annuel de l'employeur en dollars canadiens (y compris les sociétés affiliées)?",
        minimum=0,
    ),
    _f(
        "employer.actively_engaged",
        "bool",
        "Is the Canadian employer actively doing business (regular, continuous provision of goods or services)?",
        "L'employeur canadien exerce-t-il activement ses activités (fourniture régulière et continue de biens ou de services)?",
    ),
    _f(
        "employer.start_up",
        "bool",
        "Is the Canadian entity being newly established (not yet doing business)?",
        "L'entité canadienne est-elle en cours d'établissement (pas encore en activité)?",
    ),
    _f(
        "employer.physical_premises",
        "bool",
        "Has the Canadian employer secured physical commercial premises in Canada?",
        "L'employeur canadien dispose-t-il de locaux commerciaux physiques au Canada?",
    ),
    _f(
        "employer.business_plan",
        "bool",
        "Is there a business plan showing the new Canadian entity can support the role?",
        "Existe-t-il un plan d'affaires montrant que la nouvelle entité canadienne peut soutenir le poste?",
    ),
    _f(
        "employer.staffing_plan",
        "bool",
        "Is there a staffing (human resources) plan for the new Canadian entity?",
        "Existe-t-il un plan de dotation (ressources humaines) pour la nouvelle entité canadienne?",
    ),
    _f(
        "employer.financial_capacity",
        "bool",
        "Can the foreign enterprise show the financial capacity to start the Canadian operation and pay the worker?",
        "L'entreprise étrangère peut-elle démontrer sa capacité financière de démarrer l'activité canadienne et de rémunérer le travailleur?",
    ),
    _f(
        "employer.ownership_by_nationality",
        "pct_map",
        "Who owns the Canadian enterprise, by nationality of the owners (percent per country)?",
        "Qui détient l'entreprise canadienne, selon la nationalité des propriétaires (pourcentage par pays)?",
    ),
    _f(
        "employer.substantial_trade",
        "bool",
        "Does the enterprise already carry on substantial trade in goods or services with the worker's country?",
        "L'entreprise fait-elle déjà un commerce important de biens ou de services avec le pays du travailleur?",
    ),
    _f(
        "employer.trade_share_with_treaty_country_pct",
        "number",
        "What share (%) of the enterprise's international trade is between Canada and the worker's country?",
        "Quelle part (%) du commerce international de l'entreprise se fait entre le Canada et le pays du travailleur?",
        minimum=0,
        maximum=100,
    ),
    _f(
        "employer.canada_council_funded",
        "bool",
        "Does the company receive Canada Council core or composite funding or a parliamentary appropriation?",
        "La compagnie reçoit-elle une subvention de base ou composite du Conseil des arts du Canada ou un crédit parlementaire?",
    ),
    _f(
        "employer.arts_reciprocity_letter",
        "bool",
        "Is there a reciprocity letter from a recognized Canadian arts organization (e.g. Opera.ca, Canadian Actors' Equity)?",
        "Y a-t-il une lettre de réciprocité d'un organisme artistique canadien reconnu (p. ex. Opera.ca, Canadian Actors' Equity)?",
    ),
    _f(
        "employer.reciprocity_agreement",
        "bool",
        "Does the employer have a written exchange arrangement that sends Canadians to work abroad?",
        "L'employeur a-t-il une entente d'échange écrite qui envoie des Canadiens travailler à l'étranger?",
    ),
    _f(
        "employer.canadians_sent_abroad",
        "int",
        "How many Canadians did the exchange send abroad over the last {c20_reciprocity_period_years} years?",
        "Combien de Canadiens l'échange a-t-il envoyés à l'étranger au cours des {c20_reciprocity_period_years} dernières années?",
        minimum=0,
    ),
    _f(
        "employer.foreign_workers_received",
        "int",
        "How many foreign workers did the exchange bring to Canada over the last {c20_reciprocity_period_years} years?",
        "Combien de travailleurs étrangers l'échange a-t-il fait venir au Canada au cours des {c20_reciprocity_period_years} dernières années?",
        minimum=0,
    ),
    # ------------------------------------------------------------------ foreign enterprise
    _f(
        "foreign_enterprise.name",
        "str",
        "What is the foreign enterprise's name?",
        "Quel est le nom de l'entreprise étrangère?",
    ),
    _f(
        "foreign_enterprise.country",
        "country",
        "In which country is the foreign enterprise based?",
        "Dans quel pays l'entreprise étrangère est-elle établie?",
    ),
    _f(
        "foreign_enterprise.countries_of_operation",
        "countries",
        "In which countries (outside Canada) does the foreign enterprise have revenue-generating operations?",
        "Dans quels pays (hors du Canada) l'entreprise étrangère exerce-t-elle des activités génératrices de revenus?",
    ),
    _f(
        "foreign_enterprise.relationship",
        "enum",
        "How is the foreign enterprise related to the Canadian employer (parent, subsidiary, branch, affiliate, service contract, none…)?",
        "Quel est le lien entre l'entreprise étrangère et l'employeur canadien (société mère, filiale, succursale, société affiliée, contrat de services, aucun…)?",
        RELATIONSHIPS,
    ),
    _f(
        "foreign_enterprise.doing_business",
        "bool",
        "Is the foreign enterprise actively doing business?",
        "L'entreprise étrangère exerce-t-elle activement ses activités?",
    ),
    _f(
        "foreign_enterprise.establishment_in_canada",
        "bool",
        "Does the foreign enterprise have an establishment (commercial presence) in Canada?",
        "L'entreprise étrangère a-t-elle un établissement (présence commerciale) au Canada?",
    ),
    # ------------------------------------------------------------------ position
    _f("position.title", "str", "What is the job title?", "Quel est le titre du poste?"),
    _f(
        "position.noc_code",
        "noc",
        "What is the NOC 2021 code of the job (5 digits)?",
        "Quel est le code CNP 2021 du poste (5 chiffres)?",
    ),
    _f("position.duties", "str", "What are the main duties?", "Quelles sont les fonctions principales?"),
    _f(
        "position.work_type",
        "enum",
        "What kind of work is it (regular job, service contract, repair, film/TV production, performing arts, visiting professor, guest lecturer, exchange teacher, athlete or coach, camp counsellor, religious, charitable)?",
        "De quel type de travail s'agit-il (emploi régulier, contrat de services, réparation, production cinéma/télé, arts de la scène, professeur invité, conférencier invité, enseignant d'échange, athlète ou entraîneur, moniteur de camp, religieux, bienfaisance)?",
        WORK_TYPES,
    ),
    _f(
        "position.capacity",
        "enum",
        "In what capacity will the worker be employed (executive, manager, specialized knowledge, trainee, professional, technician, other)?",
        "À quel titre le travailleur sera-t-il employé (cadre supérieur, gestionnaire, connaissances spécialisées, stagiaire, professionnel, technicien, autre)?",
        CAPACITIES,
    ),
    _f(
        "position.wage_hourly_cad",
        "number",
        "What hourly wage (CAD) is offered?",
        "Quel salaire horaire (en dollars canadiens) est offert?",
        minimum=0,
    ),
    _f(
        "position.hours_per_week",
        "number",
        "How many hours per week?",
        "Combien d'heures par semaine?",
        minimum=0,
        maximum=168,
    ),
    _f(
        "position.prevailing_wage_hourly_cad",
        "number",
        "What is the prevailing (Job Bank median) hourly wage for this NOC in this region?",
        "Quel est le salaire horaire en vigueur (médian du Guichet-Emplois) pour cette CNP dans cette région?",
        minimum=0,
    ),
    _f(
        "position.paid",
        "bool",
        "Is the worker paid (more than a stipend below minimum wage and room and board)?",
        "Le travailleur est-il rémunéré (plus qu'une allocation inférieure au salaire minimum et le gîte et le couvert)?",
    ),
    _f(
        "position.paid_by",
        "enum",
        "Who pays the worker (the Canadian employer, the foreign enterprise, the worker's own business)?",
        "Qui paie le travailleur (l'employeur canadien, l'entreprise étrangère, l'entreprise du travailleur)?",
        ("canadian_employer", "foreign_enterprise", "self"),
    ),
    _f(
        "position.province",
        "province",
        "In which province or territory will the work take place?",
        "Dans quelle province ou quel territoire le travail aura-t-il lieu?",
        PROVINCES,
    ),
    _f(
        "position.city",
        "str",
        "In which city will the work take place?",
        "Dans quelle ville le travail aura-t-il lieu?",
    ),
    _f("position.start_date", "date", "When will the work start?", "Quand le travail commencera-t-il?"),
    _f("position.end_date", "date", "When will the work end?", "Quand le travail se terminera-t-il?"),
    _f(
        "position.duration_months",
        "number",
        "How many months will the work last?",
        "Combien de mois le travail durera-t-il?",
        minimum=0,
    ),
    _f(
        "position.planned_total_months",
        "number",
        "How many months in total is the assignment in Canada planned to last (including planned extensions)?",
        "Combien de mois au total l'affectation au Canada doit-elle durer (y compris les prolongations prévues)?",
        minimum=0,
    ),
    _f(
        "position.licence_required",
        "bool",
        "Is the occupation regulated (licence or registration required) in the province of work?",
        "La profession est-elle réglementée (permis ou inscription requis) dans la province de travail?",
    ),
    _f(
        "position.service_sector",
        "enum",
        "Which service sector does the contract fall in?",
        "Dans quel secteur de services le contrat s'inscrit-il?",
        SERVICE_SECTORS,
    ),
    _f(
        "position.fta_listed_occupation",
        "bool",
        "Is the occupation on the professions/technicians list of the trade agreement for the worker's country?",
        "La profession figure-t-elle sur la liste des professionnels ou techniciens de l'accord commercial pour le pays du travailleur?",
    ),
    _f(
        "position.significant_benefit",
        "bool",
        "Can the employer document a significant economic, social or cultural benefit to Canada from this work (e.g. jobs created, transfer of skills, exceptional credentials)?",
        "L'employeur peut-il documenter un avantage important sur le plan économique, social ou culturel pour le Canada (p. ex. emplois créés, transfert de compétences, titres exceptionnels)?",
    ),
    _f(
        "position.named_production",
        "bool",
        "Is the job tied to a specific, named live-action film or TV production?",
        "Le poste est-il lié à une production cinématographique ou télévisuelle précise et nommée?",
    ),
    _f(
        "position.production_stage",
        "enum",
        "At what stage of the production is the work (pre-production, production/filming, post-production)?",
        "À quelle étape de la production le travail a-t-il lieu (préproduction, production/tournage, postproduction)?",
        ("pre_production", "production", "post_production"),
    ),
    _f(
        "position.union_occupation",
        "bool",
        "Is the occupation unionized in Canada (union or guild letter available)?",
        "La profession est-elle syndiquée au Canada (lettre du syndicat ou de la guilde disponible)?",
    ),
    _f(
        "position.repair_kind",
        "enum",
        "What kind of repair is it (emergency, out of warranty, under warranty or service contract)?",
        "De quel type de réparation s'agit-il (urgence, hors garantie, sous garantie ou contrat de service)?",
        ("emergency", "out_of_warranty", "under_warranty"),
    ),
    _f(
        "position.oem_presence_in_canada",
        "bool",
        "Does the original equipment manufacturer have a commercial presence (office or service agent) in Canada?",
        "Le fabricant d'origine de l'équipement a-t-il une présence commerciale (bureau ou agent de service) au Canada?",
    ),
    _f(
        "position.canadian_jobs_at_risk",
        "bool",
        "Would Canadian jobs suffer if the repair were delayed?",
        "Des emplois canadiens seraient-ils touchés si la réparation était retardée?",
    ),
    _f(
        "position.arts_discipline",
        "enum",
        "Which performing-arts discipline is it (dance, opera, orchestral music, live theatre, other)?",
        "De quelle discipline des arts de la scène s'agit-il (danse, opéra, musique orchestrale, théâtre, autre)?",
        ("dance", "opera", "orchestral_music", "live_theatre", "other"),
    ),
    _f(
        "position.residential_camp",
        "bool",
        "Is it a residential (overnight) summer camp?",
        "S'agit-il d'un camp de vacances résidentiel (avec hébergement)?",
    ),
    _f(
        "position.internship_required_by_program",
        "bool",
        "Is the internship a required part of the worker's post-secondary program?",
        "Le stage est-il une partie obligatoire du programme d'études postsecondaires du travailleur?",
    ),
    # ------------------------------------------------------------------ worker
    _f(
        "worker.citizenships",
        "countries",
        "Of which countries is the worker a citizen (all of them)?",
        "De quels pays le travailleur est-il citoyen (tous)?",
    ),
    _f(
        "worker.permanent_residences",
        "countries",
        "In which countries is the worker a permanent resident?",
        "Dans quels pays le travailleur est-il résident permanent?",
    ),
    _f(
        "worker.residence_country",
        "country",
        "In which country does the worker live now?",
        "Dans quel pays le travailleur vit-il actuellement?",
    ),
    _f(
        "worker.date_of_birth",
        "date",
        "What is the worker's date of birth?",
        "Quelle est la date de naissance du travailleur?",
    ),
    _f(
        "worker.in_canada",
        "bool",
        "Is the worker in Canada now?",
        "Le travailleur est-il actuellement au Canada?",
    ),
    _f(
        "worker.current_permit_type",
        "enum",
        "What permit does the worker hold now (none, open work permit, employer-specific work permit, study permit, visitor)?",
        "Quel permis le travailleur détient-il actuellement (aucun, permis de travail ouvert, permis lié à un employeur, permis d'études, visiteur)?",
        PERMIT_TYPES,
    ),
    _f(
        "worker.current_permit_code",
        "str",
        "What exemption code is on the worker's current permit?",
        "Quel code de dispense figure sur le permis actuel du travailleur?",
    ),
    _f(
        "worker.current_permit_expiry",
        "date",
        "When does the worker's current permit expire?",
        "Quand le permis actuel du travailleur expire-t-il?",
    ),
    # the worker as the spouse or common-law partner of a foreign worker (the "principal"): the open permit a
    # trade agreement gives the spouse (codes.yaml spouse_permits), else C41 (values.yaml c41_*)
    _f(
        "worker.principal_permit_code",
        "str",
        "Is the worker the spouse or common-law partner of a foreign worker who holds (or is approved for) a Canadian work permit? If so, which exemption code is on the partner's permit (e.g. T44, F61, T51, F13, C62, or LMIA for a permit issued on an LMIA)?",
        "Le travailleur est-il l'époux ou le conjoint de fait d'un travailleur étranger titulaire d'un permis de travail canadien (ou dont le permis est approuvé)\u00a0? Si oui, quel code de dispense figure sur le permis de ce partenaire (p. ex. T44, F61, T51, F13, C62, ou EIMT pour un permis délivré sur la foi d'une EIMT)?",
    ),
    _f(
        "worker.principal_country",
        "country",
        "Through which country's citizenship (or permanent residence, where the agreement covers permanent residents) does the worker's partner hold that permit?",
        "Grâce à la citoyenneté (ou à la résidence permanente, lorsque l'accord vise les résidents permanents) de quel pays le partenaire du travailleur détient-il ce permis?",
    ),
    _f(
        "worker.principal_noc_code",
        "noc",
        "What is the NOC 2021 code of the partner's job in Canada (5 digits)?",
        "Quel est le code CNP 2021 de l'emploi du partenaire au Canada (5 chiffres)?",
    ),
    _f(
        "worker.principal_permit_expiry",
        "date",
        "Until when is the partner authorized to work in Canada (the expiry of the partner's work permit)?",
        "Jusqu'à quand le partenaire est-il autorisé à travailler au Canada (expiration de son permis de travail)?",
    ),
    _f(
        "worker.principal_pr_track",
        "bool",
        "Is the partner transitioning to permanent residence (e.g. an Express Entry or provincial nominee application in progress)?",
        "Le partenaire est-il en voie d'obtenir la résidence permanente (p. ex. demande d'Entrée express ou de candidat d'une province en cours)?",
    ),
    _f(
        "worker.passport_expiry",
        "date",
        "When does the passport the worker will use expire?",
        "Quand le passeport que le travailleur utilisera expire-t-il?",
    ),
    _f(
        "worker.employment",
        "employment",
        "What is the worker's employment history abroad (employer, country, dates, full-time or not, capacity, whether with the related foreign enterprise)?",
        "Quel est l'historique d'emploi du travailleur à l'étranger (employeur, pays, dates, temps plein ou non, titre, lien avec l'entreprise étrangère liée)?",
    ),
    _f(
        "worker.education_level",
        "enum",
        "What is the worker's highest completed education?",
        "Quel est le plus haut niveau d'études terminé par le travailleur?",
        EDUCATION_LEVELS,
    ),
    _f(
        "worker.education_field",
        "str",
        "In which field is the worker's education?",
        "Dans quel domaine le travailleur a-t-il étudié?",
    ),
    _f(
        "worker.professional_licence",
        "bool",
        "Does the worker hold a professional licence or designation in the profession (e.g. CPA, bar membership, state licence)?",
        "Le travailleur détient-il un permis ou un titre professionnel dans la profession (p. ex. CPA, membre du barreau, permis d'État)?",
    ),
    _f(
        "worker.canadian_licence",
        "bool",
        "Does the worker hold (or can they obtain) the licence required in the province of work?",
        "Le travailleur détient-il (ou peut-il obtenir) le permis exigé dans la province de travail?",
    ),
    _f(
        "worker.profession",
        "str",
        "Which profession does the job fall under (e.g. engineer, accountant, management consultant)?",
        "De quelle profession relève le poste (p. ex. ingénieur, comptable, conseiller en gestion)?",
    ),
    _f(
        "worker.experience_years",
        "number",
        "How many years of professional experience does the worker have in the field?",
        "Combien d'années d'expérience professionnelle le travailleur a-t-il dans le domaine?",
        minimum=0,
    ),
    _f(
        "worker.french_nclc_speaking",
        "int",
        "What is the worker's French speaking level (NCLC, 0 if none)?",
        "Quel est le niveau d'expression orale en français du travailleur (NCLC, 0 si aucun)?",
        minimum=0,
        maximum=12,
    ),
    _f(
        "worker.french_nclc_listening",
        "int",
        "What is the worker's French listening level (NCLC, 0 if none)?",
        "Quel est le niveau de compréhension de l'oral en français du travailleur (NCLC, 0 si aucun)?",
        minimum=0,
        maximum=12,
    ),
    _f(
        "worker.english_clb",
        "int",
        "What is the worker's English level (CLB)?",
        "Quel est le niveau d'anglais du travailleur (CLB)?",
        minimum=0,
        maximum=12,
    ),
    _f(
        "worker.ownership_pct",
        "number",
        "What percentage of the Canadian business does the worker own?",
        "Quel pourcentage de l'entreprise canadienne le travailleur détient-il?",
        minimum=0,
        maximum=100,
    ),
    _f(
        "worker.investment_substantial",
        "bool",
        "Has the worker (or the investing enterprise) made, or is actively making, a substantial investment in the Canadian enterprise?",
        "Le travailleur (ou l'entreprise investisseuse) a-t-il fait, ou fait-il activement, un investissement important dans l'entreprise canadienne?",
    ),
    _f(
        "worker.self_employed",
        "bool",
        "Is the worker self-employed abroad (independent professional)?",
        "Le travailleur est-il travailleur autonome à l'étranger (professionnel indépendant)?",
    ),
    _f(
        "worker.specialized_knowledge",
        "bool",
        "Does the worker have both advanced proprietary knowledge of the enterprise and advanced expertise?",
        "Le travailleur possède-t-il à la fois des connaissances exclusives avancées de l'entreprise et une expertise avancée?",
    ),
    _f(
        "worker.retains_position_abroad",
        "bool",
        "Will the worker's position abroad remain available for their return?",
        "Le poste du travailleur à l'étranger restera-t-il disponible à son retour?",
    ),
    _f(
        "worker.ict_months_used",
        "number",
        "How many months has the worker worked in Canada as an intra-company transferee since last spending a full year working for the group abroad?",
        "Combien de mois le travailleur a-t-il travaillé au Canada comme personne mutée à l'intérieur d'une société depuis sa dernière année complète de travail pour le groupe à l'étranger?",
        minimum=0,
    ),
    _f(
        "worker.iec_category",
        "enum",
        "Is the worker taking part in International Experience Canada, and in which category?",
        "Le travailleur participe-t-il à Expérience internationale Canada, et dans quelle catégorie?",
        IEC_CATEGORIES,
    ),
    _f(
        "worker.iec_invited",
        "bool",
        "Has the worker received an IEC invitation to apply?",
        "Le travailleur a-t-il reçu une invitation à présenter une demande d'EIC?",
    ),
    _f(
        "worker.support_funds",
        "bool",
        "Does the worker have personal support funds (LICO for the family for {c11_support_funds_months} months) separate from business funds?",
        "Le travailleur dispose-t-il de fonds de subsistance (SFR de la famille pour {c11_support_funds_months} mois) distincts des fonds de l'entreprise?",
    ),
    _f(
        "worker.business_funds",
        "bool",
        "Does the worker have business funds from a lawful source?",
        "Le travailleur dispose-t-il de fonds d'entreprise de source licite?",
    ),
    _f(
        "worker.temporary_intent",
        "bool",
        "Does the worker plan to leave Canada at the end of the stay (concrete exit or transition plan)?",
        "Le travailleur prévoit-il de quitter le Canada à la fin du séjour (plan de sortie ou de transition concret)?",
    ),
    _f(
        "worker.provincial_business_candidate",
        "bool",
        "Is the worker a provincial nominee business candidate or a Quebec self-employed worker with a CSQ?",
        "Le travailleur est-il un candidat d'affaires désigné par une province ou un travailleur autonome du Québec titulaire d'un CSQ?",
    ),
    _f(
        "worker.eta_eligible",
        "bool",
        "(Mexican citizens) Is the worker eligible for an eTA (flying, with a valid US non-immigrant visa or a Canadian visa in the last {mexico_eta_canadian_visa_within_years} years)?",
        "(Citoyens mexicains) Le travailleur est-il admissible à une AVE (voyage par avion, visa américain de non-immigrant valide ou visa canadien au cours des {mexico_eta_canadian_visa_within_years} dernières années)?",
    ),
    # proof behind a fact (imp-rules.md §8 item 11)
    _f(
        "worker.french_proof",
        "enum",
        "How is the worker's French shown: a TEF Canada or TCF Canada result, a diploma or transcript from a French-language institution, or none of these (a CV claim is not proof)?",
        "Comment la connaissance du français est-elle démontrée : résultat au TEF Canada ou au TCF Canada, diplôme ou relevé de notes d'un établissement de langue française, ou aucun de ceux-ci (une mention dans le CV n'est pas une preuve)?",
        FRENCH_PROOFS,
    ),
    _f(
        "worker.passport_country",
        "country",
        "Which passport will the worker travel on (country that issued it)?",
        "Avec quel passeport le travailleur voyagera-t-il (pays qui l'a délivré)?",
    ),
    _f(
        "worker.position_abroad_letter",
        "bool",
        "Is there a letter from the foreign enterprise confirming the worker's position abroad is kept during the transfer?",
        "Existe-t-il une lettre de l'entreprise étrangère confirmant que le poste du travailleur à l'étranger est conservé pendant la mutation?",
    ),
)

EMPLOYMENT_FIELDS: tuple[Field, ...] = (
    _f("worker.employment[].employer_name", "str", "Employer name", "Nom de l'employeur"),
    _f("worker.employment[].country", "country", "Country of employment", "Pays de l'emploi"),
    _f("worker.employment[].start_date", "date", "Start date", "Date de début"),
    _f(
        "worker.employment[].end_date",
        "date",
        "End date (empty if current)",
        "Date de fin (vide si en cours)",
    ),
    _f("worker.employment[].full_time", "bool", "Full-time?", "À temps plein?"),
    _f(
        "worker.employment[].hours_per_week",
        "number",
        "Hours per week (full time from the hours given: values.yaml full_time_hours_per_week)",
        "Heures par semaine (le temps plein se déduit des heures : values.yaml full_time_hours_per_week)",
        minimum=1,
        maximum=80,
    ),
    _f("worker.employment[].capacity", "enum", "Capacity", "Titre", CAPACITIES),
    _f(
        "worker.employment[].with_foreign_enterprise",
        "bool",
        "With the foreign enterprise related to the Canadian employer?",
        "Auprès de l'entreprise étrangère liée à l'employeur canadien?",
    ),
)

BY_PATH: dict[str, Field] = {f.path: f for f in FIELDS + EMPLOYMENT_FIELDS}
SECTIONS = ("employer", "foreign_enterprise", "position", "worker")

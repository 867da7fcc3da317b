"""GATS professionals (T33, R204(a)): short service contracts in listed professions."""

from ..params import GATS_PROFESSIONS
from . import fta
from .base import C, CodeRule, Ctx, le

R = "R204(a)"


def _citizen(c: Ctx) -> bool | None:
    non = c.v["wto_non_members"]
    if c.cits is not None and any(x not in non and x != "CA" for x in c.cits):
        return True
    if c.prs is not None and not c.prs.isdisjoint(c.v["gats_permanent_residents_of"]):
        # admitted as a permanent resident of Australia or New Zealand (the letter says so)
        c.details["gats.citizen"] = {
            "permanent_resident_of": sorted(c.prs & set(c.v["gats_permanent_residents_of"]))
        }
        return True
    if c.cits is None or c.prs is None:
        return None
    return False


def _prof(c: Ctx) -> bool | None:
    return c.profession_listed(c.gats_profession())


def _cred(c: Ctx) -> bool | None:
    return c.credential_for(c.gats_profession(), GATS_PROFESSIONS)


def _licence(c: Ctx) -> bool | None:
    k = c.gats_profession()
    if not k:
        return None if k is None else False
    if not GATS_PROFESSIONS[k]["licence_before_entry"] or c.p.licence_required is False:
        return True
    return c.w.canadian_licence


def _presence(c: Ctx) -> bool | None:
    k = c.gats_profession()
    if k and GATS_PROFESSIONS[k]["group"] == 1:
        return True
    met: bool | None = fta.NO_ESTABLISHMENT.fn(c)
    return met


def _sector(c: Ctx) -> bool | None:
    s = c.p.service_sector
    return None if s is None else s not in c.v["gats_excluded_sectors"]


CITIZEN = C(
    "gats.citizen",
    "The worker is a citizen of a WTO member, or a permanent resident of Australia or New Zealand.",
    "Le travailleur est citoyen d'un membre de l'OMC, ou résident permanent de l'Australie ou de la Nouvelle-Zélande.",
    ("worker.citizenships", "worker.permanent_residences"),
    R,
    "gats",
    _citizen,
)
PROFESSION = C(
    "gats.profession",
    "The occupation is on Canada's GATS list (engineer, agrologist, architect, forestry or geomatics professional, land surveyor, foreign legal consultant, urban planner, senior computer specialist).",
    "La profession figure sur la liste du Canada au titre de l'AGCS (ingénieur, agronome, architecte, professionnel de la foresterie ou de la géomatique, arpenteur-géomètre, conseiller juridique étranger, urbaniste, spécialiste principal en informatique).",
    ("worker.profession", "position.noc_code"),
    R,
    "gats",
    _prof,
)
CREDENTIAL = C(
    "gats.credential",
    "The worker holds the education and experience the GATS list requires for that profession.",
    "Le travailleur possède les études et l'expérience que la liste de l'AGCS exige pour cette profession.",
    ("worker.education_level", "worker.experience_years", "worker.professional_licence"),
    R,
    "gats",
    _cred,
)
LICENCE = C(
    "gats.licence_before_entry",
    "Where the profession needs one, the provincial licence is obtained before entry.",
    "Lorsque la profession l'exige, le permis provincial est obtenu avant l'entrée.",
    ("position.licence_required", "worker.canadian_licence"),
    R,
    "gats",
    _licence,
)
PRESENCE = C(
    "gats.no_commercial_presence",
    "For group 2 professions, the foreign service provider has no commercial presence in Canada.",
    "Pour les professions du groupe 2, le fournisseur de services étranger n'a pas de présence commerciale au Canada.",
    "foreign_enterprise.establishment_in_canada",
    R,
    "gats",
    _presence,
)
SECTOR = C(
    "gats.sector",
    "The service is not in education, health-related, or recreational, cultural and sporting services.",
    "Le service ne relève pas de l'éducation, de la santé ni des services récréatifs, culturels et sportifs.",
    "position.service_sector",
    R,
    "gats",
    _sector,
)
DAYS = C(
    "gats.max_90_days",
    "The stay is at most {gats_max_days} days (in any {gats_window_months} months; no extension).",
    "Le séjour est d'au plus {gats_max_days} jours (par période de {gats_window_months} mois ; aucune prolongation).",
    ("position.start_date", "position.end_date", "position.duration_months"),
    R,
    "gats",
    lambda c: le(c.duration_days(), c.v["gats_max_days"]),
)

RULES = (
    CodeRule(
        "T33",
        (CITIZEN, fta.SERVICE_CONTRACT, PROFESSION, CREDENTIAL, LICENCE, PRESENCE, SECTOR, DAYS),
        2,
        (
            (
                "Signed contract between the foreign service provider and the Canadian client",
                "Contrat signé entre le fournisseur de services étranger et le client canadien",
            ),
            (
                "Credentials recognized by the Canadian professional body; provincial licence",
                "Titres reconnus par l'ordre professionnel canadien ; permis provincial",
            ),
            (
                "Proof of the provider's lack of commercial presence in Canada (group 2)",
                "Preuve de l'absence de présence commerciale du fournisseur au Canada (groupe 2)",
            ),
        ),
    ),
)

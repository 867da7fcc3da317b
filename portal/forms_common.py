"""Field validators and choices shared by the feature forms (shape checks only)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import Field, Form, SelectField, SelectMultipleField
from wtforms.form import BaseForm
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from portal import labels
from portal.i18n import gettext
from portal.i18n import lazy_gettext as _l
from portal.labels import SelectChoice as SelectChoice  # re-exported for the forms
from portal.validation import drop_blanks
from rules.kinds import CITIZENSHIP_OF_TERRITORY

PROVINCES = labels.choices(labels.PROVINCE)

MIN_PASSWORD = 10


# WTForms' own messages, passed to the field's gettext as WTForms passes them (its catalogue, not ours).
_NO_CHOICES = "Choices cannot be None."
_NOT_A_CHOICE = "Not a valid choice."
_NOT_CHOICES = (
    "'%(value)s' is not a valid choice for this field.",
    "'%(value)s' are not valid choices for this field.",
)


class QuickChoices:
    """The choice check of a long list (every country) as a set lookup. WTForms' own check builds a
    rendering ``Choice`` with its label for every option each time a field is validated: with ~250
    countries that was most of an import row's time. Same rule, same message."""

    choices: Any
    data: Any
    process_errors: Sequence[str]
    validate_choice: bool
    invalid_choice_message: Any
    coerce: Callable[[Any], Any]
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    _choices_from_input: Callable[[Any], list[SelectChoice] | None]

    def _acceptable(self) -> set[Any]:
        choices = self.choices
        if choices is None:
            raise TypeError(self.gettext(_NO_CHOICES))
        if isinstance(choices, list | tuple) and all(type(c) is SelectChoice for c in choices):
            return {self.coerce(c.value) for c in choices}  # the usual case, without re-wrapping each
        return {self.coerce(c.value) for c in self._choices_from_input(choices) or ()}

    def pre_validate(self, form: BaseForm) -> None:
        if self.process_errors or not self.validate_choice:
            return
        if isinstance(self, SelectMultipleField):
            if not self.data:
                return
            acceptable = self._acceptable()
            unacceptable = [str(d) for d in set(self.data) if d not in acceptable]
            if unacceptable:
                message = self.invalid_choice_message
                if callable(message):
                    message = message(len(unacceptable))
                elif message is None:
                    message = self.ngettext(*_NOT_CHOICES, len(unacceptable))
                raise ValidationError(message % {"value": "', '".join(unacceptable)})
        elif self.data not in self._acceptable():
            raise ValidationError(self.invalid_choice_message or self.gettext(_NOT_A_CHOICE))


class CountryField(QuickChoices, SelectField):
    """One country (ISO code); its choices (every country, often with a blank one) are set by the form."""


class CountriesField(QuickChoices, SelectMultipleField):
    """Several countries (ISO codes), every country a choice in the page's language. Rendered by the
    ``countries_select`` macro (templates/macros/forms.html): a searchable box with JavaScript
    (vendored Tom Select), the plain ``<select multiple>`` without. Blank entries are no choice."""

    def __init__(
        self,
        label: str | None = None,
        validators: list[Any] | None = None,
        filters: Sequence[Callable[[Any], Any]] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("choices", labels.country_choices)  # resolved when first read (its locale)
        super().__init__(label, validators, filters=[drop_blanks, *filters], **kwargs)


class NumberInput(TextInput):
    """A number typed as text (``inputmode`` brings up the digit keyboard). WTForms' own ``type="number"``
    lets the browser replace what it cannot hold ("1e309", "inf", "1,5" in Chromium) by an empty value on
    our ``novalidate`` forms: the field was saved empty with no message (tour: a wage of 1e309). As text,
    the server sees what was typed and says what is wrong beside the field."""

    def __init__(self, inputmode: str) -> None:
        super().__init__()
        self.inputmode = inputmode

    def __call__(self, field: Field, **kwargs: Any) -> Any:
        kwargs.setdefault("inputmode", self.inputmode)
        return super().__call__(field, **kwargs)


def _grouped(separator: str) -> re.Pattern[str]:
    """Digits in groups of three after a first group of one to three (not starting with 0)."""
    return re.compile(rf"-?[1-9]\d{{0,2}}(?:{re.escape(separator)}\d{{3}})+")


_BY_COMMAS, _BY_POINTS, _BY_SPACES = _grouped(","), _grouped("."), _grouped(" ")


def typed_number(text: str, language: str | None = None) -> str:
    """A number as the reader types it, in the form Python reads (``Decimal``, ``int``): a dollar sign
    left out; spaces (no-break ones too) only between groups of three digits ("24 000 000"); in French a
    comma is the decimal mark ("45,50", "37,5"), in English a comma separates thousands when it is followed
    by groups of three digits ("24,000,000") and is else a decimal mark ("45,50"); with both a comma and a
    point, the last one is the decimal mark when the other groups thousands ("1.234,5", "1,234.5").
    Anything else ("1,234,5", "4 5", "0,750" in English, "1.2,3") stays as typed, for the field's own
    message rather than a wrong number. As text boxes (NumberInput) the fields receive what was typed,
    where type="number" had the browser read the reader's convention (tour: "45,50" refused in French)."""
    value = (text or "").replace("\u00a0", " ").replace("\u202f", " ").replace("$", "").strip()
    if " " in value:
        whole, mark, decimals = _split_decimals(value)
        if not _BY_SPACES.fullmatch(whole):
            return text
        value = whole.replace(" ", "") + mark + decimals
    if "," in value and "." in value:
        decimal, other = (",", ".") if value.rfind(",") > value.rfind(".") else (".", ",")
        whole, _mark, decimals = value.rpartition(decimal)
        if not (_BY_COMMAS if other == "," else _BY_POINTS).fullmatch(whole) or not decimals.isdigit():
            return text
        return f"{whole.replace(other, '')}.{decimals}"
    if "," in value:
        french = (language or labels.lang()) == "fr"
        if _BY_COMMAS.fullmatch(value) and (not french or value.count(",") > 1):
            return value.replace(",", "")
        if value.count(",") == 1:
            return value.replace(",", ".")
        return text
    return value


def _split_decimals(value: str) -> tuple[str, str, str]:
    """(the whole part, the decimal mark or "", the decimals) of a number typed with spaces."""
    for mark in (",", "."):
        whole, found, decimals = value.rpartition(mark)
        if found and decimals.isdigit() and " " not in decimals:
            return whole, ".", decimals
    return value, "", ""


class _Typed:
    """A number field that reads the reader's convention (``typed_number``) before WTForms parses it;
    the text typed stays what the field shows back beside its message."""

    # what the field says of text that is no number, in the product's words (WTForms says "Not a valid
    # decimal value.", where the case page and the imports ask to enter a number)
    not_a_number = _l("Enter a number.")

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [typed_number(valuelist[0]), *valuelist[1:]]
        try:
            super().process_formdata(valuelist)  # type: ignore[misc]  # a mixin: the WTForms field after it in the MRO has it
        except ValueError:
            raise ValueError(str(self.not_a_number)) from None


class DecimalField(_Typed, wtforms.DecimalField):
    """Every decimal field of the forms (wage, hours, percent): typed as text, see NumberInput."""

    widget = NumberInput("decimal")


class IntegerField(_Typed, wtforms.IntegerField):
    """Every whole-number field of the forms (employees, revenue, months): typed as text, see NumberInput."""

    widget = NumberInput("numeric")
    not_a_number = _l("Enter a whole number.")


def digits_only(value: str | None) -> str:
    return re.sub(r"[\s-]", "", value or "")


def normalize_business_number(value: str | None) -> str | None:
    return digits_only(value) if value else value


def business_number(form: Form, field: Field) -> None:
    if not re.fullmatch(r"\d{9}", field.data or ""):
        raise ValidationError(
            _l("The CRA business number is 9 digits (the first 9 digits of your CRA account number).")
        )


def citizenships(form: Form, field: Field) -> None:
    """No place whose people are citizens of another country (rules.kinds.CITIZENSHIP_OF_TERRITORY):
    the agreements read the country (a worker from Puerto Rico is a US citizen, under CUSMA)."""
    for code in field.data or ():
        if (country := CITIZENSHIP_OF_TERRITORY.get(code)) is not None:
            raise ValidationError(
                gettext(
                    "“%(place)s” is not a citizenship. Choose the country whose citizens its people are: %(country)s.",
                    place=labels.country_name(code),
                    country=labels.country_name(country),
                )
            )


def canadian_postal_code(form: Form, field: Field) -> None:
    value = (field.data or "").upper().replace(" ", "")
    if not re.fullmatch(r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d", value):
        raise ValidationError(_l("Enter a Canadian postal code, like K1A 0B1."))
    field.data = f"{value[:3]} {value[3:]}"


# The province or territory of a Canadian postal code, by its first letter (Canada Post's forward sortation
# areas): X is shared by the Northwest Territories and Nunavut.
POSTAL_CODE_PROVINCES: dict[str, tuple[str, ...]] = {
    "A": ("NL",),
    "B": ("NS",),
    "C": ("PE",),
    "E": ("NB",),
    "G": ("QC",),
    "H": ("QC",),
    "J": ("QC",),
    "K": ("ON",),
    "L": ("ON",),
    "M": ("ON",),
    "N": ("ON",),
    "P": ("ON",),
    "R": ("MB",),
    "S": ("SK",),
    "T": ("AB",),
    "V": ("BC",),
    "X": ("NT", "NU"),
    "Y": ("YT",),
}


def postal_code_in_province(form: Form, field: Field) -> None:
    """After ``canadian_postal_code``: the postal code's first letter names the province or territory of
    the address (tour: British Columbia with Ottawa's K1A 0B1 reached the packet's data sheet)."""
    province = getattr(form, "province", None)
    chosen = province.data if province is not None else None
    expected = POSTAL_CODE_PROVINCES.get((field.data or "")[:1])
    if not chosen or chosen not in labels.PROVINCE or expected is None or chosen in expected:
        return
    names = [labels.province_name(code) for code in expected]
    if len(names) > 1:
        names = [gettext("%(first)s or %(second)s", first=names[0], second=names[1])]
    raise ValidationError(
        gettext(
            "The postal code %(code)s is in %(expected)s, not %(province)s: check the province or the "
            "postal code.",
            code=field.data,
            expected=names[0],
            province=labels.province_name(chosen),
        )
    )


def telephone(form: Form, field: Field) -> None:
    digits = re.sub(r"[^\d]", "", field.data or "")
    if not 10 <= len(digits) <= 15 or re.search(r"[^\d\s()+.\-]", field.data or ""):
        raise ValidationError(_l("Enter a telephone number with its area code, like 416-555-0100."))


def cicc_licence(form: Form, field: Field) -> None:
    value = (field.data or "").strip().upper()
    if not re.fullmatch(r"R\d{6}", value):
        raise ValidationError(_l("A CICC licence number is the letter R followed by 6 digits, like R512345."))
    field.data = value


# What no typed text holds, dropped before a field is read: the control characters (C0 and C1 but the tab
# and the line breaks) that a paste brings in (an escape, a PDF's \x02), which went into names printed on
# the letters, and the bidirectional embeddings, overrides and isolates, which show the text around them
# in another order than it is stored (a role "Analyst\u202etsylanA" read "AnalystAnalyst" on the page).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip(value: object) -> object:
    """The shared filter of the text fields: without invisible characters (``_INVISIBLE``), trimmed."""
    return _INVISIBLE.sub("", value).strip() if isinstance(value, str) else value


def stripped_form(form: MultiDict[str, str]) -> MultiDict[str, str]:
    """A posted form read field by field (no WTForms class: the case's answers, built from its open
    questions) with every value through ``strip``, as a form class's text fields are."""
    return MultiDict([(key, str(strip(value))) for key, value in form.items(multi=True)])


def prefixed_texts(form: MultiDict[str, str], prefix: str) -> dict[str, str]:
    """The fields named ``prefix`` + key (a letter's sections, a review's comments on them), keyed without
    the prefix, each through ``strip``."""
    return {k.removeprefix(prefix): str(strip(v)) for k, v in form.items() if k.startswith(prefix)}


def lower_strip(value: object) -> object:
    cleaned = strip(value)
    return cleaned.lower() if isinstance(cleaned, str) else cleaned

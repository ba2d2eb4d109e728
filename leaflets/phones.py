"""Phone numbers as each country writes them: checked with `phonenumbers`, printed as the clinic typed them.

A clinic types "(555) 010-4477" or "01 23 45 67 89" and expects to see exactly that on the leaflet;
a hand-written pattern cannot know every country's plan, Google's libphonenumber data does. A number
that cannot exist in the clinic's country (too short, too long) is refused with its line; a number
that is possible but not allocated (the 555-01xx range kept for fiction) is accepted, since example
brands use such ranges on purpose.
"""

from __future__ import annotations

from .errors import LeafletError, Where

# phonenumbers is imported where it is used: a build refused for its content never needs it.
_WHY = {  # phonenumbers.ValidationResult: what to tell the clinic
    "TOO_SHORT": "has too few digits",
    "TOO_LONG": "has too many digits",
    "INVALID_LENGTH": "has a number of digits no phone number there has",
    "INVALID_COUNTRY_CODE": "starts with a country code that does not exist",
    "IS_POSSIBLE_LOCAL_ONLY": "can only be dialled locally, without the area code",
}


def country_name(country: str) -> str:
    from babel import Locale
    return Locale("en").territories.get(country, country)


def check_phone(number: str, country: str, where: Where) -> None:
    """Refuse a number that cannot be dialled in `country` (or in the country its +code names)."""
    import phonenumbers
    from phonenumbers import NumberParseException, ValidationResult
    try:
        reason = phonenumbers.is_possible_number_with_reason(phonenumbers.parse(number, country))
    except NumberParseException:
        reason = None
    if reason == ValidationResult.IS_POSSIBLE:
        return
    name = f"{country_name(country)} ({country})"
    why = next((text for key, text in _WHY.items() if getattr(ValidationResult, key) == reason), None)
    problem = why or "is not a phone number that can be dialled"
    raise LeafletError(f"the phone number '{number}' {problem} in {name}", where, _hint(country, name))


def _hint(country: str, name: str) -> str:
    import phonenumbers
    from phonenumbers import PhoneNumberFormat
    example = phonenumbers.example_number(country)
    shown = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL) if example else None
    return (f"write the whole number as it is dialled in {name}" + (f", for example {shown}" if shown else "")
            + "; a number in another country starts with + and its country code; "
              "if the clinic is not in this country, correct 'country:'")


def tel_link(number: str, country: str) -> str:
    """The number as a tel: link (RFC 3966, with its extension), so a phone or screen reader can call it."""
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat
    try:
        return phonenumbers.format_number(phonenumbers.parse(number, country), PhoneNumberFormat.RFC3966)
    except NumberParseException:
        return "tel:" + "".join(c for c in number if c.isdigit() or c == "+")

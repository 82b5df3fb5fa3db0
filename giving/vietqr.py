"""VietQR: the NAPAS 247 bank-transfer code that every Vietnamese banking app scans.

The payload is EMVCo's merchant-presented QR format: each field is an ID (two digits), a length
(two digits) and a value, some values being fields in turn, closed by a CRC-16/CCITT-FALSE
checksum. NAPAS's profile ("Technical Specifications on NAPAS QR Switching", version 1.5.2,
part IV) puts the bank and the account in field 38 under NAPAS's GUID, with the service code
of a transfer to an account; field 62-08 carries the transfer message.
"""

import re
import unicodedata

GUID = "A000000727"  # NAPAS
SERVICE_ACCOUNT_TRANSFER = "QRIBFTTA"  # QRIBFTTC would be a transfer to a card number
CURRENCY_VND = "704"  # ISO 4217
COUNTRY = "VN"
STATIC = "11"  # the same code for every transfer: the payer types the amount
DYNAMIC = "12"  # the code carries the amount
MAX_AMOUNT = 500_000_000  # NAPAS 247's limit for one transfer, in VND
MESSAGE_MAX_LENGTH = 25  # field 62-08, "purpose of transaction"
BIN_PATTERN = r"[0-9]{6}"  # the bank's NAPAS code, e.g. 970436
ACCOUNT_PATTERN = r"[0-9A-Za-z]{1,19}"  # field 38-01-01 holds at most 19 characters
# The fields whose values are fields in turn, by their path from the root.
TEMPLATES = {("38",), ("38", "01"), ("62",)}


def strip_diacritics(text):
    """Vietnamese without its marks: "Ủng hộ Đà Nẵng" becomes "Ung ho Da Nang".

    Unicode decomposition splits the tone and vowel marks from their letters; "đ" is a letter
    of its own that does not decompose, so it is replaced by hand.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(
        char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char)
    )


def transfer_message(*parts):
    """A transfer message that banks accept: ASCII letters, digits and single spaces, at most
    25 characters. Banks' apps differ in what else they take, so nothing else is kept: dashes
    and slashes part words ("EU-COVID" becomes "EU COVID"), other marks go ("P.A.C.E", "PACE").
    """
    text = strip_diacritics(" ".join(part for part in parts if part))
    text = re.sub(r"[^0-9A-Za-z ]", "", re.sub(r"[-_/\s]", " ", text))
    text = " ".join(text.split())
    return text[:MESSAGE_MAX_LENGTH].rstrip()


def crc16(data):
    """CRC-16/CCITT-FALSE of `data` (bytes) as four uppercase hex digits: polynomial 0x1021,
    initial value 0xFFFF, no reflection and no final XOR, as EMVCo prescribes."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1) & 0xFFFF
    return f"{crc:04X}"


def field(tag, value):
    if not 1 <= len(value) <= 99:
        raise ValueError(f"field {tag} must hold 1 to 99 characters, not {len(value)}")
    return f"{tag}{len(value):02d}{value}"


def payload(bin, account, amount=None, message=None):
    """The VietQR text for a transfer to `account` at the bank whose NAPAS code is `bin`.

    With an amount (whole VND) the code is dynamic and carries it; without, the payer types
    it. The message is stripped to what banks accept (transfer_message).
    """
    if not re.fullmatch(BIN_PATTERN, bin or ""):
        raise ValueError("the bank's NAPAS code (BIN) has six digits")
    if not re.fullmatch(ACCOUNT_PATTERN, account or ""):
        raise ValueError("the account number has 1 to 19 digits or letters")
    if amount is not None and not (
        isinstance(amount, int) and not isinstance(amount, bool) and 1 <= amount <= MAX_AMOUNT
    ):
        raise ValueError(f"the amount is a whole number of VND from 1 to {MAX_AMOUNT}")
    message = transfer_message(message or "")

    beneficiary = field("00", bin) + field("01", account)
    merchant = field("00", GUID) + field("01", beneficiary) + field("02", SERVICE_ACCOUNT_TRANSFER)
    text = (
        field("00", "01")  # payload format indicator
        + field("01", STATIC if amount is None else DYNAMIC)
        + field("38", merchant)
        + field("53", CURRENCY_VND)
        + (field("54", str(amount)) if amount is not None else "")
        + field("58", COUNTRY)
        + (field("62", field("08", message)) if message else "")
        + "6304"  # the checksum covers its own ID and length
    )
    return text + crc16(text.encode("ascii"))


def parse(text, path=()):
    """The fields of a VietQR payload as a nested dict: {"38": {"01": {"00": "970436", ...}}}.

    Raises ValueError for a malformed payload or, at the root, a wrong checksum.
    """
    fields, position = {}, 0
    while position < len(text):
        tag, length = text[position : position + 2], text[position + 2 : position + 4]
        if not (tag.isdigit() and length.isdigit()):
            raise ValueError(f"no field ID and length at character {position}")
        value = text[position + 4 : position + 4 + int(length)]
        if len(value) != int(length):
            raise ValueError(f"field {tag} is cut short")
        fields[tag] = parse(value, (*path, tag)) if (*path, tag) in TEMPLATES else value
        position += 4 + int(length)
    if not path:
        if not text.endswith(f"6304{fields.get('63', '')}") or len(fields.get("63", "")) != 4:
            raise ValueError("the payload does not end with its checksum (field 63)")
        if crc16(text[:-4].encode("ascii")) != fields["63"]:
            raise ValueError("the checksum does not match")
    return fields

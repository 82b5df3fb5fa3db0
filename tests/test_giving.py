"""Giving: the VietQR payload, its QR code as a scanner reads it, the Donate page and block."""

import binascii
import os
import re
import shutil
import subprocess
from decimal import Decimal

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from PIL import Image, ImageDraw

from giving import vietqr
from giving.blocks import AmountBlock, DonationBlock
from giving.models import BankTransferSettings, DonatePage
from giving.qr import QUIET_ZONE, qr_svg
from pages.models import HomePage
from pages.slugs import VIETNAMESE_LETTERS
from programmes.models import ProgrammePage
from tests.conftest import LIGHT
from tests.helpers import home_of, path_of

SVG = "{http://www.w3.org/2000/svg}"
ACCOUNT = {
    "bank_name": "Ngân hàng Thử nghiệm",
    "bank_bin": "970436",
    "branch": "Chi nhánh Hà Nội",
    "account_number": "0123456789",
    "account_holder": "TRUNG TAM LIGHT",
    "swift_code": "BFTVVNVX",
}
AMOUNTS = [100000, 200000, 500000]
QUERY_BUDGET = 10
AMOUNT_LINKS = "//ul[@class='donation__amounts']//a"

# Known answers published with subiz/vietqr (github.com/subiz/vietqr, README.md at commit
# 8da5679): `vietqr.Generate(120000, "970415", "0011001932418", "ủng hộ lũ lụt")` gives the
# first, a dynamic code with an amount and a message stripped of its diacritics; the second is
# its README's static example for account 0099999999 at TPBank (970423).
PUBLISHED = [
    (
        ("970415", "0011001932418", 120000, "ủng hộ lũ lụt"),
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
        "530370454061200005802VN62170813ung ho lu lut6304C15C",
    ),
    (
        ("970423", "0099999999", None, None),
        "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA"
        "53037045802VN6304CBB4",
    ),
]


# Independent readers: binascii's CRC, a TLV reader of the test's own, and zbar's decoder


def crc_of(text):
    """CRC-16/CCITT-FALSE by Python's binascii: crc_hqx is CRC-CCITT, 0xFFFF its start."""
    return f"{binascii.crc_hqx(text.encode('ascii'), 0xFFFF):04X}"


def tlv(text):
    """{ID: value} of one level of EMVCo fields."""
    fields = {}
    while text:
        tag, length = text[:2], int(text[2:4])
        fields[tag] = text[4 : 4 + length]
        assert len(fields[tag]) == length, f"field {tag} is cut short"
        text = text[4 + length :]
    return fields


def assert_transfer(text, account, amount=None, message=""):
    """Every field of a scanned VietQR payload, checked against the bank settings."""
    assert text[-8:-4] == "6304" and crc_of(text[:-4]) == text[-4:]
    fields = tlv(text)
    merchant = tlv(fields["38"])
    beneficiary = tlv(merchant["01"])
    assert list(fields) == [
        "00",
        "01",
        "38",
        "53",
        *(["54"] if amount else []),
        "58",
        *(["62"] if message else []),
        "63",
    ]
    assert fields["00"] == "01"
    assert fields["01"] == ("12" if amount else "11")
    assert merchant == {"00": "A000000727", "01": merchant["01"], "02": "QRIBFTTA"}
    assert beneficiary == {"00": account["bank_bin"], "01": account["account_number"]}
    assert fields["53"] == "704"
    assert fields.get("54") == (str(amount) if amount else None)
    assert fields["58"] == "VN"
    if message:
        assert tlv(fields["62"]) == {"08": message}


def zbarimg():
    """zbar's command-line decoder; missing, a skip (a failure in CI)."""
    found = shutil.which("zbarimg")
    if found is None:
        message = "zbarimg is not installed (apt-get install -y zbar-tools)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def decode_png(path):
    """The text of the one QR code in a PNG file, as zbar reads it."""
    result = subprocess.run(
        [zbarimg(), "--raw", "-q", str(path)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, f"zbar found no QR code: {result.stderr}"
    lines = result.stdout.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def svg_to_png(markup, path, scale=6):
    """Draw the SVG's own rectangles and path (as our QR writer makes them) into a PNG."""
    svg = etree.fromstring(markup)
    _, _, width, height = (int(number) for number in svg.get("viewBox").split())
    image = Image.new("L", (width * scale, height * scale), 128)  # grey: drawn nowhere
    draw = ImageDraw.Draw(image)
    for rect in svg.iter(f"{SVG}rect"):
        assert rect.get("fill") == "#fff"
        draw.rectangle([0, 0, int(rect.get("width")) * scale, int(rect.get("height")) * scale], 255)
    runs = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\3z")
    (dark,) = svg.iter(f"{SVG}path")
    assert dark.get("fill") == "#000"
    assert runs.sub("", dark.get("d")) == ""  # nothing drawn that this reader skips
    for x, y, length in ((int(n) for n in run) for run in runs.findall(dark.get("d"))):
        draw.rectangle(
            [x * scale, y * scale, (x + length) * scale - 1, (y + 1) * scale - 1], fill=0
        )
    image.save(path)
    return path


def svg_in(html):
    found = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
    assert len(found) == 1, f"{len(found)} QR codes on the page"
    return found[0]


def scanned(html, tmp_path):
    return decode_png(svg_to_png(svg_in(html), tmp_path / "qr.png"))


# The payload


@pytest.mark.parametrize(("arguments", "published"), PUBLISHED)
def test_payload_matches_published_examples(arguments, published):
    assert vietqr.payload(*arguments) == published
    assert crc_of(published[:-4]) == published[-4:]


def test_payload_holds_each_field_and_its_checksum():
    text = vietqr.payload("970436", "0123456789", 200000, "Ủng hộ SAFE")

    assert_transfer(text, ACCOUNT, 200000, "Ung ho SAFE")
    assert vietqr.parse(text) == {
        "00": "01",
        "01": "12",
        "38": {"00": "A000000727", "01": {"00": "970436", "01": "0123456789"}, "02": "QRIBFTTA"},
        "53": "704",
        "54": "200000",
        "58": "VN",
        "62": {"08": "Ung ho SAFE"},
        "63": text[-4:],
    }


def test_a_code_without_amount_is_static_and_without_message_has_no_field_62():
    text = vietqr.payload("970436", "0123456789")

    assert_transfer(text, ACCOUNT)
    assert "54" not in vietqr.parse(text) and "62" not in vietqr.parse(text)


@given(st.binary(max_size=300))
def test_our_crc_is_binascii_crc_hqx(data):
    assert vietqr.crc16(data) == f"{binascii.crc_hqx(data, 0xFFFF):04X}"


def test_crc_gives_the_catalogued_check_value():
    # CRC-16/CCITT-FALSE of "123456789" is 0x29B1 (Greg Cook's catalogue of CRC algorithms).
    assert vietqr.crc16(b"123456789") == "29B1"


def test_parse_refuses_a_changed_payload():
    text = vietqr.payload("970436", "0123456789", 200000)

    with pytest.raises(ValueError, match="checksum"):
        vietqr.parse(text.replace("200000", "900000"))
    with pytest.raises(ValueError):
        vietqr.parse(text[:-6])


@pytest.mark.parametrize(
    ("bank_bin", "account", "amount"),
    [
        ("97043", "0123456789", None),
        ("9704366", "0123456789", None),
        ("97043A", "0123456789", None),
        ("970436", "", None),
        ("970436", "0123 456789", None),
        ("970436", "1" * 20, None),
        ("970436", "0123456789", 0),
        ("970436", "0123456789", -1),
        ("970436", "0123456789", vietqr.MAX_AMOUNT + 1),
        ("970436", "0123456789", 1.5),
        ("970436", "0123456789", True),
    ],
)
def test_payload_refuses_what_banks_would(bank_bin, account, amount):
    with pytest.raises(ValueError):
        vietqr.payload(bank_bin, account, amount)


def test_diacritics_are_stripped_from_every_vietnamese_letter():
    letters = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()

    assert vietqr.strip_diacritics("Đường Trường Sa, Đà Nẵng") == "Duong Truong Sa, Da Nang"
    assert re.fullmatch(r"[a-zA-Z]+", vietqr.strip_diacritics(letters))
    # Tone marks typed as separate combining characters go too.
    assert vietqr.strip_diacritics("Vie\u0302\u0323t") == "Viet"


@given(st.text(max_size=80), st.text(max_size=40))
def test_transfer_messages_are_what_banks_accept(prefix, code):
    message = vietqr.transfer_message(prefix, code)

    assert re.fullmatch(r"([0-9A-Za-z]+( [0-9A-Za-z]+)*)?", message)
    assert len(message) <= vietqr.MESSAGE_MAX_LENGTH


def test_transfer_messages_keep_programme_codes_readable():
    assert vietqr.transfer_message("UNG HO", "EU-COVID") == "UNG HO EU COVID"
    assert vietqr.transfer_message("UNG HO", "P.A.C.E") == "UNG HO PACE"
    assert vietqr.transfer_message("Ủng hộ", "Đ/Q") == "Ung ho D Q"


# The QR code


def test_qr_svg_scans_back_to_its_payload(tmp_path):
    text = vietqr.payload("970436", "0123456789", 500000, "UNG HO SAFE")
    markup = str(qr_svg(text, "Mã VietQR <thử>"))

    assert decode_png(svg_to_png(markup, tmp_path / "qr.png")) == text


def test_qr_svg_is_an_accessible_scalable_image_without_style_or_script():
    markup = str(qr_svg(vietqr.payload("970436", "0123456789"), 'Mã VietQR <thử> & "x"'))
    svg = etree.fromstring(markup)

    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg[0].tag == f"{SVG}title" and svg[0].text == 'Mã VietQR <thử> & "x"'
    assert svg.get("width") is None and svg.get("height") is None  # sized by CSS
    assert svg.get("shape-rendering") == "crispEdges"
    assert not svg.xpath("//@style") and not svg.xpath("//*[local-name()='script']")
    assert not [name for element in svg.iter() for name in element.attrib if name.startswith("on")]
    # The quiet zone: nothing dark within four modules of any edge.
    size = int(svg.get("viewBox").split()[2])
    runs = re.findall(r"M(\d+) (\d+)h(\d+)", svg.find(f"{SVG}path").get("d"))
    assert min(int(x) for x, _, _ in runs) == QUIET_ZONE
    assert min(int(y) for _, y, _ in runs) == QUIET_ZONE
    assert max(int(x) + int(length) for x, _, length in runs) == size - QUIET_ZONE
    assert max(int(y) + 1 for _, y, _ in runs) == size - QUIET_ZONE


# Settings


@pytest.mark.django_db
def test_settings_check_the_bin_account_and_swift_code(light):
    for field, value in [
        ("bank_bin", "97043"),
        ("bank_bin", "97O436"),
        ("account_number", "0123 4567"),
        ("account_number", "1" * 20),
        ("swift_code", "BFTV-VNVX"),
        ("swift_code", "BFTVVNV"),
        ("swift_code", "BFTVVNVX12"),
    ]:
        settings = BankTransferSettings(site=light, **{**ACCOUNT, field: value})
        with pytest.raises(ValidationError) as refused:
            settings.full_clean()
        assert field in refused.value.message_dict, (field, value)

    settings = BankTransferSettings(site=light, **{**ACCOUNT, "swift_code": "bftvvnvxxxx"})
    settings.full_clean()
    assert settings.swift_code == "BFTVVNVXXXX"


@pytest.mark.django_db
def test_settings_are_blank_until_an_administrator_fills_them_in(light):
    settings = BankTransferSettings(site=light)
    settings.full_clean()

    assert not settings.shows_account and not settings.makes_qr
    assert [settings.bank_name, settings.bank_bin, settings.account_number] == ["", "", ""]
    assert [settings.account_holder, settings.swift_code, settings.branch] == ["", "", ""]


def test_editors_type_amounts_as_they_write_numbers():
    field = AmountBlock().field
    with translation.override("vi"):
        assert field.clean("200.000") == Decimal(200000)
        for refused in ["0", "200.000,5", "600.000.000", "-1"]:
            with pytest.raises(ValidationError):
                field.clean(refused)
    with translation.override("en"):
        assert field.clean("200,000") == Decimal(200000)


@pytest.mark.django_db
def test_administrators_edit_the_bank_details_in_the_admin(client, light, django_user_model):
    admin = django_user_model.objects.create_superuser("quan-tri", "qt@example.org", "x")
    client.force_login(admin)
    url = f"/admin/settings/giving/banktransfersettings/{light.pk}/"

    assert client.get(url, HTTP_HOST=LIGHT).status_code == 200
    response = client.post(
        url, {**ACCOUNT, "swift_code": "bftvvnvx", "message_prefix": "UNG HO"}, HTTP_HOST=LIGHT
    )
    assert response.status_code == 302
    assert BankTransferSettings.objects.get(site=light).swift_code == "BFTVVNVX"
    response = client.post(url, {**ACCOUNT, "bank_bin": "12345"}, HTTP_HOST=LIGHT)
    assert response.status_code == 200 and "bank_bin" in response.context["form"].errors


@pytest.mark.django_db
def test_the_donate_page_editor_opens(client, light, django_user_model):
    admin = django_user_model.objects.create_superuser("bien-tap", "bt@example.org", "x")
    client.force_login(admin)
    page = add_donate_pages()["vi"]

    response = client.get(f"/admin/pages/{page.pk}/edit/", HTTP_HOST=LIGHT)

    assert response.status_code == 200
    assert b"suggested_amounts" in response.content


# The Donate page, through the real page tree and HTTP


def add_donate_pages(amounts=AMOUNTS):
    """LIGHT's Donate page in Vietnamese and its English translation (from the demo), live,
    with these suggested amounts."""
    amounts = [("amount", Decimal(amount)) for amount in amounts]
    pages = {}
    for language in ("vi", "en"):
        page = DonatePage.objects.child_of(home_of(LIGHT, language)).get()
        page.suggested_amounts = amounts
        page.save_revision().publish()
        pages[language] = DonatePage.objects.get(pk=page.pk)
    return pages


@pytest.fixture
def donate_pages(light):
    return add_donate_pages()


@pytest.fixture
def bank(light):
    return BankTransferSettings.objects.create(site=light, **ACCOUNT)


def get(client, page, status=200, **query):
    response = client.get(path_of(page), query, HTTP_HOST=LIGHT)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def text_of(html):
    return " ".join(lxml.html.fromstring(html).xpath("//main")[0].text_content().split())


@pytest.mark.django_db
def test_donate_page_belongs_once_under_each_home_page(donate_pages):
    home = home_of(LIGHT, "vi")

    assert DonatePage.parent_page_types == ["pages.HomePage"]
    assert DonatePage.allowed_subpage_models() == []
    assert not DonatePage.can_create_at(home)  # one per home page, and it exists
    assert DonatePage in HomePage.allowed_subpage_models()


@pytest.mark.django_db
def test_without_bank_settings_the_page_explains_and_invents_nothing(client, donate_pages):
    for language, explanation in [
        ("vi", "Thông tin chuyển khoản của chúng tôi chưa có trên trang web này"),
        ("en", "Our bank transfer details are not on this website yet"),
    ]:
        html = get(client, donate_pages[language])
        assert explanation in text_of(html)
        assert "<svg" not in html and "QRIBFTTA" not in html
        assert "100.000" not in html and "100,000" not in html  # no amounts without an account


@pytest.mark.django_db
def test_blank_bank_settings_are_the_same_as_none(client, donate_pages, light):
    BankTransferSettings.objects.create(site=light)

    assert "<svg" not in get(client, donate_pages["vi"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "labels", "words"),
    [
        (
            "vi",
            ["100.000 ₫", "200.000 ₫", "500.000 ₫", "Số tiền khác"],
            ["Ngân hàng", "Số tài khoản", "Chủ tài khoản", "Nội dung chuyển khoản"],
        ),
        (
            "en",
            ["100,000 VND", "200,000 VND", "500,000 VND", "Other amount"],
            ["Bank", "Account number", "Account holder", "Transfer message"],
        ),
    ],
)
def test_page_shows_the_bank_details_and_amounts_in_each_language(
    client, donate_pages, bank, tmp_path, language, labels, words
):
    html = get(client, donate_pages[language])
    main = text_of(html)
    links = lxml.html.fromstring(html).xpath(AMOUNT_LINKS)

    assert [link.text_content().strip() for link in links] == labels
    assert links[0].get("href") == f"{path_of(donate_pages[language])}?amount=100000#donation"
    assert links[-1].get("aria-current") == "true"  # no amount chosen yet
    shown = [value for name, value in ACCOUNT.items() if name != "bank_bin"]
    for value in [*shown, "UNG HO", *words]:
        assert value in main, value
    assert_transfer(scanned(html, tmp_path), ACCOUNT, message="UNG HO")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label", "title"),
    [
        (
            "vi",
            "200.000 ₫",
            "Mã VietQR để chuyển khoản 200.000 ₫ cho TRUNG TAM LIGHT, số tài khoản 0123456789 "
            "tại Ngân hàng Thử nghiệm",
        ),
        (
            "en",
            "200,000 VND",
            "VietQR code for a bank transfer of 200,000 VND to TRUNG TAM LIGHT, account "
            "0123456789 at Ngân hàng Thử nghiệm",
        ),
    ],
)
def test_a_chosen_amount_goes_into_the_qr_code(
    client, donate_pages, bank, tmp_path, language, label, title
):
    html = get(client, donate_pages[language], amount="200000")
    (selected,) = lxml.html.fromstring(html).xpath(f"{AMOUNT_LINKS}[@aria-current]")

    assert selected.text_content().strip() == label
    assert label in text_of(html)
    assert etree.fromstring(svg_in(html)).findtext(f"{SVG}title") == title
    assert_transfer(scanned(html, tmp_path), ACCOUNT, 200000, "UNG HO")


@pytest.mark.django_db
def test_any_whole_amount_up_to_the_napas_limit_is_taken(client, donate_pages, bank, tmp_path):
    for amount in [1, 123456, vietqr.MAX_AMOUNT]:
        html = get(client, donate_pages["en"], amount=str(amount))
        assert_transfer(scanned(html, tmp_path), ACCOUNT, amount, "UNG HO")
        assert not lxml.html.fromstring(html).xpath(f"{AMOUNT_LINKS}[@aria-current]")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "amount",
    ["abc", "0", "-5", "+5", "1e6", "200000.5", "200.000", " 5", "５", "1000000000",
     str(vietqr.MAX_AMOUNT + 1), "9" * 400, "\x00", "<script>"],
)  # fmt: skip
def test_a_bad_amount_is_a_friendly_400_never_a_500(client, donate_pages, bank, tmp_path, amount):
    html = get(client, donate_pages["vi"], status=400, amount=amount)

    assert "Số tiền này không thể đưa vào mã QR" in text_of(html)
    assert_transfer(scanned(html, tmp_path), ACCOUNT, message="UNG HO")  # the static code


@pytest.mark.django_db
def test_page_has_no_inline_script_or_style_attribute(client, donate_pages, bank):
    document = lxml.html.fromstring(get(client, donate_pages["vi"], amount="200000"))

    assert not document.xpath("//@style")
    # Scripts come from files; a JSON-LD data block is data, which no browser runs.
    assert all(
        script.get("src") or script.get("type") == "application/ld+json"
        for script in document.iter("script")
    )
    assert not [
        name for element in document.iter() for name in element.attrib if name.startswith("on")
    ]


@pytest.mark.django_db
def test_donate_page_renders_in_a_fixed_number_of_queries(client, donate_pages, bank):
    def queries(**query):
        get(client, donate_pages["vi"], **query)  # fills the site chrome's cache
        with CaptureQueriesContext(connection) as captured:
            get(client, donate_pages["vi"], **query)
        return len(captured)

    plain = queries()
    assert plain <= QUERY_BUDGET
    assert queries(amount="200000") == plain
    more = [("amount", Decimal(amount)) for amount in range(10000, 310000, 10000)]
    donate_pages["vi"].suggested_amounts = more
    donate_pages["vi"].save_revision().publish()
    assert queries() == plain


@pytest.mark.django_db
def test_amount_variants_are_never_stored_in_the_page_cache(
    client, donate_pages, bank, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    path = path_of(donate_pages["vi"])

    client.get(path, HTTP_HOST=LIGHT)
    assert client.get(path, HTTP_HOST=LIGHT)["X-Page-Cache"] == "hit"
    for _ in range(2):
        response = client.get(path, {"amount": "200000"}, HTTP_HOST=LIGHT)
        assert "X-Page-Cache" not in response and b"200.000" in response.content

    # Changing the account empties the cached page at once.
    with django_capture_on_commit_callbacks(execute=True):
        bank.account_number = "9876543210"
        bank.save()
    response = client.get(path, HTTP_HOST=LIGHT)
    assert response["X-Page-Cache"] == "miss" and b"9876543210" in response.content


# The donation block


def render_block(programme, language, **query):
    value = DonationBlock().to_python(
        {"heading": "Ủng hộ chương trình", "text": "<p>Cảm ơn.</p>", "amounts": AMOUNTS}
    )
    request = RequestFactory().get(path_of(programme), query, HTTP_HOST=LIGHT)
    with translation.override(language):
        return DonationBlock().render(value, context={"page": programme, "request": request})


@pytest.mark.django_db
def test_block_names_the_programme_code_in_the_transfer_message(bank, tmp_path):
    programme = ProgrammePage.objects.descendant_of(home_of(LIGHT, "vi")).get(code="EU-COVID")

    html = render_block(programme, "vi", amount="500000")

    assert "<h2>Ủng hộ chương trình</h2>" in html and "500.000 ₫" in html
    assert "UNG HO EU COVID" in html
    assert_transfer(scanned(html, tmp_path), ACCOUNT, 500000, "UNG HO EU COVID")


@pytest.mark.django_db
def test_block_without_bank_settings_explains_and_shows_no_code(light):
    programme = ProgrammePage.objects.descendant_of(home_of(LIGHT, "en")).first()

    html = render_block(programme, "en")

    assert "Our bank transfer details are not on this website yet" in html
    assert "<svg" not in html

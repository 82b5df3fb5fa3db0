"""Vietnam's provinces, in the list that was in force when a project ran.

On 1 July 2025 Vietnam's 63 provincial units were merged into 34 (Resolution 202/2025/QH15 of
the National Assembly): 11 kept their territory, 23 were formed from two or three former ones
and took one of their names. So "Ninh Bình" before and after that day are different places, and
a stored location says which list it refers to: "<list>:<slug>", e.g. "vn63:nam-dinh" or
"vn34:ninh-binh".

- "vn63": the 63 units in force until 30 June 2025 (58 provinces and 5 cities until 2024; Thừa
  Thiên Huế became the city of Huế on 1 January 2025, so 57 and 6 at the end);
- "vn34": the 34 units from 1 July 2025 (28 provinces and 6 cities), each with the vn63 units it
  was formed from.

Names are the short forms ("Hà Nội"); `Province.name(full=True)` gives "Thành phố Hà Nội", and
`on=` the name on a given day ("Thừa Thiên Huế" before 2025). Slugs are fixed identifiers in ASCII
and never change with a name. Statistical (GSO) and ISO 3166-2 codes are deliberately left out.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from .labels import active_language, bilingual

LIST_CHANGED_ON = date(2025, 7, 1)
HUE_BECAME_A_CITY_ON = date(2025, 1, 1)

PROVINCE = "province"
CITY = "city"  # a city under the central government (thành phố trực thuộc trung ương)

# (slug, Vietnamese name, English name, kind), north to south.
VN63 = [
    ("ha-noi", "Hà Nội", "Hanoi", CITY),
    ("ha-giang", "Hà Giang", "Ha Giang", PROVINCE),
    ("cao-bang", "Cao Bằng", "Cao Bang", PROVINCE),
    ("bac-kan", "Bắc Kạn", "Bac Kan", PROVINCE),
    ("tuyen-quang", "Tuyên Quang", "Tuyen Quang", PROVINCE),
    ("lao-cai", "Lào Cai", "Lao Cai", PROVINCE),
    ("dien-bien", "Điện Biên", "Dien Bien", PROVINCE),
    ("lai-chau", "Lai Châu", "Lai Chau", PROVINCE),
    ("son-la", "Sơn La", "Son La", PROVINCE),
    ("yen-bai", "Yên Bái", "Yen Bai", PROVINCE),
    ("hoa-binh", "Hòa Bình", "Hoa Binh", PROVINCE),
    ("thai-nguyen", "Thái Nguyên", "Thai Nguyen", PROVINCE),
    ("lang-son", "Lạng Sơn", "Lang Son", PROVINCE),
    ("quang-ninh", "Quảng Ninh", "Quang Ninh", PROVINCE),
    ("bac-giang", "Bắc Giang", "Bac Giang", PROVINCE),
    ("phu-tho", "Phú Thọ", "Phu Tho", PROVINCE),
    ("vinh-phuc", "Vĩnh Phúc", "Vinh Phuc", PROVINCE),
    ("bac-ninh", "Bắc Ninh", "Bac Ninh", PROVINCE),
    ("hai-duong", "Hải Dương", "Hai Duong", PROVINCE),
    ("hai-phong", "Hải Phòng", "Hai Phong", CITY),
    ("hung-yen", "Hưng Yên", "Hung Yen", PROVINCE),
    ("thai-binh", "Thái Bình", "Thai Binh", PROVINCE),
    ("ha-nam", "Hà Nam", "Ha Nam", PROVINCE),
    ("nam-dinh", "Nam Định", "Nam Dinh", PROVINCE),
    ("ninh-binh", "Ninh Bình", "Ninh Binh", PROVINCE),
    ("thanh-hoa", "Thanh Hóa", "Thanh Hoa", PROVINCE),
    ("nghe-an", "Nghệ An", "Nghe An", PROVINCE),
    ("ha-tinh", "Hà Tĩnh", "Ha Tinh", PROVINCE),
    ("quang-binh", "Quảng Bình", "Quang Binh", PROVINCE),
    ("quang-tri", "Quảng Trị", "Quang Tri", PROVINCE),
    ("hue", "Huế", "Hue", CITY),  # Thừa Thiên Huế until 31 December 2024: see FORMER_NAMES
    ("da-nang", "Đà Nẵng", "Da Nang", CITY),
    ("quang-nam", "Quảng Nam", "Quang Nam", PROVINCE),
    ("quang-ngai", "Quảng Ngãi", "Quang Ngai", PROVINCE),
    ("binh-dinh", "Bình Định", "Binh Dinh", PROVINCE),
    ("phu-yen", "Phú Yên", "Phu Yen", PROVINCE),
    ("khanh-hoa", "Khánh Hòa", "Khanh Hoa", PROVINCE),
    ("ninh-thuan", "Ninh Thuận", "Ninh Thuan", PROVINCE),
    ("binh-thuan", "Bình Thuận", "Binh Thuan", PROVINCE),
    ("kon-tum", "Kon Tum", "Kon Tum", PROVINCE),
    ("gia-lai", "Gia Lai", "Gia Lai", PROVINCE),
    ("dak-lak", "Đắk Lắk", "Dak Lak", PROVINCE),
    ("dak-nong", "Đắk Nông", "Dak Nong", PROVINCE),
    ("lam-dong", "Lâm Đồng", "Lam Dong", PROVINCE),
    ("binh-phuoc", "Bình Phước", "Binh Phuoc", PROVINCE),
    ("tay-ninh", "Tây Ninh", "Tay Ninh", PROVINCE),
    ("binh-duong", "Bình Dương", "Binh Duong", PROVINCE),
    ("dong-nai", "Đồng Nai", "Dong Nai", PROVINCE),
    ("ba-ria-vung-tau", "Bà Rịa - Vũng Tàu", "Ba Ria-Vung Tau", PROVINCE),
    ("ho-chi-minh", "TP. Hồ Chí Minh", "Ho Chi Minh City", CITY),
    ("long-an", "Long An", "Long An", PROVINCE),
    ("tien-giang", "Tiền Giang", "Tien Giang", PROVINCE),
    ("ben-tre", "Bến Tre", "Ben Tre", PROVINCE),
    ("tra-vinh", "Trà Vinh", "Tra Vinh", PROVINCE),
    ("vinh-long", "Vĩnh Long", "Vinh Long", PROVINCE),
    ("dong-thap", "Đồng Tháp", "Dong Thap", PROVINCE),
    ("an-giang", "An Giang", "An Giang", PROVINCE),
    ("kien-giang", "Kiên Giang", "Kien Giang", PROVINCE),
    ("can-tho", "Cần Thơ", "Can Tho", CITY),
    ("hau-giang", "Hậu Giang", "Hau Giang", PROVINCE),
    ("soc-trang", "Sóc Trăng", "Soc Trang", PROVINCE),
    ("bac-lieu", "Bạc Liêu", "Bac Lieu", PROVINCE),
    ("ca-mau", "Cà Mau", "Ca Mau", PROVINCE),
]

# (slug, Vietnamese name, English name, kind, the vn63 slugs it was formed from), north to south.
VN34 = [
    ("ha-noi", "Hà Nội", "Hanoi", CITY, ("ha-noi",)),
    ("cao-bang", "Cao Bằng", "Cao Bang", PROVINCE, ("cao-bang",)),
    ("tuyen-quang", "Tuyên Quang", "Tuyen Quang", PROVINCE, ("ha-giang", "tuyen-quang")),
    ("dien-bien", "Điện Biên", "Dien Bien", PROVINCE, ("dien-bien",)),
    ("lai-chau", "Lai Châu", "Lai Chau", PROVINCE, ("lai-chau",)),
    ("son-la", "Sơn La", "Son La", PROVINCE, ("son-la",)),
    ("lao-cai", "Lào Cai", "Lao Cai", PROVINCE, ("lao-cai", "yen-bai")),
    ("thai-nguyen", "Thái Nguyên", "Thai Nguyen", PROVINCE, ("bac-kan", "thai-nguyen")),
    ("lang-son", "Lạng Sơn", "Lang Son", PROVINCE, ("lang-son",)),
    ("quang-ninh", "Quảng Ninh", "Quang Ninh", PROVINCE, ("quang-ninh",)),
    ("phu-tho", "Phú Thọ", "Phu Tho", PROVINCE, ("hoa-binh", "phu-tho", "vinh-phuc")),
    ("bac-ninh", "Bắc Ninh", "Bac Ninh", PROVINCE, ("bac-giang", "bac-ninh")),
    ("hai-phong", "Hải Phòng", "Hai Phong", CITY, ("hai-duong", "hai-phong")),
    ("hung-yen", "Hưng Yên", "Hung Yen", PROVINCE, ("hung-yen", "thai-binh")),
    ("ninh-binh", "Ninh Bình", "Ninh Binh", PROVINCE, ("ha-nam", "nam-dinh", "ninh-binh")),
    ("thanh-hoa", "Thanh Hóa", "Thanh Hoa", PROVINCE, ("thanh-hoa",)),
    ("nghe-an", "Nghệ An", "Nghe An", PROVINCE, ("nghe-an",)),
    ("ha-tinh", "Hà Tĩnh", "Ha Tinh", PROVINCE, ("ha-tinh",)),
    ("quang-tri", "Quảng Trị", "Quang Tri", PROVINCE, ("quang-binh", "quang-tri")),
    ("hue", "Huế", "Hue", CITY, ("hue",)),
    ("da-nang", "Đà Nẵng", "Da Nang", CITY, ("da-nang", "quang-nam")),
    ("quang-ngai", "Quảng Ngãi", "Quang Ngai", PROVINCE, ("quang-ngai", "kon-tum")),
    ("gia-lai", "Gia Lai", "Gia Lai", PROVINCE, ("binh-dinh", "gia-lai")),
    ("khanh-hoa", "Khánh Hòa", "Khanh Hoa", PROVINCE, ("khanh-hoa", "ninh-thuan")),
    ("dak-lak", "Đắk Lắk", "Dak Lak", PROVINCE, ("phu-yen", "dak-lak")),
    ("lam-dong", "Lâm Đồng", "Lam Dong", PROVINCE, ("binh-thuan", "dak-nong", "lam-dong")),
    ("dong-nai", "Đồng Nai", "Dong Nai", PROVINCE, ("binh-phuoc", "dong-nai")),
    ("tay-ninh", "Tây Ninh", "Tay Ninh", PROVINCE, ("tay-ninh", "long-an")),
    (
        "ho-chi-minh",
        "TP. Hồ Chí Minh",
        "Ho Chi Minh City",
        CITY,
        ("binh-duong", "ba-ria-vung-tau", "ho-chi-minh"),
    ),
    ("dong-thap", "Đồng Tháp", "Dong Thap", PROVINCE, ("tien-giang", "dong-thap")),
    ("vinh-long", "Vĩnh Long", "Vinh Long", PROVINCE, ("ben-tre", "tra-vinh", "vinh-long")),
    ("an-giang", "An Giang", "An Giang", PROVINCE, ("an-giang", "kien-giang")),
    ("can-tho", "Cần Thơ", "Can Tho", CITY, ("can-tho", "hau-giang", "soc-trang")),
    ("ca-mau", "Cà Mau", "Ca Mau", PROVINCE, ("bac-lieu", "ca-mau")),
]

# Names a unit had before a day: {(list, slug): [(until, Vietnamese, English, kind)]}.
FORMER_NAMES = {
    ("vn63", "hue"): [(HUE_BECAME_A_CITY_ON, "Thừa Thiên Huế", "Thua Thien Hue", PROVINCE)],
}

# Full Vietnamese names that are not "Tỉnh …" / "Thành phố …" + the short name.
FULL_VI = {"TP. Hồ Chí Minh": "Thành phố Hồ Chí Minh"}
# English names of cities that take no "City".
PLAIN_EN = {"Hanoi", "Ho Chi Minh City"}


def full_name(short: str, kind: str, language: str) -> str:
    """The full name, e.g. "Tỉnh Nam Định", "Nam Dinh Province" or "Can Tho City"."""
    if language == "vi":
        return FULL_VI.get(short) or f"{'Thành phố' if kind == CITY else 'Tỉnh'} {short}"
    if kind == PROVINCE:
        return f"{short} Province"
    return short if short in PLAIN_EN else f"{short} City"


@dataclass(frozen=True)
class Province:
    list_key: str
    slug: str
    vi: str
    en: str
    kind: str
    formed_from: tuple[str, ...] = ()  # vn34: the vn63 slugs
    former_names: tuple = field(default=(), compare=False)

    @property
    def key(self) -> str:
        """The stored value, "vn63:nam-dinh"."""
        return f"{self.list_key}:{self.slug}"

    @property
    def is_city(self) -> bool:
        return self.kind == CITY

    def name(self, language=None, *, full=False, on: date | None = None) -> str:
        """The name in `language` (default: the active one; English unless Vietnamese).

        `on`: the name that day, e.g. the day the project ran ("Thừa Thiên Huế" in 2020);
        by default the last name the unit had in its list.
        """
        vi, en, kind = self.vi, self.en, self.kind
        for until, former_vi, former_en, former_kind in self.former_names:
            if on is not None and on < until:
                vi, en, kind = former_vi, former_en, former_kind
                break
        language = "vi" if active_language(language) == "vi" else "en"
        short = vi if language == "vi" else en
        return full_name(short, kind, language) if full else short

    def label(self):
        """A lazy label for a select: the name, with any former name: "Huế (Thừa Thiên Huế)"."""
        former = self.former_names[0] if self.former_names else None
        if former:
            return bilingual(f"{self.en} ({former[2]})", f"{self.vi} ({former[1]})")
        return bilingual(self.en, self.vi)

    def __str__(self):
        return self.name()


@dataclass(frozen=True)
class ProvinceList:
    key: str
    label: object  # a lazy string
    first_day: date | None
    last_day: date | None
    provinces: dict = field(compare=False)  # {slug: Province}, north to south


def _build():
    vn63 = {
        slug: Province(
            "vn63", slug, vi, en, kind, former_names=tuple(FORMER_NAMES.get(("vn63", slug), ()))
        )
        for slug, vi, en, kind in VN63
    }
    vn34 = {
        slug: Province("vn34", slug, vi, en, kind, formed_from=tuple(formed_from))
        for slug, vi, en, kind, formed_from in VN34
    }
    return {
        "vn63": ProvinceList(
            "vn63",
            bilingual(
                "63 provinces and cities (until 30 June 2025)", "63 tỉnh, thành (đến 30/6/2025)"
            ),
            None,
            date(2025, 6, 30),
            vn63,
        ),
        "vn34": ProvinceList(
            "vn34",
            bilingual("34 provinces and cities (from 1 July 2025)", "34 tỉnh, thành (từ 1/7/2025)"),
            LIST_CHANGED_ON,
            None,
            vn34,
        ),
    }


PROVINCE_LISTS = _build()
# vn63 slug -> vn34 slug
SUCCESSORS = {
    old: new.slug for new in PROVINCE_LISTS["vn34"].provinces.values() for old in new.formed_from
}


def province(key: str) -> Province:
    """The province of a stored value such as "vn63:ha-noi"; KeyError if there is none."""
    list_key, _, slug = (key or "").partition(":")
    try:
        return PROVINCE_LISTS[list_key].provinces[slug]
    except KeyError:
        raise KeyError(f"No province {key!r}: expected '<vn63|vn34>:<slug>'") from None


def province_name(key: str, language=None, *, full=False, on: date | None = None) -> str:
    """The name of a stored province, e.g. province_name("vn63:hue", "vi", on=date(2020, 1, 1))."""
    return province(key).name(language, full=full, on=on)


def is_province(key: str) -> bool:
    try:
        province(key)
    except KeyError:
        return False
    return True


def list_for(day: date) -> str:
    """The key of the list in force on `day`: "vn63" before 1 July 2025, else "vn34"."""
    return "vn63" if day < LIST_CHANGED_ON else "vn34"


def current_successor(key: str) -> str:
    """The vn34 value a stored value now lies in: "vn63:nam-dinh" -> "vn34:ninh-binh".

    A vn34 value is its own successor.
    """
    unit = province(key)
    if unit.list_key == "vn34":
        return unit.key
    return f"vn34:{SUCCESSORS[unit.slug]}"


def predecessors(key: str) -> list[str]:
    """The vn63 values a vn34 value was formed from: "vn34:ninh-binh" -> ["vn63:ha-nam", …]."""
    unit = province(key)
    if unit.list_key != "vn34":
        raise ValueError(f"{key!r} is not in the vn34 list")
    return [f"vn63:{slug}" for slug in unit.formed_from]


@cache
def choices():
    """Grouped choices for a select: [(lazy group label, [(stored value, lazy label)])].

    The 63-unit list first, then the 34-unit one; names north to south, as official lists run.
    """
    return [
        (
            province_list.label,
            [(unit.key, unit.label()) for unit in province_list.provinces.values()],
        )
        for province_list in PROVINCE_LISTS.values()
    ]

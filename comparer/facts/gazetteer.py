"""The small gazetteer that ships with Crosscheck: places, their clocks and countries.

Why a hand-made table and not a geocoder: the fact readers need only two things
from a place name — one canonical spelling, so that "Abu Kamal" and "Al Bukamal"
compare equal, and the IANA time zone, so that "1 a.m. local time" can be turned
into UTC. A few hundred names cover the bundled example (eastern Syria and
western Iraq), about eighty capitals and the countries around them; a deployment
adds its own with ``[facts] extra_places`` (name = IANA zone) and spelling
variants with ``[facts] aliases`` (variant = canonical). Nothing here touches the
network or needs spaCy.

Levels let the disagreement stage compare like with like: ``country`` (Syria),
``region`` (eastern Syria, a province, a border area), ``city`` (capitals and
large cities), ``town`` and ``site`` (a base or an airport); places added from
settings are ``place``. A country or region that spans several clocks (the
United States, Russia, the Syria–Iraq border) has zone ``None``: its "local
time" cannot be resolved.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping, NamedTuple
from zoneinfo import ZoneInfo

from comparer.facts.names import BUILTIN_ALIASES, fold


class Place(NamedTuple):
    canonical: str
    zone: str | None
    country: str | None
    level: str  # country | region | city | town | site | place


# canonical: (zone, country, level, variants separated by "|")
_EXAMPLE: dict[str, tuple[str | None, str | None, str, str]] = {
    "Al Bukamal": ("Asia/Damascus", "Syria", "town",
                   "Abu Kamal|Abukamal|Albu Kamal|Al Bu Kamal|Boukamal|Al Boukamal|Bou Kamal|"
                   "Abou Kamal|Bukamal|Albukamal|Al Bukamel"),
    "Al Mayadin": ("Asia/Damascus", "Syria", "town", "Mayadin|Al Mayadeen|Mayadeen|Mayadine"),
    "Deir ez-Zor": ("Asia/Damascus", "Syria", "city",
                    "Deir ez Zor|Deir el-Zour|Deir Ezzor|Deir al-Zor|Deir al-Zour|Deir Ezzour|"
                    "Dayr az Zawr|Deir Ez-Zour|Deir Zor"),
    "Deir ez-Zor province": ("Asia/Damascus", "Syria", "region",
                             "Deir ez-Zor governorate|Deir el-Zour province|Deir Ezzor province|"
                             "Deir al-Zor province|Deir ez-Zor region"),
    "Al Qaim": ("Asia/Baghdad", "Iraq", "town", "Qaim|Al-Qa'im"),
    "Anbar province": ("Asia/Baghdad", "Iraq", "region", "Anbar|Al Anbar|al-Anbar province"),
    "Erbil": ("Asia/Baghdad", "Iraq", "city", "Irbil|Arbil|Hawler|Erbil city"),
    "Ain al-Asad": ("Asia/Baghdad", "Iraq", "site",
                    "Ain al-Asad air base|Ain al-Assad|Ain al-Asad airbase|Al Asad Airbase|"
                    "Al-Asad Air Base|Ain al Asad"),
    "Kurdistan Region": ("Asia/Baghdad", "Iraq", "region",
                         "Iraqi Kurdistan|Kurdistan region of Iraq"),
    "Syria–Iraq border": (None, None, "region",
                          "Syria-Iraq border|Iraq-Syria border|Syrian-Iraqi border|"
                          "Iraqi-Syrian border|Syria Iraq border|border between Syria and Iraq|"
                          "border between Iraq and Syria|Syrian border with Iraq|"
                          "Iraqi border with Syria"),
    "Hasakah": ("Asia/Damascus", "Syria", "city", "Al-Hasakah|Hasakeh|Al Hasakah|Hasaka"),
    "Palmyra": ("Asia/Damascus", "Syria", "town", "Tadmur|Tadmor"),
    "Raqqa": ("Asia/Damascus", "Syria", "city", "Al-Raqqa|Raqqah|Ar-Raqqah"),
    "Aleppo": ("Asia/Damascus", "Syria", "city", "Halab"),
    "Homs": ("Asia/Damascus", "Syria", "city", ""),
    "Idlib": ("Asia/Damascus", "Syria", "city", "Idleb"),
    "Mosul": ("Asia/Baghdad", "Iraq", "city", ""),
    "Basra": ("Asia/Baghdad", "Iraq", "city", "Basrah"),
    "Kirkuk": ("Asia/Baghdad", "Iraq", "city", ""),
    "Tel Aviv": ("Asia/Jerusalem", "Israel", "city", ""),
    "Istanbul": ("Europe/Istanbul", "Turkey", "city", ""),
    "Dubai": ("Asia/Dubai", "United Arab Emirates", "city", ""),
    "New York": ("America/New_York", "United States", "city", "New York City|NYC"),
    "Los Angeles": ("America/Los_Angeles", "United States", "city", ""),
    "Geneva": ("Europe/Zurich", "Switzerland", "city", "Geneve"),
}

# capital: (zone, country, variants); the country is also a gazetteer entry.
_CAPITALS: dict[str, tuple[str, str, str]] = {
    "Damascus": ("Asia/Damascus", "Syria", "Dimashq"),
    "Baghdad": ("Asia/Baghdad", "Iraq", ""),
    "Tehran": ("Asia/Tehran", "Iran", "Teheran"),
    "Beirut": ("Asia/Beirut", "Lebanon", "Beyrouth"),
    "Amman": ("Asia/Amman", "Jordan", ""),
    "Jerusalem": ("Asia/Jerusalem", "Israel", ""),
    "Riyadh": ("Asia/Riyadh", "Saudi Arabia", ""),
    "Ankara": ("Europe/Istanbul", "Turkey", ""),
    "Cairo": ("Africa/Cairo", "Egypt", ""),
    "Doha": ("Asia/Qatar", "Qatar", ""),
    "Abu Dhabi": ("Asia/Dubai", "United Arab Emirates", ""),
    "Kuwait City": ("Asia/Kuwait", "Kuwait", ""),
    "Manama": ("Asia/Bahrain", "Bahrain", ""),
    "Muscat": ("Asia/Muscat", "Oman", ""),
    "Sanaa": ("Asia/Aden", "Yemen", "Sana'a"),
    "Kabul": ("Asia/Kabul", "Afghanistan", ""),
    "Islamabad": ("Asia/Karachi", "Pakistan", ""),
    "New Delhi": ("Asia/Kolkata", "India", "Delhi"),
    "Dhaka": ("Asia/Dhaka", "Bangladesh", "Dacca"),
    "Kathmandu": ("Asia/Kathmandu", "Nepal", ""),
    "Colombo": ("Asia/Colombo", "Sri Lanka", ""),
    "Beijing": ("Asia/Shanghai", "China", "Peking"),
    "Tokyo": ("Asia/Tokyo", "Japan", ""),
    "Seoul": ("Asia/Seoul", "South Korea", ""),
    "Pyongyang": ("Asia/Pyongyang", "North Korea", ""),
    "Taipei": ("Asia/Taipei", "Taiwan", ""),
    "Manila": ("Asia/Manila", "Philippines", ""),
    "Hanoi": ("Asia/Ho_Chi_Minh", "Vietnam", ""),
    "Bangkok": ("Asia/Bangkok", "Thailand", ""),
    "Kuala Lumpur": ("Asia/Kuala_Lumpur", "Malaysia", ""),
    "Singapore": ("Asia/Singapore", "Singapore", ""),
    "Naypyidaw": ("Asia/Yangon", "Myanmar", "Nay Pyi Taw|Naypyitaw"),
    "Ulaanbaatar": ("Asia/Ulaanbaatar", "Mongolia", "Ulan Bator"),
    "Tashkent": ("Asia/Tashkent", "Uzbekistan", ""),
    "Baku": ("Asia/Baku", "Azerbaijan", ""),
    "Tbilisi": ("Asia/Tbilisi", "Georgia", ""),
    "Yerevan": ("Asia/Yerevan", "Armenia", ""),
    "Moscow": ("Europe/Moscow", "Russia", ""),
    "Kyiv": ("Europe/Kyiv", "Ukraine", "Kiev"),
    "Minsk": ("Europe/Minsk", "Belarus", ""),
    "Warsaw": ("Europe/Warsaw", "Poland", ""),
    "Berlin": ("Europe/Berlin", "Germany", ""),
    "Paris": ("Europe/Paris", "France", ""),
    "London": ("Europe/London", "United Kingdom", ""),
    "Dublin": ("Europe/Dublin", "Ireland", ""),
    "Madrid": ("Europe/Madrid", "Spain", ""),
    "Lisbon": ("Europe/Lisbon", "Portugal", ""),
    "Rome": ("Europe/Rome", "Italy", ""),
    "Vienna": ("Europe/Vienna", "Austria", ""),
    "Bern": ("Europe/Zurich", "Switzerland", "Berne"),
    "Brussels": ("Europe/Brussels", "Belgium", ""),
    "Amsterdam": ("Europe/Amsterdam", "Netherlands", ""),
    "The Hague": ("Europe/Amsterdam", "Netherlands", ""),
    "Stockholm": ("Europe/Stockholm", "Sweden", ""),
    "Oslo": ("Europe/Oslo", "Norway", ""),
    "Copenhagen": ("Europe/Copenhagen", "Denmark", ""),
    "Helsinki": ("Europe/Helsinki", "Finland", ""),
    "Athens": ("Europe/Athens", "Greece", ""),
    "Budapest": ("Europe/Budapest", "Hungary", ""),
    "Prague": ("Europe/Prague", "Czech Republic", ""),
    "Bucharest": ("Europe/Bucharest", "Romania", ""),
    "Sofia": ("Europe/Sofia", "Bulgaria", ""),
    "Belgrade": ("Europe/Belgrade", "Serbia", ""),
    "Washington": ("America/New_York", "United States", "Washington D.C.|Washington DC"),
    "Ottawa": ("America/Toronto", "Canada", ""),
    "Mexico City": ("America/Mexico_City", "Mexico", ""),
    "Havana": ("America/Havana", "Cuba", ""),
    "Caracas": ("America/Caracas", "Venezuela", ""),
    "Bogota": ("America/Bogota", "Colombia", ""),
    "Lima": ("America/Lima", "Peru", ""),
    "Santiago": ("America/Santiago", "Chile", ""),
    "Buenos Aires": ("America/Argentina/Buenos_Aires", "Argentina", ""),
    "Brasilia": ("America/Sao_Paulo", "Brazil", ""),
    "Nairobi": ("Africa/Nairobi", "Kenya", ""),
    "Addis Ababa": ("Africa/Addis_Ababa", "Ethiopia", ""),
    "Khartoum": ("Africa/Khartoum", "Sudan", ""),
    "Tripoli": ("Africa/Tripoli", "Libya", ""),
    "Tunis": ("Africa/Tunis", "Tunisia", ""),
    "Algiers": ("Africa/Algiers", "Algeria", ""),
    "Rabat": ("Africa/Casablanca", "Morocco", ""),
    "Abuja": ("Africa/Lagos", "Nigeria", ""),
    "Kinshasa": ("Africa/Kinshasa", "Democratic Republic of the Congo", ""),
    "Pretoria": ("Africa/Johannesburg", "South Africa", ""),
    "Mogadishu": ("Africa/Mogadishu", "Somalia", ""),
    "Accra": ("Africa/Accra", "Ghana", ""),
    "Dakar": ("Africa/Dakar", "Senegal", ""),
    "Canberra": ("Australia/Sydney", "Australia", ""),
    "Wellington": ("Pacific/Auckland", "New Zealand", ""),
}

# Countries spanning several clocks: "local time" there says nothing.
_MULTI_ZONE = {"United States", "Russia", "Canada", "Brazil", "Mexico", "Australia",
               "Democratic Republic of the Congo", "Mongolia"}
# Folded spellings never read as places: "us"/"U.S." are modifiers in news copy
# ("US troops", "U.S.-led coalition"), and the empty key matches nothing useful.
_NOT_PLACES = ("", "us")
# Country names that are more often something else in English copy (a US state).
_NOT_COUNTRIES = {"Georgia"}
# Country variants ("US"/"U.S." are dropped below, see _NOT_PLACES).
_COUNTRY_VARIANTS = {
    "Syria": "Syrian Arab Republic", "Iran": "Islamic Republic of Iran|Persia",
    "Turkey": "Turkiye|Türkiye", "United Arab Emirates": "UAE|U.A.E.",
    "United Kingdom": "UK|U.K.|Britain|Great Britain", "United States":
    "United States of America|USA|U.S.A.", "Myanmar": "Burma", "Czech Republic": "Czechia",
    "Democratic Republic of the Congo": "DR Congo|DRC", "South Korea": "Republic of Korea",
    "North Korea": "DPRK", "Netherlands": "Holland", "Ivory Coast": "Cote d'Ivoire",
}
_COUNTRY_ZONES_EXTRA = {"Ivory Coast": "Africa/Abidjan", "England": "Europe/London"}

# Words after a place name that make it part of another name ("Washington Post").
FOLLOWERS = ("Post", "Times", "Journal", "Herald", "Tribune", "Chronicle", "Gazette",
             "Observer", "Examiner", "Star", "Sun", "Daily", "Review", "Institute",
             "University", "Accord", "Agreement", "Protocol", "Convention", "Declaration",
             "Stock", "Consensus", "Today", "Syndrome", "Street", "Avenue", "Road", "Square")


def valid_zone(zone: Any) -> str | None:
    """``zone`` if zoneinfo knows it, else None (a bad setting must not crash a run)."""
    if not isinstance(zone, str) or not zone.strip() or len(zone) > 64:
        return None
    try:
        ZoneInfo(zone.strip())
    except Exception:  # ZoneInfoNotFoundError, ValueError on odd paths
        return None
    return zone.strip()


def _builtin() -> tuple[dict[str, Place], list[tuple[str, str]]]:
    places: dict[str, Place] = {}
    variants: list[tuple[str, str]] = []

    def add(canonical: str, zone: str | None, country: str | None, level: str,
            names: str) -> None:
        places[canonical] = Place(canonical, valid_zone(zone), country, level)
        variants.append((canonical, canonical))
        variants.extend((v, canonical) for v in names.split("|") if v)

    for name, (zone, country, level, names) in _EXAMPLE.items():
        add(name, zone, country, level, names)
    for name, (zone, country, names) in _CAPITALS.items():
        add(name, zone, country, "city", names)
    countries = {country: zone for zone, country, _ in _CAPITALS.values()}
    countries.update(_COUNTRY_ZONES_EXTRA)
    for country, zone in countries.items():
        if country not in places and country not in _NOT_COUNTRIES:  # Singapore stays a city
            add(country, None if country in _MULTI_ZONE else zone, country, "country",
                _COUNTRY_VARIANTS.get(country, ""))
    return places, variants


_PLACES, _VARIANTS = _builtin()


def _settings_tables(settings: Any) -> tuple[tuple[tuple[str, str], ...],
                                             tuple[tuple[str, str], ...]]:
    """(extra_places, aliases) from settings as sorted tuples (hashable for the cache)."""
    def pairs(table: Any) -> tuple[tuple[str, str], ...]:
        if not isinstance(table, Mapping):
            return ()
        return tuple(sorted((str(k), str(v)) for k, v in table.items()
                            if str(k).strip() and fold(str(k))))

    try:
        facts = settings.facts
        return pairs(facts.extra_places), pairs(facts.aliases)
    except Exception:  # no settings or no [facts]: built-in table only
        return (), ()


@lru_cache(maxsize=32)
def _tables(extra: tuple[tuple[str, str], ...], aliases: tuple[tuple[str, str], ...]
            ) -> tuple[dict[str, Place], dict[str, str]]:
    """(canonical -> Place, folded variant -> canonical) for one settings state."""
    places = dict(_PLACES)
    for name, zone in extra:
        name = " ".join(name.split())
        old = places.get(name)
        places[name] = Place(name, valid_zone(zone), old.country if old else None,
                             old.level if old else "place")
    variants: dict[str, str] = {}
    # names.py's aliases first, so the gazetteer's own spellings win on a clash
    for variant, canonical in list(BUILTIN_ALIASES.items()) + list(aliases):
        if canonical in places:
            variants[fold(variant)] = canonical
    for variant, canonical in _VARIANTS:
        variants[fold(variant)] = canonical
    for name in places:
        variants[fold(name)] = name
    for key in _NOT_PLACES:
        variants.pop(key, None)
    return places, variants


def tables(settings: Any) -> tuple[dict[str, Place], dict[str, str]]:
    """The gazetteer as ``settings`` extends it: (places by canonical, variants by fold)."""
    return _tables(*_settings_tables(settings))


def lookup(name: str, *, settings: Any) -> Place | None:
    """The gazetteer entry for any spelling of ``name`` (exact after folding), else None."""
    if not isinstance(name, str):
        return None
    places, variants = tables(settings)
    canonical = variants.get(fold(name))
    return places.get(canonical) if canonical else None

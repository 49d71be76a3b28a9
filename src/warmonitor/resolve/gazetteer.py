"""The gazetteer: place names -> Place records (cities, admin-1 areas, countries) with coordinates.

Input: the shipped files in warmonitor/data/gazetteer/ (admin1.tsv, countries.tsv, places.tsv.gz,
supplement.tsv; format in that folder's README.md) or a folder with the same files.
Output: `Place` records. Lookups go through normalised keys: `name_key` (exact after case, accents,
punctuation and a leading Arabic article) and a folded key from `variant_keys` (transliteration
variants: Tell/Tal, Dayr/Deir, Shaykh/Sheikh, -eh/-ah endings, doubled letters).

Loading the world parses ~235k places; the built index is cached as a pickle in the user's cache
folder (WARMONITOR_CACHE_DIR, else $XDG_CACHE_HOME/warmonitor, else ~/.cache/warmonitor), keyed by
the package version, the data files' hashes and the country filter. An unreadable or stale cache is
ignored and rebuilt.
"""
from __future__ import annotations

import gzip
import hashlib
import logging
import math
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from warmonitor.records import Place

log = logging.getLogger(__name__)

DATA_FILES = ("admin1.tsv", "admin2.tsv", "countries.tsv", "places.tsv.gz", "supplement.tsv")
CACHE_FORMAT = 4  # bump when _build_state changes what it builds

#: Leading articles dropped by `name_key` ("al-Latamneh" -> "latamneh"); dropped anywhere by the fold.
ARTICLES = frozenset(
    "al el ar as ad an at az ash ath adh ed er es et ez en".split()
)
#: Transliteration variants of common name parts, folded to one spelling (folded key only).
FOLD_TOKENS = {
    **dict.fromkeys(("tell", "tall", "tal", "tel", "til"), "tal"),
    **dict.fromkeys(("deir", "dayr", "dair", "der", "deyr", "dier"), "deir"),
    **dict.fromkeys(("kafr", "kfar", "kafar", "kefr", "kfr", "kafer", "kufr"), "kafr"),
    **dict.fromkeys(("sheikh", "shaykh", "shaikh", "sheik", "shekh", "cheikh", "sheykh", "shaik"), "sheikh"),
    **dict.fromkeys(("ain", "ein", "ayn", "ayin", "aine"), "ain"),
    **dict.fromkeys(("beit", "bayt", "bait", "beyt"), "beit"),
    **dict.fromkeys(("jabal", "jebel", "jbel", "jabel", "djebel"), "jabal"),
    **dict.fromkeys(("khirbet", "khirbat", "khirbit", "khirba", "khirbeh"), "khirbet"),
    **dict.fromkeys(("umm", "um", "om"), "umm"),
    **dict.fromkeys(("abu", "abou", "abo"), "abu"),
    **dict.fromkeys(("maarat", "maarrat", "maaret", "maarret", "marat"), "maarat"),
}
# Character folds of the folded key (after the token folds and the -eh/-ah ending fold).
_FOLD_PAIRS = (("iy", "i"), ("ou", "u"), ("oo", "u"), ("ay", "ai"), ("aw", "o"), ("e", "i"), ("q", "k"))
_DOUBLES = re.compile(r"([a-z])\1+")
_PUNCT = str.maketrans(
    {**dict.fromkeys("'’‘`´ʼʻʿʾ′\u02bc", ""), **dict.fromkeys("-‐‑‒–—―_.,;:/()\"“”", " ")}
)
_LETTERS = str.maketrans({"ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})

#: An admin-1 area named exactly by the text ranks like a town of this population (see `rank`).
ADMIN1_EXACT_POPULATION = 50_000
ADMIN1_POPULATION_SHARE = 20

# Row layout in the in-memory table (tuples keep 235k places small and quick to unpickle).
_ID, _NAME, _FEATURE, _CC, _A1, _LAT, _LON, _POP, _A2 = range(9)


def name_key(text: str) -> str:
    """The exact lookup key: lower case, no accents or apostrophes, hyphens as spaces, and a
    leading article dropped ("al-Latamneh", "Al Latamneh" -> "latamneh")."""
    t = text.strip().lower()
    if not t.isascii():
        t = unicodedata.normalize("NFKD", t.translate(_LETTERS))
        t = "".join(ch for ch in t if not unicodedata.combining(ch))
    tokens = t.translate(_PUNCT).split()
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)


#: A city this large is widely known by its other names too ("Bombay", "Kiev", "Saigon").
WELL_KNOWN_CITY = 1_000_000


def is_own_name(text: str, place) -> bool:
    """Whether text is the place's own name rather than one of its many alternates: "Abo" is Turku in
    Swedish and "Peace" a nickname of a US town, but neither tells a report is about Finland or the
    US. A very large city counts under any of its names."""
    return place.population >= WELL_KNOWN_CITY or name_key(text) == name_key(place.name)


#: sector_centre: how far from a place its countryside reaches, and how close a town is still the place itself
SECTOR_REACH_KM = 40.0
SECTOR_MIN_KM = 3.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points given in radians."""
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial compass bearing in degrees (0 north, 90 east) from point 1 to point 2, in radians."""
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return math.degrees(math.atan2(y, x)) % 360


def fold_key(key: str) -> str:
    """The transliteration-folded form of a `name_key`: name parts folded to one spelling (Tell/Tal,
    Dayr/Deir, Shaykh/Sheikh), articles dropped, -eh/-ah endings as -a, iy->i, ou/oo->u, ay->ai,
    aw->o, e->i, q->k, doubled letters single. Only ever compared with other folded keys."""
    tokens = key.split()
    out = []
    for t in tokens:
        t = FOLD_TOKENS.get(t, t)
        if len(tokens) > 1 and t in ARTICLES:
            continue
        if t.endswith(("eh", "ah")):
            t = t[:-2] + "a"
        out.append(t)
    s = " ".join(out) if out else key
    for a, b in _FOLD_PAIRS:
        if a in s:
            s = s.replace(a, b)
    return _DOUBLES.sub(r"\1", s) if _DOUBLES.search(s) else s


def variant_keys(text: str) -> list[str]:
    """The exact key and the folded key of text (one entry when they coincide)."""
    key = name_key(text)
    folded = fold_key(key)
    return [key] if folded == key else [key, folded]


def default_cache_dir() -> Path:
    if os.environ.get("WARMONITOR_CACHE_DIR"):
        return Path(os.environ["WARMONITOR_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "warmonitor"


def _package_version() -> str:
    try:
        from importlib.metadata import version

        return version("warmonitor")
    except Exception:  # not installed (running from a source tree)
        return "0"


def _add(index: dict, key: str, row: int) -> None:
    """index values are one row number or a tuple of them (most names name one place)."""
    have = index.get(key)
    if have is None:
        index[key] = row
    elif isinstance(have, int):
        if have != row:
            index[key] = (have, row)
    elif row not in have:
        index[key] = have + (row,)


def _rows_of(value) -> tuple[int, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, int) else value


def _read_tsv(data: bytes) -> Iterable[list[str]]:
    lines = data.decode("utf-8").splitlines()
    for line in lines[1:]:
        if line and not line.startswith("#"):
            yield line.split("\t")


class Gazetteer:
    """An in-memory index of places. Build it with `Gazetteer.load()`, once, and pass it in."""

    def __init__(self, state: dict):
        self._rows: list[tuple] = state["rows"]
        self._exact: dict = state["exact"]
        self._folded: dict = state["folded"]
        self._countries: dict[str, dict] = state["countries"]  # iso2 -> info
        self._iso3: dict[str, str] = state["iso3"]
        self._admin1: dict[tuple[str, str], dict] = state["admin1"]  # (cc, code) -> info
        self._demonyms: dict[str, str] = state["demonyms"]
        self.max_name_tokens: int = state["max_name_tokens"]
        self._places: dict[int, Place] = {}
        self._towns_by_province: dict[tuple[str, str], list[tuple[float, float]]] | None = None

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        data_dir: str | Path | None = None,
        *,
        countries: Iterable[str] | None = None,
        cache_dir: str | Path | None = None,
        use_cache: bool = True,
    ) -> "Gazetteer":
        """Load the shipped gazetteer (or the files in data_dir). countries restricts cities and
        admin-1 areas to those ISO2 codes (all countries stay known). cache_dir overrides the cache
        folder; use_cache=False neither reads nor writes it."""
        blobs = _read_files(data_dir)
        wanted = tuple(sorted({c.upper() for c in countries})) if countries else None
        digest = hashlib.sha256()
        digest.update(f"{CACHE_FORMAT}|{_package_version()}|{wanted}".encode())
        for name in DATA_FILES:
            digest.update(name.encode() + b"\0" + hashlib.sha256(blobs[name]).digest())
        cache_file = Path(cache_dir or default_cache_dir()) / f"gazetteer-{digest.hexdigest()[:20]}.pickle"
        if use_cache:
            state = _read_cache(cache_file)
            if state is not None:
                return cls(state)
        state = _build_state(blobs, wanted)
        if use_cache:
            _write_cache(cache_file, state)
        return cls(state)

    # -- lookups ---------------------------------------------------------------------------------
    def candidates(self, text: str, *, folded: bool = False) -> list[Place]:
        """Every place whose name or an alternate name has text's exact key; when none has (or with
        folded=True, in any case), those matching its folded key too. Cities come with their admin-1
        and country names filled in."""
        key = name_key(text)
        if not key:
            return []
        rows = _rows_of(self._exact.get(key))
        if not rows or folded:
            rows = tuple(dict.fromkeys(rows + _rows_of(self._folded.get(fold_key(key)))))
        return [self._place(r) for r in rows]

    def exact_keys(self) -> Iterable[str]:
        """Every lookup key the gazetteer knows (names and alternates, as `name_key` forms)."""
        return iter(self._exact)

    def is_exact(self, text: str) -> bool:
        """Whether text names a place exactly (after case, accents and a leading article), not by the fold."""
        key = name_key(text)
        return bool(key) and key in self._exact

    def is_known(self, text: str) -> bool:
        """Whether text names any place (exact or folded key); a quick test for token spans."""
        key = name_key(text)
        return bool(key) and (key in self._exact or fold_key(key) in self._folded)

    def country(self, text_or_code: str) -> Place | None:
        """A country by ISO2, ISO3 or name ("SY", "SYR", "Syria", "Syrian Arab Republic")."""
        t = text_or_code.strip()
        if t.upper() in self._countries and (len(t) == 2 and (t.isupper() or t.islower())):
            return self._place(self._countries[t.upper()]["row"])
        if len(t) == 3 and t.isupper() and t in self._iso3:
            return self._place(self._countries[self._iso3[t]]["row"])
        for row in self._lookup_rows(t):
            if self._rows[row][_FEATURE] == "country":
                return self._place(row)
        return None

    def admin1(self, country_code: str, name: str) -> Place | None:
        """A country's admin-1 area by name, alternate name or GeoNames code; its coordinates are
        the area's centre (see the data README)."""
        cc = country_code.upper()
        if (cc, name.strip()) in self._admin1:
            return self._place(self._admin1[(cc, name.strip())]["row"])
        for row in self._lookup_rows(name):
            r = self._rows[row]
            if r[_FEATURE] == "admin1" and r[_CC] == cc:
                return self._place(row)
        return None

    def admin1_of(self, place: Place) -> Place | None:
        info = self._admin1.get((place.country_code, place.admin1_code or ""))
        return self._place(info["row"]) if info else None

    def demonyms(self) -> frozenset[str]:
        """Every demonym the gazetteer knows, as lookup keys ("syrian", "somali")."""
        return frozenset(self._demonyms)

    def countries_by_demonym(self, word: str) -> str | None:
        """ISO2 code of the country a demonym names ("Syrian", "Syrians" -> "SY")."""
        key = name_key(word)
        if key in self._demonyms:
            return self._demonyms[key]
        if key.endswith("s") and key[:-1] in self._demonyms:
            return self._demonyms[key[:-1]]
        return None

    # -- ranking ---------------------------------------------------------------------------------
    def rank(
        self,
        candidates: Sequence[Place],
        *,
        country_codes: Iterable[str] = (),
        admin1_hint: str | None = None,
        text: str | None = None,
    ) -> list[Place]:
        """Order candidates: in the hinted admin-1 (name or code) first, then in a hinted country,
        then by population.

        Admin-1 areas and countries have no town population to compare, so: a country named exactly
        by text ranks above every town; an admin-1 area named exactly by text ranks like a town of
        ADMIN1_EXACT_POPULATION or a ADMIN1_POPULATION_SHARE-th of its people, whichever is more
        ("Hama" -> Hama city, pop. 850k, before Hama governorate; Henan province before the town of
        Henan; a hamlet that shares a province's name comes after it); a county by its people. When
        text is not given, the features' own names count as exact. Features not named exactly rank
        after every town."""
        hinted = {c.upper() for c in country_codes}
        hint_keys = set(variant_keys(admin1_hint)) if admin1_hint else set()
        text_key = name_key(text) if text is not None else None
        # areas named by one of their own names or spellings ("Idleb", "Ky.", "B.C.")
        named = {self._rows[r][_ID] for r in _rows_of(self._exact.get(text_key))} if text_key else set()

        def weight(p: Place) -> float:
            if p.feature == "city":
                return float(p.population)
            exact = text_key is None or text_key in {name_key(p.name), name_key(p.country), p.country_code.lower()} \
                or p.id in named
            if not exact:
                return -1.0
            if p.feature == "admin2":
                return float(p.population)  # "Madison County": the most populous of the twenty
            if p.feature == "country":
                return float("inf")
            # a province counts as a twentieth of its people: Henan (94M) before the town of Henan, Hama
            # city (850k) before Hama governorate (1.6M)
            return max(float(ADMIN1_EXACT_POPULATION), p.population / ADMIN1_POPULATION_SHARE)

        def in_admin1(p: Place) -> bool:
            if not hint_keys or p.feature == "country":
                return False
            if admin1_hint == p.admin1_code:
                return True
            return bool(p.admin1 and hint_keys & set(variant_keys(p.admin1)))

        def sort_key(p: Place):
            return (not in_admin1(p), p.country_code not in hinted, -weight(p), p.feature != "city", p.id)

        return sorted(candidates, key=sort_key)

    # -- geometry --------------------------------------------------------------------------------
    def sector_centre(self, place: Place, bearing: float, *, reach_km: float = SECTOR_REACH_KM,
                      min_towns: int = 3) -> tuple[float, float] | None:
        """The centre of the towns lying in one direction of a place: "the northern countryside of
        Aleppo" is best placed among the towns north of Aleppo, in its province, within reach_km.
        bearing is in degrees (0 north, 90 east); a town counts within 45 degrees of it. The centre is
        the mean of those towns' coordinates (GeoNames towns only), or None when fewer than min_towns
        qualify."""
        towns = self._province_towns(place.country_code, place.admin1_code or "")
        lat0, lon0 = math.radians(place.latitude), math.radians(place.longitude)
        picked = []
        for lat, lon in towns:
            distance = haversine_km(lat0, lon0, lat, lon)
            if distance < SECTOR_MIN_KM or distance > reach_km:
                continue
            if abs((_bearing(lat0, lon0, lat, lon) - bearing + 180) % 360 - 180) <= 45:
                picked.append((lat, lon))
        if len(picked) < min_towns:
            return None
        return (math.degrees(sum(p[0] for p in picked) / len(picked)),
                math.degrees(sum(p[1] for p in picked) / len(picked)))

    def _province_towns(self, country_code: str, admin1_code: str) -> list[tuple[float, float]]:
        """The GeoNames towns of one admin-1 area, as (lat, lon) in radians; grouped on first use."""
        if self._towns_by_province is None:
            groups: dict[tuple[str, str], list[tuple[float, float]]] = {}
            for r in self._rows:
                if r[_FEATURE] == "city" and isinstance(r[_ID], int):
                    groups.setdefault((r[_CC], r[_A1]), []).append((math.radians(r[_LAT]), math.radians(r[_LON])))
            self._towns_by_province = groups
        return self._towns_by_province.get((country_code, admin1_code), [])

    # -- internals -------------------------------------------------------------------------------
    def _lookup_rows(self, text: str) -> tuple[int, ...]:
        key = name_key(text)
        return _rows_of(self._exact.get(key)) + _rows_of(self._folded.get(fold_key(key)))

    def _place(self, row: int) -> Place:
        place = self._places.get(row)
        if place is None:
            r = self._rows[row]
            country = self._countries.get(r[_CC], {})
            a1 = self._admin1.get((r[_CC], r[_A1])) if r[_A1] else None
            place = Place(
                id=f"geonames:{r[_ID]}" if isinstance(r[_ID], int) else r[_ID], name=r[_NAME], feature=r[_FEATURE], country_code=r[_CC],
                country=country.get("name", ""), iso3=country.get("iso3", ""),
                latitude=r[_LAT], longitude=r[_LON], admin1=a1["name"] if a1 else None,
                admin1_code=r[_A1] or None, admin1_iso=(a1.get("iso") or None) if a1 else None,
                admin2=r[_A2] or None, population=r[_POP],
            )
            self._places[row] = place
        return place

    def __len__(self) -> int:
        return len(self._rows)


def _read_files(data_dir: str | Path | None) -> dict[str, bytes]:
    if data_dir is not None:
        base = Path(data_dir)
        return {name: (base / name).read_bytes() if (base / name).exists() else b"" for name in DATA_FILES}
    base = resources.files("warmonitor") / "data" / "gazetteer"
    out = {}
    for name in DATA_FILES:
        res = base / name
        out[name] = res.read_bytes() if res.is_file() else b""
    return out


def _build_state(blobs: dict[str, bytes], wanted: tuple[str, ...] | None) -> dict:
    rows: list[tuple] = []
    exact: dict = {}
    folded: dict = {}
    max_tokens = 1

    folds: dict[str, str] = {}
    intern = sys.intern

    def index(row: int, names: Iterable[str]) -> None:
        nonlocal max_tokens
        for n in names:
            key = name_key(n)
            if not key:
                continue
            _add(exact, key, row)
            fk = folds.get(key)
            if fk is None:
                fk = folds[key] = fold_key(key)
            _add(folded, fk, row)
            max_tokens = max(max_tokens, key.count(" ") + 1)

    countries: dict[str, dict] = {}
    iso3: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for f in _read_tsv(blobs["countries.tsv"]):
        iso2, i3, name, alts, dems, lat, lon, _centre, pop = f[:9]
        row = len(rows)
        rows.append((f"country:{iso2}", name, "country", iso2, "", float(lat), float(lon), int(pop or 0), ""))
        countries[iso2] = {"name": name, "iso3": i3, "row": row}
        iso3[i3] = iso2
        index(row, [name, *alts.split("|")] if alts else [name])
        for d in dems.split("|"):
            if d:
                demonyms.setdefault(name_key(d), iso2)

    admin1: dict[tuple[str, str], dict] = {}
    for f in _read_tsv(blobs["admin1.tsv"]):
        cc, code, name, alts, lat, lon, _centre, pop = f[:8]
        if wanted and cc not in wanted:
            continue
        row = len(rows)
        rows.append((f"admin1:{cc}.{code}", name, "admin1", cc, code, float(lat), float(lon), int(pop or 0), ""))
        admin1[(cc, code)] = {"name": name, "row": row, "iso": f[8] if len(f) > 8 else ""}
        index(row, [name, *alts.split("|")] if alts else [name])

    places_text = gzip.decompress(blobs["places.tsv.gz"]) if blobs["places.tsv.gz"] else b""
    for f in _read_tsv(places_text):
        gid, name, lat, lon, cc, code, pop, alts = f[:8]
        if wanted and cc not in wanted:
            continue
        row = len(rows)
        admin2 = intern(f[8]) if len(f) > 8 else ""
        # GeoNames ids stay ints here (Place.id is "geonames:<id>"): 235k fewer strings to keep.
        rows.append((int(gid), name, "city", intern(cc), intern(code), float(lat), float(lon), int(pop or 0), admin2))
        index(row, [name, *alts.split("|")] if alts else [name])

    for f in _read_tsv(blobs["supplement.tsv"]):
        pid, name, alts, lat, lon, cc, code, adm2, pop = f[:9]
        if wanted and cc not in wanted:
            continue
        row = len(rows)
        rows.append((pid, name, "city", intern(cc), intern(code), float(lat), float(lon), int(pop or 0), adm2))
        index(row, [name, *alts.split("|")] if alts else [name])

    taken = set(exact)  # the keys of towns, provinces and countries; twenty "Madison County"s share one
    for f in _read_tsv(blobs["admin2.tsv"]):
        # counties and departments ("Laurel County", "Rapides Parish", "Oxfordshire"): indexed by the
        # names no town, province or country already has, so "Kent" stays the towns it names
        cc, code, name, alts, lat, lon, pop = f[:7]
        if wanted and cc not in wanted:
            continue
        names = [n for n in ([name, *alts.split("|")] if alts else [name]) if name_key(n) not in taken]
        if names:
            row = len(rows)
            rows.append((f"admin2:{cc}.{code}.{name}", name, "admin2", intern(cc), intern(code), float(lat), float(lon),
                         int(pop or 0), name))
            index(row, names)

    return {
        "rows": rows, "exact": exact, "folded": folded, "countries": countries, "iso3": iso3,
        "admin1": admin1, "demonyms": demonyms, "max_name_tokens": max_tokens,
    }


def _read_cache(path: Path) -> dict | None:
    try:
        with open(path, "rb") as f:
            state = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception as e:  # corrupt or from an incompatible Python: rebuild
        log.info("ignoring unreadable gazetteer cache %s (%s)", path, e)
        return None
    if not isinstance(state, dict) or "rows" not in state or "exact" not in state:
        log.info("ignoring gazetteer cache %s with an unexpected layout", path)
        return None
    return state


def _write_cache(path: Path, state: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as e:  # a read-only home or full disk must not stop the pipeline
        log.info("could not write gazetteer cache %s (%s)", path, e)

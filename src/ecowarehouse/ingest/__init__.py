"""Ingestion: files from anywhere → raw archive (by sha256) → ``raw`` rows or ``quarantine`` rows, reconciled."""
from ecowarehouse.ingest.pipeline import FileResult, ingest_landing, ingest_paths

__all__ = ["FileResult", "ingest_landing", "ingest_paths"]

"""Deprecated: the KTAB CSV format moved to :mod:`crisislab.formats.ktab_csv`.

This module only re-exports it so that older imports keep working.  Engines
neither read nor write files, so exchange formats live in :mod:`crisislab.formats`.
"""

from crisislab.formats.ktab_csv import (
    load_ktab_csv,
    read_ktab_csv,
    write_ktab_csv,
)

__all__ = ["load_ktab_csv", "read_ktab_csv", "write_ktab_csv"]

"""The ``crisislab`` command line (commands in :mod:`crisislab.cli.main`)."""

from __future__ import annotations

import os
import sys


def run() -> None:
    """Console-script entry point.

    ``crisislab --version`` is answered before the command-line framework is
    loaded (it is what scripts and installers call); everything else goes to
    :func:`crisislab.cli.main.run`.  OpenBLAS is kept to one thread unless the
    user says otherwise: its thread pool costs about 0.1 s of CPU to start, and
    the commands' matrices are sparse or small (sweeps use processes, not BLAS
    threads).
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if sys.argv[1:] == ["--version"]:
        from crisislab._version import __version__

        print(f"crisislab {__version__}")
        return
    from crisislab.cli.main import run as run_commands

    run_commands()

"""Production settings for the benchmark, with one change: ``STATIC_ROOT`` from
``BENCH_STATIC_ROOT``.

``portal.settings.production`` serves static files through whitenoise's manifest storage,
so pages cannot render until ``collectstatic`` has written the manifest; its
``STATIC_ROOT`` is fixed to ``staticfiles/`` in the working tree, which the benchmark
must not write into while other people use the tree. Everything else (DEBUG off, the
middleware, whitenoise, security settings) is exactly production's.
"""

import os
from pathlib import Path

from portal.settings.production import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])

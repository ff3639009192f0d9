"""pytest plugin (loaded with -p before Django starts): the environment of a test run.

Tests talk plain HTTP to the test client and the live server, so the demo's transport
settings apply; the production settings are checked on their own (`check --deploy`).
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DANGVU_INSECURE_DEMO", "1")
os.environ.setdefault("DANGVU_STATIC_FINDERS", "1")
os.environ.setdefault("DANGVU_DATA_DIR", tempfile.mkdtemp(prefix="dangvu-test-"))
os.makedirs(os.path.join(os.environ["DANGVU_DATA_DIR"], "static"), exist_ok=True)

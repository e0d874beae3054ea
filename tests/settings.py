"""The product's own settings, with the environment a test run needs.

Nothing here changes behaviour: it only supplies what a deployment would put in
the environment (a secret key; plain HTTP, because the test client speaks HTTP).
DATABASE_URL stays whatever the caller set: CI runs the suite on PostgreSQL and
on SQLite.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "t" * 48)
os.environ.setdefault("HTTPS", "false")
# Live-server threads would otherwise keep connections open past the run, and
# PostgreSQL then refuses to drop the test database.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")

from shelter.settings import *  # noqa: F403

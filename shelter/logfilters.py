"""Log lines carry no stack trace, SQL or personal data.

An exception's message can quote what it choked on: a database error repeats the
offending row's values and its SQL, a validation error the text it refused. Log
lines keep the exception's type and the innermost line of the project's own code
it passed through: enough to find the bug, without the data.
"""

import logging
import traceback
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_THIRD_PARTY = ("site-packages", "dist-packages", ".venv")


class RedactExceptionFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or record.exc_info[0] is None:
            return True
        exc_type, _, tb = record.exc_info
        where = ""
        for frame, line in traceback.walk_tb(tb):
            filename = frame.f_code.co_filename
            if filename.startswith(str(PROJECT_ROOT)) and not any(
                part in filename for part in _THIRD_PARTY
            ):
                where = f" at {Path(filename).relative_to(PROJECT_ROOT)}:{line}"
        record.msg = f"{record.getMessage()} [{exc_type.__module__}.{exc_type.__qualname__}{where}]"
        record.args = None
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True

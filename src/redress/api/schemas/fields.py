"""String field types for request schemas.

PostgreSQL text cannot hold a NUL character; refusing it at the edge (422) keeps a stray byte
from turning into a database error.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

_NO_NUL = r"^[^\x00]*$"

Text2 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=2)]
Text10 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=10)]
Text20 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=20)]
Text40 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=40)]
Text100 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=100)]
Text120 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=120)]
Text200 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=200)]
Text254 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=254)]
Text300 = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=300)]

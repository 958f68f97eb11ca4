"""The licence notices of the editor's vendored code (Decap CMS, `yaml`), published beside it.

The MIT and ISC licences ask that their notices go with every copy, and ``admin/`` is a copy. The
notices name their authors' e-mail addresses, some at personal mail domains, which the output audit
refuses anywhere else: it accepts these files at these paths, and only byte for byte as they are
in the package (``is_notice``), so nothing else can be published under their names.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
# Path under admin/ -> the packaged file.
NOTICES = {
    "LICENSE": "LICENSE",
    "decap-cms.js.LICENSE.txt": "decap-cms.js.LICENSE.txt",
    "yaml/LICENSE": "yaml/LICENSE",
}
ADMIN = "admin"


@cache
def _digests() -> dict[str, str]:
    return {
        f"{ADMIN}/{name}": hashlib.sha256((ASSETS / source).read_bytes()).hexdigest()
        for name, source in NOTICES.items()
    }


def is_notice(rel: str, data: bytes) -> bool:
    """Whether ``data`` at ``rel`` (a path in the site) is one of the notices as packaged."""
    digest = _digests().get(rel)
    return digest is not None and hashlib.sha256(data).hexdigest() == digest

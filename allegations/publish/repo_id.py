"""What a Hugging Face Hub repo id may look like: one rule for the config, the upload and the download."""

from __future__ import annotations

import re

_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")
REPO_ID_HINT = "use OWNER/NAME, e.g. my-org/bes-huawei-allegations, with letters, digits, '-', '_' or '.'"


def is_repo_id(value: str) -> bool:
    """OWNER/NAME with letters, digits, '-', '_' or '.'; no '--' or '..'; not ending in .git."""
    return bool(_REPO_ID.match(value)) and "--" not in value and ".." not in value and not value.endswith(".git")

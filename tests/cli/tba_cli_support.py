"""Constants and helpers shared by the CLI tests (importable from test modules, unlike conftest.py)."""
from __future__ import annotations

import secrets

REALM = "1234567_SB1"                   # the stand-in's account: sandbox 1 of 1234567
OTHER_KNOWN_ACCOUNT = "TSTDRV1234567"   # a second account the stand-in's datacenterurls knows


def new_credentials() -> dict:
    """Four random values in NetSuite's usual shape (64 lower-case hex characters)."""
    return {k: secrets.token_hex(32) for k in ("consumer_key", "consumer_secret", "token_id", "token_secret")}

"""Fixtures of the accounts tests."""

import pytest
from django.contrib.auth.hashers import get_hasher


@pytest.fixture
def hashed(monkeypatch):
    """Every password the configured hasher hashes (to store it or to check it), in order.

    Hashing is what makes sign-up and login slow (PBKDF2, on purpose): counting it tells
    whether two answers cost the same, or whether a password was checked at all, without
    timing anything.
    """
    hasher = type(get_hasher())
    passwords = []
    encode = hasher.encode

    def counting_encode(self, password, *args, **kwargs):
        passwords.append(password)
        return encode(self, password, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counting_encode)
    return passwords

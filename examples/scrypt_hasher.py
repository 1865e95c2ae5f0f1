"""A real password hasher on the standard library's ``hashlib.scrypt`` (ACC-2, PasswordHasher).

A portal hands the library an object like this one; the library passes passwords only to
it and stores only what it returns. Run the file to see a hash made and checked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from typing import Final

N: Final = 2**14  # CPU/memory cost; 16 MiB of memory with r=8
R: Final = 8
P: Final = 1
SALT_BYTES: Final = 16
KEY_BYTES: Final = 32


class ScryptHasher:
    """``PasswordHasher`` that stores ``scrypt$n$r$p$salt$key`` (base64)."""

    def hash(self, password: str) -> str:
        """Return the stored form of ``password`` with a fresh random salt."""
        salt = secrets.token_bytes(SALT_BYTES)
        key = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=KEY_BYTES)
        encoded = [base64.b64encode(part).decode() for part in (salt, key)]
        return "$".join(["scrypt", str(N), str(R), str(P), *encoded])

    def verify(self, password: str, hashed: str) -> bool:
        """Return whether ``password`` produced ``hashed`` (constant-time comparison).

        A stored value that is not one of this hasher's (another scheme, a damaged
        record) verifies nothing: the answer is ``False``, never a crash.
        """
        parts = hashed.split("$")
        if len(parts) != 6 or parts[0] != "scrypt":  # scheme$n$r$p$salt$key
            return False
        _, n, r, p, salt, key = parts
        try:
            expected = base64.b64decode(key, validate=True)
            actual = hashlib.scrypt(
                password.encode(),
                salt=base64.b64decode(salt, validate=True),
                n=int(n),
                r=int(r),
                p=int(p),
                dklen=len(expected),
            )
        except (ValueError, binascii.Error):  # not a stored form this hasher made
            return False
        return hmac.compare_digest(actual, expected)


def main() -> None:
    """Hash a password and check it, printing only the stored form."""
    hasher = ScryptHasher()
    stored = hasher.hash("Kddi-2026-pass")
    print("stored:", stored[:40] + "…")
    print("right password verifies:", hasher.verify("Kddi-2026-pass", stored))
    print("wrong password verifies:", hasher.verify("kddi-2026-pass", stored))
    print("damaged record verifies:", hasher.verify("Kddi-2026-pass", "scrypt$x"))


if __name__ == "__main__":
    main()

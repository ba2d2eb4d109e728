"""CSRF protection, the desk's secret, and the security headers every response carries.

CSRF: the server makes a random value and signs it into an HttpOnly,
SameSite=Strict cookie (a cookie it did not sign is replaced, never
endorsed); the form carries a time-limited token holding an HMAC of that
value, not the value. A POST needs both to match, and a browser's
Sec-Fetch-Site or Origin header, when sent, must say the form came from this
site. No server-side session exists, so nothing about a nurse or a patient is
kept between requests.

The secret: LEAFLETS_DESK_SECRET, or else a key file made once with 0600
permissions (desk_secret_file), so a form served before a restart still works.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from ..errors import LeafletError

COOKIE = "desk_csrf"
FORM_LIFETIME = 12 * 3600  # a form left open for a whole shift still works

# Pages of the form: nothing but our own stylesheet and inline images.
FORM_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; font-src data:; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# Pages of a batch site: their styles are inline, so they work opened from disk.
SITE_POLICY = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src data:; "
               "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
}


class Csrf:
    def __init__(self, secret: bytes):
        self._cookies = URLSafeSerializer(secret, salt="desk-cookie")
        self._tokens = URLSafeTimedSerializer(secret, salt="desk-form")
        self._binding = hashlib.sha256(b"desk-binding" + secret).digest()

    def cookie(self, presented: str | None) -> str:
        """The cookie to set: the one presented if this server made it, else a new one."""
        return presented if self._value(presented) else self._cookies.dumps(secrets.token_urlsafe(24))

    def token_for(self, cookie: str) -> str:
        value = self._value(cookie)
        if value is None:
            raise ValueError("a token is only made for a cookie this server made")
        return self._tokens.dumps(self._bind(value))

    def valid(self, cookie: str | None, token: str | None) -> bool:
        value = self._value(cookie)
        if value is None or not token:
            return False
        try:
            bound = self._tokens.loads(token, max_age=FORM_LIFETIME)
        except BadSignature:  # also raised when the token is older than FORM_LIFETIME
            return False
        return isinstance(bound, str) and hmac.compare_digest(bound, self._bind(value))

    def _value(self, cookie: str | None) -> str | None:
        try:
            value = self._cookies.loads(cookie) if cookie else None
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def _bind(self, value: str) -> str:
        return hmac.new(self._binding, value.encode(), hashlib.sha256).hexdigest()


def same_site(headers: dict | object, host: str) -> bool:
    """False when the browser says the POST came from another site: Sec-Fetch-Site, else Origin."""
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site in ("same-origin", "none")  # "none": typed or bookmarked by the user
    origin = headers.get("Origin")
    if origin is None:
        return True  # an older browser sends neither: the token alone decides
    return origin != "null" and urlsplit(origin).netloc == host


def desk_secret_file() -> Path:
    """Where the key file lives: $XDG_STATE_HOME/leaflets (~/.local/state/leaflets), or %LOCALAPPDATA% on Windows."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "leaflets" / "desk-secret"
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "leaflets" / "desk-secret"


def desk_secret() -> bytes:
    """LEAFLETS_DESK_SECRET, or the key file, made on first use with 0600 permissions."""
    if os.environ.get("LEAFLETS_DESK_SECRET"):
        return os.environ["LEAFLETS_DESK_SECRET"].encode()
    path = desk_secret_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "w") as file:
                file.write(secrets.token_urlsafe(48))
        if os.name == "posix" and path.stat().st_mode & 0o077:
            raise LeafletError(f"{path}: the desk's secret key can be read by other users",
                               hint=f"chmod 600 {path}, or delete it to make a new one")
        secret = path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise LeafletError(f"{path}: cannot keep the desk's secret key there ({exc.strerror})",
                           hint="set LEAFLETS_DESK_SECRET to a long random string instead") from None
    if len(secret) < 32:
        raise LeafletError(f"{path}: the desk's secret key is too short",
                           hint="delete the file: a new one is made at the next start")
    return secret.encode()

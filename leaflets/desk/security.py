"""CSRF protection and the security headers every response carries.

CSRF: a random value in an HttpOnly, SameSite=Strict cookie, and the same
value signed (HMAC, with a time limit) in a hidden form field; a POST needs
both to match. No server-side session exists, so nothing about a nurse or a
patient is kept between requests.
"""

from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer

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
        self._signer = URLSafeTimedSerializer(secret, salt="desk-form")

    @staticmethod
    def new_value() -> str:
        return secrets.token_urlsafe(24)

    def token_for(self, value: str) -> str:
        return self._signer.dumps(value)

    def valid(self, cookie_value: str | None, token: str | None) -> bool:
        if not cookie_value or not token:
            return False
        try:
            signed = self._signer.loads(token, max_age=FORM_LIFETIME)
        except BadSignature:  # also raised when the token is older than FORM_LIFETIME
            return False
        return isinstance(signed, str) and hmac.compare_digest(signed, cookie_value)

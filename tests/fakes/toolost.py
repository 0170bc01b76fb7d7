"""A fake toolost.com portal: login with 2FA that leaves a JWT in localStorage, the analytics
API (Bearer JWT, 401 for an unknown or expired one) serving the shared samples, and the
notifications page whose Attachment buttons download the monthly sales reports."""

from __future__ import annotations

import base64
import json
import secrets
import time
from pathlib import Path
from typing import Any

from tests.fakes.site import FakeSite, Request, Response

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "toolost"
SPOTIFY_SAMPLE = FIXTURES / "toolost_spotify_sample.json"
APPLE_SAMPLE = FIXTURES / "toolost_apple_sample.json"
JWT_NAME = "jwt_token"
JWT_DAYS = 7
ATTACHMENT_PATH = "/api/portal/notifications/attachment"
RELEASE_NOTICE = "Your release FIRST SONG is live on all stores"
NOTIFICATIONS_PAGE = """<html><head><title>Notifications | TooLost</title></head><body>
<h1>Notifications</h1><ul id="notifications"></ul>
<script>
fetch('/api/portal/notifications', {
  headers: {Authorization: 'Bearer ' + localStorage.getItem('jwt_token')}
}).then(answer => {
  if (answer.status === 401) { location.href = '/login'; throw new Error('refused'); }
  return answer.json();
}).then(notices => {
  const list = document.getElementById('notifications');
  for (const notice of notices) {
    const item = document.createElement('li');
    item.className = 'notification';
    const text = document.createElement('p');
    text.textContent = notice.message;
    item.appendChild(text);
    if (notice.attachment) {
      const button = document.createElement('button');
      button.textContent = 'Attachment';
      button.onclick = () => { location.href = notice.attachment; };
      item.appendChild(button);
    }
    list.appendChild(item);
  }
  list.dataset.loaded = 'true';
});
</script></body></html>"""


def _base64url(document: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")


def sales_report(month: str) -> bytes:
    """A made-up report for `month` (MM-YYYY): TooLost's real column format is not known yet."""
    return f"Month,Store,Title,Quantity,Earnings\n{month},Spotify,FIRST SONG,61,0.24\n".encode()


class ToolostSite(FakeSite):
    """The portal; `sales_months` (MM-YYYY, newest first) each have a report notice."""

    def __init__(self, sales_months: tuple[str, ...]) -> None:
        super().__init__(
            cookie_name="toolost_session", login_path="/login", home_path="/portal/dashboard"
        )
        self.valid_jwts: set[str] = set()
        self.sales_months = sales_months
        self.signatures = {month: secrets.token_hex(8) for month in sales_months}
        # A login by hand gets a fresh JWT, kept by the portal in localStorage as the real one.
        self.after_login_script = f"localStorage.setItem('{JWT_NAME}', '{self.jwt()}');"
        self._add_routes()

    def jwt(self, days: float = JWT_DAYS, known: bool = True) -> str:
        """An unsigned JWT expiring in `days` (negative: already expired); `known=False` gives
        one the portal never issued (revoked, or from another account)."""
        header = _base64url({"alg": "HS256", "typ": "JWT"})
        payload = _base64url({"sub": "owner", "exp": int(time.time() + days * 86400)})
        token = f"{header}.{payload}.{secrets.token_hex(16)}"
        if known:
            self.valid_jwts.add(token)
        return token

    def jwt_state(self, token: str) -> dict[str, Any]:
        """A saved login holding `token` in the portal origin's localStorage."""
        origin = {"origin": self.base_url, "localStorage": [{"name": JWT_NAME, "value": token}]}
        return self.storage_state(origins=[origin])

    def authorized(self, request: Request) -> bool:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.valid_jwts:
            return False
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"]) > time.time()

    def api_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.startswith("/api/")]

    def attachment_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path == ATTACHMENT_PATH]

    def _analytics(self, sample: Path, request: Request) -> Response:
        if not self.authorized(request):
            return Response.json({"message": "Unauthenticated."}, 401)
        if request.query.get("date") != ["thisYear"] or request.query.get("release") != [""]:
            return Response.json({"message": "release and date are required"}, 422)
        return Response(200, sample.read_bytes(), "application/json")

    def _notifications(self, request: Request) -> Response:
        if not self.authorized(request):
            return Response.json({"message": "Unauthenticated."}, 401)
        notices: list[dict[str, str | None]] = [
            {
                "message": f"Your ({month}) Sales report has been generated",
                "attachment": f"{ATTACHMENT_PATH}?month={month}&signature={signature}",
            }
            for month, signature in self.signatures.items()
        ]
        return Response.json([{"message": RELEASE_NOTICE, "attachment": None}, *notices])

    def _attachment(self, request: Request) -> Response:
        month = request.query.get("month", [""])[0]
        if self.signatures.get(month) != request.query.get("signature", [""])[0]:
            return Response.html("<html><body>Access denied</body></html>", 403)
        return Response.download(f"Sales_Report_{month}.csv", sales_report(month), "text/csv")

    def _add_routes(self) -> None:
        page = Response.html
        self.route("GET", "/portal/dashboard", protected=False)(lambda r: page("<h1>Portal</h1>"))
        self.route("GET", "/portal/notifications", protected=False)(
            lambda r: page(NOTIFICATIONS_PAGE)
        )
        self.route("GET", "/api/portal/analytics/spotify", protected=False)(
            lambda r: self._analytics(SPOTIFY_SAMPLE, r)
        )
        self.route("GET", "/api/portal/analytics/apple/", protected=False)(
            lambda r: self._analytics(APPLE_SAMPLE, r)
        )
        self.route("GET", "/api/portal/notifications", protected=False)(self._notifications)
        # The attachment is a signed link, as a storage bucket's would be: no login needed.
        self.route("GET", ATTACHMENT_PATH, protected=False)(self._attachment)


def toolost_site(sales_months: tuple[str, ...] = ("01-2025", "12-2024")) -> ToolostSite:
    return ToolostSite(sales_months)

"""Client for the Notification Service API: standard library only, Python 3.9+.

One method per operation of the service's openapi.json (its operationId in snake_case).
Creating a notification sends an Idempotency-Key (a new UUID unless you give one) and the
client's own retries reuse it, so a retried create never sends the message twice. 503 and 429
answers and network errors are retried, only for calls that are safe to repeat (GET, PUT, DELETE
and keyed creates), after a capped exponential backoff with full jitter or exactly the answer's
Retry-After. Every failure raises NotificationServiceError with the status and the DRF-shaped body.
"""

import base64
import email.utils
import hashlib
import hmac
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, TypedDict, Union

__all__ = [
    "Attempt",
    "Notification",
    "NotificationServiceClient",
    "NotificationServiceError",
    "RetryPolicy",
    "User",
    "WebhookVerificationError",
    "verify_webhook",
]

JsonObject = Dict[str, Any]


class User(TypedDict):
    """A recipient, as GET /api/users/{id}/ answers (tests keep the keys equal to openapi.json)."""

    id: int
    email: str
    first_name: str
    last_name: str
    phone_number: Optional[str]
    telegram_id: Optional[str]
    locale: Optional[str]
    timezone: Optional[str]
    quiet_hours: Optional[Dict[str, str]]


class Attempt(TypedDict):
    """One channel's try within a round."""

    channel: str
    status: str
    round: int
    error: Optional[str]
    error_kind: Optional[str]
    provider_code: Optional[str]
    provider_message_id: Optional[str]
    started_at: str
    finished_at: Optional[str]
    delivery: Optional[str]
    """accepted, delivered, undelivered or unknown, for an attempt a provider accepted."""
    delivered_at: Optional[str]
    receipt_code: Optional[str]
    receipt_text: Optional[str]
    receipts: List[Dict[str, Any]]


class Notification(TypedDict):
    """A notification with its attempts, as GET /api/notifications/{id}/ answers."""

    id: int
    user: int
    message: str
    subject: Optional[str]
    channels: Optional[List[str]]
    status: str
    retry_count: int
    last_channel: Optional[str]
    sent_at: Optional[str]
    created_at: str
    next_attempt_at: Optional[str]
    failure_reason: Optional[str]
    history_from_round: int
    priority: str
    category: Optional[str]
    metadata: Optional[Dict[str, str]]
    expires_at: Optional[str]
    template: Optional[str]
    locale: Optional[str]
    rendered: Optional[JsonObject]
    broadcast: Optional[int]
    delivery: Optional[str]
    delivered_at: Optional[str]
    attempts: List[Attempt]

_REPEATABLE_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
_RETRIED_STATUSES = {429, 503}
_DEFAULT_TIMEOUT = object()


class NotificationServiceError(Exception):
    """A failed call: the HTTP status (0 when the service could not be reached) and the body.

    The body has the shape Django REST Framework clients parse: {"detail": "..."} or
    {"field": ["what is wrong", ...]}.
    """

    def __init__(self, status: int, body: JsonObject):
        self.status = status
        self.body = body
        super().__init__(_describe(status, body))

    @property
    def detail(self) -> Optional[str]:
        detail = self.body.get("detail")
        return detail if isinstance(detail, str) else None

    @property
    def field_errors(self) -> Dict[str, List[str]]:
        """The fields at fault and their messages (empty for a "detail" error)."""
        return {field: messages for field, messages in self.body.items() if isinstance(messages, list)}


class WebhookVerificationError(Exception):
    """A webhook whose signature, timestamp or headers do not check out: do not act on it."""


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3
    """Further tries after the first; 0 turns retrying off."""
    base_delay: float = 0.25
    """The first backoff's ceiling in seconds, doubled per try."""
    max_delay: float = 5.0
    """No backoff is longer than this."""
    max_retry_after: float = 60.0
    """A Retry-After longer than this is not waited for: the error is raised at once."""

    def backoff(self, retry: int, rand: Callable[[], float] = random.random) -> float:
        """Full jitter: a random wait up to min(max_delay, base_delay * 2**retry)."""
        return rand() * min(self.max_delay, self.base_delay * 2**retry)


def retry_after_seconds(header: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Retry-After as delay-seconds or an HTTP date; None when absent or unreadable."""
    if header is None or not header.strip():
        return None
    if header.strip().isdigit():
        return float(header.strip())
    try:
        moment = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


class NotificationServiceClient:
    """The API, typed loosely as JSON dicts; field names are the API's (see openapi.json)."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._timeout = timeout
        self._retry = retry
        self._sleep = sleep

    # users

    def create_user(self, body: JsonObject) -> User:
        return self._call("POST", "/api/users/", body=body)

    def import_users(self, users: List[JsonObject], *, update_existing: bool = False) -> JsonObject:
        """Up to 1,000 users at once, stored all or none, in order: {"results", "created", "updated"}.

        Passwords are optional here. An email already taken fails the whole import, unless
        update_existing: then that user's given fields change instead, which also makes repeating
        an import safe.
        """
        return self._call("POST", "/api/users/bulk/", body={"users": users, "update_existing": update_existing})

    def get_user(self, user_id: int) -> User:
        return self._call("GET", f"/api/users/{_int(user_id)}/")

    def update_user(self, user_id: int, body: JsonObject) -> User:
        return self._call("PATCH", f"/api/users/{_int(user_id)}/", body=body)

    def list_users(self, **query: Any) -> JsonObject:
        """Newest first; with email, phone_number or telegram_id, only the users who have it."""
        return self._call("GET", "/api/users/", query=query)

    def iterate_users(self, **query: Any) -> Iterator[User]:
        return self.walk_before(self.list_users, query)

    def delete_user(self, user_id: int) -> None:
        """Erases the user with their notifications and attempts, for good."""
        self._call("DELETE", f"/api/users/{_int(user_id)}/")

    def create_telegram_link(self, user_id: int) -> JsonObject:
        """A t.me link that connects the user's Telegram chat when they open it and press Start.

        Single-use, valid until its expires_at; needs TELEGRAM_LINKS=true on the service.
        """
        return self._call("POST", f"/api/users/{_int(user_id)}/telegram-link/")

    def get_preferences(self, user_id: int) -> JsonObject:
        """The channels the user turned off, everywhere and per category."""
        return self._call("GET", f"/api/users/{_int(user_id)}/preferences/")

    def replace_preferences(self, user_id: int, body: JsonObject) -> JsonObject:
        return self._call("PUT", f"/api/users/{_int(user_id)}/preferences/", body=body)

    # notifications

    def create_notification(self, body: JsonObject, *, idempotency_key: Optional[str] = None) -> Notification:
        """Retried on 503, 429 and network errors with the same key: one notification at most."""
        key = idempotency_key or str(uuid.uuid4())
        return self._call("POST", "/api/notifications/", body=body, headers={"Idempotency-Key": key})

    def create_notifications(
        self, notifications: List[JsonObject], *, idempotency_key: Optional[str] = None
    ) -> List[Notification]:
        """Up to 500 at once, stored all or none, in order; one key covers them all when retried."""
        key = idempotency_key or str(uuid.uuid4())
        created = self._call(
            "POST", "/api/notifications/bulk/", body={"notifications": notifications}, headers={"Idempotency-Key": key}
        )
        return created["results"]

    def get_notification(self, notification_id: int) -> Notification:
        return self._call("GET", f"/api/notifications/{_int(notification_id)}/")

    def list_notifications(self, **query: Any) -> JsonObject:
        """One page: {"count", "count_exact", "next", "previous", "results"}; filters as the API names them.

        Beyond 10,000 matches "count" is PostgreSQL's estimate and "count_exact" is False; "next"
        always says exactly whether another page exists.
        """
        return self._call("GET", "/api/notifications/", query=query)

    def iterate_notifications(self, **query: Any) -> Iterator[Notification]:
        """Every notification matching the filters, newest first, page after page.

        Each page after the first asks for those older than the last one seen (before=), so
        notifications created meanwhile never repeat one, and a deep page costs no more than the first.
        """
        return self.walk_before(self.list_notifications, query)

    def retry_notification(self, notification_id: int) -> Notification:
        return self._call("POST", f"/api/notifications/{_int(notification_id)}/retry/")

    def cancel_notification(self, notification_id: int) -> Notification:
        return self._call("POST", f"/api/notifications/{_int(notification_id)}/cancel/")

    def stream_notification_events(self, *, timeout: Optional[float] = None) -> Iterator[JsonObject]:
        """Live changes ({"type", "id", "status", ...}) until the stream ends or you stop reading.

        `user` events ({"type": "user", "id", "change"}) carry a user's id; skip types you do not know.
        The service sends a keep-alive every 15 s; `timeout` (default none) bounds the wait for one.
        """
        response = self._open("GET", "/api/notifications/events/", timeout=timeout)
        with response:
            data: List[str] = []
            for raw in response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line == "":
                    if data:
                        yield json.loads("\n".join(data))
                    data = []
                elif line.startswith("data:"):
                    value = line[len("data:"):]
                    data.append(value[1:] if value.startswith(" ") else value)

    # broadcasts

    def create_broadcast(self, body: JsonObject, *, idempotency_key: Optional[str] = None) -> JsonObject:
        """Retried like create_notification, with the same key: one broadcast at most."""
        key = idempotency_key or str(uuid.uuid4())
        return self._call("POST", "/api/broadcasts/", body=body, headers={"Idempotency-Key": key})

    def list_broadcasts(self, **query: Any) -> JsonObject:
        return self._call("GET", "/api/broadcasts/", query=query)

    def iterate_broadcasts(self, **query: Any) -> Iterator[JsonObject]:
        return self.paginate(lambda page: self.list_broadcasts(**query, page=page))

    def get_broadcast(self, broadcast_id: int) -> JsonObject:
        return self._call("GET", f"/api/broadcasts/{_int(broadcast_id)}/")

    def cancel_broadcast(self, broadcast_id: int) -> JsonObject:
        return self._call("POST", f"/api/broadcasts/{_int(broadcast_id)}/cancel/")

    # outbox and channels

    def list_outbox(self, **query: Any) -> JsonObject:
        return self._call("GET", "/api/outbox/", query=query)

    def iterate_outbox(self, **query: Any) -> Iterator[JsonObject]:
        return self.walk_before(self.list_outbox, query)

    def get_channel_overview(self) -> JsonObject:
        return self._call("GET", "/api/channels/overview/")

    # suppressions

    def list_suppressions(self, **query: Any) -> JsonObject:
        return self._call("GET", "/api/suppressions/", query=query)

    def iterate_suppressions(self, **query: Any) -> Iterator[JsonObject]:
        return self.walk_before(self.list_suppressions, query)

    def add_suppression(self, body: JsonObject) -> JsonObject:
        return self._call("POST", "/api/suppressions/", body=body)

    def remove_suppression(self, suppression_id: int) -> JsonObject:
        return self._call("DELETE", f"/api/suppressions/{_int(suppression_id)}/")

    # templates

    def create_template(self, body: JsonObject) -> JsonObject:
        return self._call("POST", "/api/templates/", body=body)

    def list_templates(self, **query: Any) -> JsonObject:
        return self._call("GET", "/api/templates/", query=query)

    def iterate_templates(self, **query: Any) -> Iterator[JsonObject]:
        return self.paginate(lambda page: self.list_templates(**query, page=page))

    def get_template(self, key: str) -> JsonObject:
        return self._call("GET", f"/api/templates/{_segment(key)}/")

    def update_template(self, key: str, body: JsonObject) -> JsonObject:
        return self._call("PUT", f"/api/templates/{_segment(key)}/", body=body)

    def delete_template(self, key: str) -> None:
        self._call("DELETE", f"/api/templates/{_segment(key)}/")

    def render_template_draft(self, body: JsonObject) -> JsonObject:
        return self._call("POST", "/api/templates/render/", body=body)

    def render_template(self, key: str, body: JsonObject) -> JsonObject:
        return self._call("POST", f"/api/templates/{_segment(key)}/render/", body=body)

    # webhooks

    def create_webhook(self, body: JsonObject) -> JsonObject:
        """The answer carries the signing secret, shown only here and by rotate_webhook_secret."""
        return self._call("POST", "/api/webhooks/", body=body)

    def list_webhooks(self, **query: Any) -> JsonObject:
        return self._call("GET", "/api/webhooks/", query=query)

    def iterate_webhooks(self, **query: Any) -> Iterator[JsonObject]:
        return self.paginate(lambda page: self.list_webhooks(**query, page=page))

    def get_webhook(self, webhook_id: int) -> JsonObject:
        return self._call("GET", f"/api/webhooks/{_int(webhook_id)}/")

    def update_webhook(self, webhook_id: int, body: JsonObject) -> JsonObject:
        return self._call("PATCH", f"/api/webhooks/{_int(webhook_id)}/", body=body)

    def delete_webhook(self, webhook_id: int) -> None:
        self._call("DELETE", f"/api/webhooks/{_int(webhook_id)}/")

    def rotate_webhook_secret(self, webhook_id: int) -> JsonObject:
        return self._call("POST", f"/api/webhooks/{_int(webhook_id)}/rotate-secret/")

    def list_webhook_deliveries(self, webhook_id: int, **query: Any) -> JsonObject:
        return self._call("GET", f"/api/webhooks/{_int(webhook_id)}/deliveries/", query=query)

    def iterate_webhook_deliveries(self, webhook_id: int, **query: Any) -> Iterator[JsonObject]:
        return self.walk_before(lambda **each: self.list_webhook_deliveries(webhook_id, **each), query)

    def replay_webhook_delivery(self, webhook_id: int, delivery_id: int) -> JsonObject:
        return self._call(
            "POST", f"/api/webhooks/{_int(webhook_id)}/deliveries/{_int(delivery_id)}/replay/"
        )

    def test_webhook(self, webhook_id: int) -> JsonObject:
        return self._call("POST", f"/api/webhooks/{_int(webhook_id)}/test/")

    # plumbing

    @staticmethod
    def paginate(fetch_page: Callable[[int], JsonObject]) -> Iterator[JsonObject]:
        """Every item of a paginated list. A list that grows while read can repeat an item."""
        page = 1
        while True:
            current = fetch_page(page)
            yield from current["results"]
            if current.get("next") is None or not current["results"]:
                return
            page += 1

    @staticmethod
    def walk_before(list_page: Callable[..., JsonObject], query: Dict[str, Any]) -> Iterator[JsonObject]:
        """Every item of a list that grows newest first, each page older than the last item seen.

        Items created meanwhile never repeat one, and every page costs the service what the first does.
        """
        query = {key: value for key, value in query.items() if key != "page"}
        while True:
            current = list_page(**query)
            yield from current["results"]
            if current.get("next") is None or not current["results"]:
                return
            query["before"] = current["results"][-1]["id"]

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: Optional[JsonObject] = None,
        query: Optional[Mapping[str, Any]] = None,
        headers: Optional[Dict[str, str]] = None,
    ) -> Any:
        with self._open(method, path, body=body, query=query, headers=headers) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def _open(
        self,
        method: str,
        path: str,
        *,
        body: Optional[JsonObject] = None,
        query: Optional[Mapping[str, Any]] = None,
        headers: Optional[Dict[str, str]] = None,
        timeout: Any = _DEFAULT_TIMEOUT,
    ):
        url = self.base_url + path
        pairs = {name: _query_value(value) for name, value in (query or {}).items() if value is not None}
        if pairs:
            url += "?" + urllib.parse.urlencode(pairs)
        request_headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            request_headers["Content-Type"] = "application/json"
        request_headers.update(headers or {})
        repeatable = method in _REPEATABLE_METHODS or "Idempotency-Key" in request_headers
        wait = self._timeout if timeout is _DEFAULT_TIMEOUT else timeout
        retry = 0
        while True:
            may_retry = repeatable and retry < self._retry.retries
            request = urllib.request.Request(url, data=data, headers=request_headers, method=method)
            try:
                return urllib.request.urlopen(request, timeout=wait)
            except urllib.error.HTTPError as error:
                try:
                    status, body_bytes = error.code, error.read()
                    asked = retry_after_seconds(error.headers.get("Retry-After"))
                finally:
                    error.close()
                if not may_retry or status not in _RETRIED_STATUSES:
                    raise NotificationServiceError(status, _error_body(body_bytes, error.reason)) from None
                if asked is not None and asked > self._retry.max_retry_after:
                    raise NotificationServiceError(status, _error_body(body_bytes, error.reason)) from None
                self._sleep(asked if asked is not None else self._retry.backoff(retry))
            except (urllib.error.URLError, socket.timeout, ConnectionError) as error:
                if not may_retry:
                    reason = getattr(error, "reason", error)
                    raise NotificationServiceError(
                        0, {"detail": f"Could not reach the service: {reason}"}
                    ) from error
                self._sleep(self._retry.backoff(retry))
            retry += 1


def verify_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: Union[str, bytes],
    *,
    tolerance_seconds: float = 300,
    now: Optional[float] = None,
) -> bool:
    """Checks a webhook the service sent (Standard Webhooks); returns True or raises.

    `headers` is any mapping (Django's request.headers, a dict, http.client's message); names are
    matched case-insensitively. `body` is the raw body as received, before any parsing.
    webhook-signature holds one or more "v1,<base64 HMAC-SHA256>" of "{id}.{timestamp}.{body}"
    (two during a secret rotation), keyed with the base64 part of the "whsec_" secret.
    """
    lowered = {str(name).lower(): value for name, value in headers.items()}
    msg_id = lowered.get("webhook-id")
    timestamp = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        raise WebhookVerificationError("Missing webhook-id, webhook-timestamp or webhook-signature header.")
    if not timestamp.isdigit():
        raise WebhookVerificationError("The webhook-timestamp is not a number.")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance_seconds:
        raise WebhookVerificationError("The webhook-timestamp is too far from now.")
    encoded = secret[len("whsec_"):] if secret.startswith("whsec_") else secret
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError:
        raise WebhookVerificationError("The webhook secret is not base64.") from None
    if not key:
        raise WebhookVerificationError("The webhook secret is empty.")
    payload = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    expected = hmac.new(key, f"{msg_id}.{timestamp}.".encode("utf-8") + payload, hashlib.sha256).digest()
    for entry in signatures.split(" "):
        version, _, signature = entry.partition(",")
        if version != "v1":
            continue
        try:
            given = base64.b64decode(signature, validate=True)
        except ValueError:
            continue
        if hmac.compare_digest(given, expected):
            return True
    raise WebhookVerificationError("No webhook-signature matches the secret.")


def _describe(status: int, body: JsonObject) -> str:
    parts = []
    for field, value in body.items():
        messages = value if isinstance(value, list) else [value]
        parts.append(str(value) if field == "detail" else f"{field}: {' '.join(map(str, messages))}")
    text = "; ".join(parts)
    return text if status == 0 else f"HTTP {status}: {text}"


def _error_body(raw: bytes, reason: Any) -> JsonObject:
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return parsed
    text = raw.decode("utf-8", "replace").strip() if raw else ""
    return {"detail": text or str(reason)}


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _int(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer id, got {value!r}")
    return value


def _segment(value: str) -> str:
    return urllib.parse.quote(value, safe="")

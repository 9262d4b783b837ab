"""The Python client: pure parts always; against the real service when NS_TEST_URL is set.

`npm test` runs this (test/clients/python-client.test.ts) with the service listening on loopback,
NS_TEST_URL, NS_TEST_API_KEY, and NS_TEST_PROXY_URL: a proxy in front of the service that breaks
replies on request (POST /__proxy/fail-next, GET /__proxy/requests).
"""

import ast
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import unittest
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from notification_service_client import (  # noqa: E402
    Attempt,
    Notification,
    NotificationServiceClient,
    NotificationServiceError,
    RetryPolicy,
    User,
    WebhookVerificationError,
    retry_after_seconds,
    verify_webhook,
)

URL = os.environ.get("NS_TEST_URL")
API_KEY = os.environ.get("NS_TEST_API_KEY", "")
PROXY_URL = os.environ.get("NS_TEST_PROXY_URL")
SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef01234567").decode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret[len("whsec_"):])
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def in_an_hour() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))


def wait_for(what, check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class PythonVersionTest(unittest.TestCase):
    def test_the_module_is_python_3_9_syntax(self):
        path = os.path.join(os.path.dirname(__file__), "..", "notification_service_client.py")
        with open(path, encoding="utf-8") as source:
            ast.parse(source.read(), feature_version=(3, 9))


class TypedDictsTest(unittest.TestCase):
    """The TypedDicts name exactly the fields the committed openapi.json gives these answers."""

    def test_keys_match_the_openapi_document(self):
        path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "openapi.json")
        with open(path, encoding="utf-8") as source:
            paths = json.load(source)["paths"]

        def answer(path_name):
            return paths[path_name]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

        notification = answer("/api/notifications/{id}/")
        self.assertEqual(set(Notification.__annotations__), set(notification["properties"]))
        self.assertEqual(set(Attempt.__annotations__), set(notification["properties"]["attempts"]["items"]["properties"]))
        self.assertEqual(set(User.__annotations__), set(answer("/api/users/{id}/")["properties"]))


class RetryPolicyTest(unittest.TestCase):
    def test_backoff_is_full_jitter_under_a_doubling_cap(self):
        policy = RetryPolicy(base_delay=0.25, max_delay=1.0)
        self.assertEqual(policy.backoff(0, lambda: 0.999999), 0.25 * 0.999999)
        self.assertEqual(policy.backoff(2, lambda: 0.5), 0.5)
        self.assertEqual(policy.backoff(10, lambda: 0.5), 0.5)
        self.assertEqual(policy.backoff(3, lambda: 0.0), 0.0)

    def test_retry_after_reads_seconds_and_http_dates(self):
        self.assertEqual(retry_after_seconds("5"), 5.0)
        self.assertIsNone(retry_after_seconds(None))
        self.assertIsNone(retry_after_seconds("soon"))
        self.assertEqual(retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0), 10.0)


class VerifyWebhookTest(unittest.TestCase):
    body = b'{"type":"webhook.test"}'

    def headers(self, signature=None, timestamp=None):
        timestamp = int(time.time()) if timestamp is None else timestamp
        return {
            "webhook-id": "msg_1",
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature or sign(SECRET, "msg_1", timestamp, self.body),
        }

    def test_accepts_a_good_signature_with_any_header_case_and_str_or_bytes(self):
        headers = self.headers()
        self.assertIs(verify_webhook(SECRET, headers, self.body), True)
        upper = {name.upper(): value for name, value in headers.items()}
        self.assertIs(verify_webhook(SECRET, upper, self.body.decode()), True)

    def test_accepts_any_of_several_signatures_during_a_rotation(self):
        now = int(time.time())
        other = "whsec_" + base64.b64encode(b"another key of 24 bytes!").decode()
        both = sign(other, "msg_1", now, self.body) + " " + sign(SECRET, "msg_1", now, self.body)
        self.assertIs(verify_webhook(SECRET, self.headers(both, now), self.body), True)
        self.assertIs(verify_webhook(other, self.headers(both, now), self.body), True)

    def test_rejects_a_changed_body_a_wrong_secret_an_old_timestamp_or_missing_headers(self):
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(SECRET, self.headers(), self.body + b" ")
        with self.assertRaises(WebhookVerificationError):
            verify_webhook("whsec_" + base64.b64encode(b"wrong").decode(), self.headers(), self.body)
        stale = int(time.time()) - 301
        with self.assertRaisesRegex(WebhookVerificationError, "too far"):
            verify_webhook(SECRET, self.headers(timestamp=stale), self.body)
        with self.assertRaises(WebhookVerificationError):
            verify_webhook(SECRET, {"webhook-id": "msg_1"}, self.body)


class Receiver(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((self.headers, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@unittest.skipUnless(URL, "NS_TEST_URL is not set: no service to test against (npm test sets it)")
class AgainstTheServiceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = NotificationServiceClient(URL, API_KEY)
        cls.user = cls.client.create_user({"email": f"py-{uuid.uuid4().hex}@example.com", "password": "long enough"})

    def test_creates_a_notification_and_reads_it_until_it_is_sent(self):
        self.assertEqual(self.client.get_user(self.user["id"])["email"], self.user["email"])
        updated = self.client.update_user(self.user["id"], {"phone_number": "+7 999 000-11-22"})
        self.assertEqual(updated["phone_number"], "+79990001122")
        created = self.client.create_notification({"user": self.user["id"], "message": "from Python"})
        self.assertEqual(created["status"], "pending")

        def sent():
            current = self.client.get_notification(created["id"])
            return current if current["status"] == "sent" else None

        self.assertEqual(wait_for("the notification to be sent", sent)["last_channel"], "sms")
        outbox = self.client.list_outbox(notification=created["id"])
        self.assertEqual([message["text"] for message in outbox["results"]], ["from Python"])
        self.assertIn(created["id"], [m["notification"] for m in self.client.iterate_outbox(channel="sms")])

    def test_finds_a_user_by_a_contact_and_erases_them_with_their_notifications(self):
        email = f"Py-Erase-{uuid.uuid4().hex}@example.com"
        erased = self.client.create_user({"email": email, "password": "long enough", "telegram_id": "-100777"})
        found = self.client.list_users(email=email.lower())
        self.assertEqual(found["results"], [erased])
        self.assertIn(erased["id"], [u["id"] for u in self.client.list_users(telegram_id="-100777")["results"]])
        self.assertIn(erased["id"], [u["id"] for u in self.client.iterate_users(page_size=1)])
        notification = self.client.create_notification({"user": erased["id"], "message": "to be erased"})

        self.assertIsNone(self.client.delete_user(erased["id"]))
        reads = (lambda: self.client.get_user(erased["id"]), lambda: self.client.get_notification(notification["id"]))
        for read in reads:
            with self.assertRaises(NotificationServiceError) as raised:
                read()
            self.assertEqual(raised.exception.status, 404)

    def test_makes_a_telegram_connect_link(self):
        link = self.client.create_telegram_link(self.user["id"])
        self.assertRegex(link["code"], r"^[A-Za-z0-9_-]{1,64}$")
        self.assertEqual(link["url"], f"https://t.me/loopback_bot?start={link['code']}")
        self.assertIn("T", link["expires_at"])
        self.assertNotEqual(self.client.create_telegram_link(self.user["id"])["code"], link["code"])
        with self.assertRaises(NotificationServiceError) as raised:
            self.client.create_telegram_link(987654321)
        self.assertEqual(raised.exception.status, 404)

    def test_imports_users_and_updates_existing_ones_when_asked(self):
        tag = uuid.uuid4().hex
        users = [
            {"email": f"py-import-1-{tag}@example.com", "telegram_id": 640001},
            {"email": f"py-import-2-{tag}@example.com", "password": "long enough", "locale": "de"},
        ]
        imported = self.client.import_users(users)
        self.assertEqual(imported["created"], 2)
        self.assertEqual([u["telegram_id"] for u in imported["results"]], ["640001", None])
        with self.assertRaises(NotificationServiceError) as raised:
            self.client.import_users(users)
        self.assertEqual(raised.exception.status, 400)
        self.assertIn("users.0.email", raised.exception.body)
        again = self.client.import_users([{"email": users[1]["email"].upper(), "first_name": "Py"}], update_existing=True)
        self.assertEqual((again["created"], again["updated"]), (0, 1))
        self.assertEqual(again["results"][0]["id"], imported["results"][1]["id"])
        self.assertEqual((again["results"][0]["first_name"], again["results"][0]["locale"]), ("Py", "de"))

    def test_creates_notifications_in_bulk_once_per_key(self):
        items = [
            {"user": self.user["id"], "message": "bulk one from Python"},
            {"user": self.user["id"], "message": "bulk two from Python"},
        ]
        key = f"py-bulk-{uuid.uuid4().hex}"
        created = self.client.create_notifications(items, idempotency_key=key)
        self.assertEqual([n["message"] for n in created], ["bulk one from Python", "bulk two from Python"])
        again = self.client.create_notifications(items, idempotency_key=key)
        self.assertEqual([n["id"] for n in again], [n["id"] for n in created])
        with self.assertRaises(NotificationServiceError) as raised:
            self.client.create_notifications([{"user": self.user["id"], "message": ""}])
        self.assertEqual(raised.exception.status, 400)
        self.assertIn("notifications.0.message", raised.exception.body)

    def test_lists_page_by_page_and_iterates_every_page(self):
        user = self.client.create_user({"email": f"py-pages-{uuid.uuid4().hex}@example.com", "password": "long enough"})
        ids = [self.client.create_notification({"user": user["id"], "message": f"page {n}"})["id"] for n in range(5)]
        first = self.client.list_notifications(user=user["id"], page_size=2)
        self.assertEqual(first["count"], 5)
        self.assertEqual([n["id"] for n in first["results"]], [ids[4], ids[3]])
        seen = [n["id"] for n in self.client.iterate_notifications(user=user["id"], page_size=2)]
        self.assertEqual(seen, list(reversed(ids)))
        # One created after the first page was read: page numbers would shift and show ids[3] again.
        walked = []
        for notification in self.client.iterate_notifications(user=user["id"], page_size=2):
            walked.append(notification["id"])
            if len(walked) == 1:
                self.client.create_notification({"user": user["id"], "message": "created meanwhile"})
        self.assertEqual(walked, list(reversed(ids)))

    def test_a_400_is_the_typed_error_with_the_drf_body(self):
        with self.assertRaises(NotificationServiceError) as caught:
            self.client.create_notification({"user": self.user["id"], "message": "x", "channels": ["pigeon"]})
        self.assertEqual(caught.exception.status, 400)
        self.assertEqual(list(caught.exception.field_errors), ["channels"])
        with self.assertRaises(NotificationServiceError) as missing:
            self.client.get_notification(999999)
        self.assertEqual(missing.exception.status, 404)
        self.assertRegex(missing.exception.detail or "", "(?i)not found")

    @unittest.skipUnless(PROXY_URL, "NS_TEST_PROXY_URL is not set")
    def test_a_create_retried_through_a_503_makes_one_notification(self):
        flaky = NotificationServiceClient(PROXY_URL, API_KEY, retry=RetryPolicy(base_delay=0.01, max_delay=0.05))
        proxy_call("/__proxy/fail-next", {"method": "POST", "path": "/api/notifications/", "status": 503, "retryAfter": "0"})
        before = len(proxy_call("/__proxy/requests"))
        created = flaky.create_notification({"user": self.user["id"], "message": "exactly once from Python"})
        creates = [r for r in proxy_call("/__proxy/requests")[before:] if r["path"] == "/api/notifications/"]
        self.assertEqual([r["answered"] for r in creates], [503, 201])
        self.assertEqual(creates[0]["idempotencyKey"], creates[1]["idempotencyKey"])
        found = self.client.list_notifications(user=self.user["id"], search="exactly once from Python")
        self.assertEqual([n["id"] for n in found["results"]], [created["id"]])

        proxy_call("/__proxy/fail-next", {"method": "POST", "path": "/api/users/", "status": 503, "retryAfter": "0"})
        before = len(proxy_call("/__proxy/requests"))
        with self.assertRaises(NotificationServiceError) as refused:
            flaky.create_user({"email": f"py-no-retry-{uuid.uuid4().hex}@example.com", "password": "long enough"})
        self.assertEqual(refused.exception.status, 503)
        self.assertEqual(len(proxy_call("/__proxy/requests")) - before, 1)

    def test_templates_actions_channels_and_events(self):
        key = f"py-{uuid.uuid4().hex[:8]}"
        body = {"default_locale": "en", "locales": {"en": {"sms": {"text": "Hi {{ data.name }}"}}}}
        self.assertEqual(self.client.create_template({"key": key, **body})["key"], key)
        self.assertEqual(self.client.get_template(key)["key"], key)
        self.assertIn(key, [t["key"] for t in self.client.iterate_templates()])
        self.assertIn(key, [t["key"] for t in self.client.list_templates(page_size=200)["results"]])
        rendered = self.client.render_template(key, {"data": {"name": "Ann"}})
        self.assertEqual(rendered["rendered"]["sms"]["text"], "Hi Ann")
        body["locales"]["en"]["sms"]["text"] = "Hello {{ data.name }}"
        self.assertEqual(self.client.update_template(key, body)["locales"]["en"]["sms"]["text"], "Hello {{ data.name }}")
        draft = self.client.render_template_draft({"template": body, "data": {"name": "Bo"}})
        self.assertEqual(draft["rendered"]["sms"]["text"], "Hello Bo")
        self.client.delete_template(key)
        with self.assertRaises(NotificationServiceError):
            self.client.get_template(key)

        later = self.client.create_notification(
            {"user": self.user["id"], "message": "later", "send_at": in_an_hour()}
        )
        self.assertEqual(self.client.cancel_notification(later["id"])["status"], "cancelled")
        self.assertEqual(self.client.retry_notification(later["id"])["status"], "pending")
        self.assertIn("sms", [c["channel"] for c in self.client.get_channel_overview()["channels"]])

        events = self.client.stream_notification_events(timeout=20)
        self.assertEqual(next(events), {"type": "ready"})
        events.close()

    def test_broadcasts(self):
        broadcast = self.client.create_broadcast({"users": [self.user["id"]], "message": "to all from Python"})
        self.assertEqual(self.client.get_broadcast(broadcast["id"])["id"], broadcast["id"])
        self.assertIn(broadcast["id"], [b["id"] for b in self.client.list_broadcasts()["results"]])
        self.assertIn(broadcast["id"], [b["id"] for b in self.client.iterate_broadcasts(page_size=1)])
        later = self.client.create_broadcast(
            {"users": [self.user["id"]], "message": "later", "send_at": in_an_hour()}
        )
        self.assertEqual(self.client.cancel_broadcast(later["id"])["id"], later["id"])

    def test_preferences_and_suppressions(self):
        body = {"channels": {"telegram": False}, "categories": {"marketing": {"email": False}}}
        replaced = self.client.replace_preferences(self.user["id"], body)
        self.assertEqual(replaced["channels"], {"telegram": False})
        self.assertEqual(self.client.get_preferences(self.user["id"]), replaced)

        suppression = self.client.add_suppression({"channel": "sms", "address": "+7 999 333-44-55"})
        self.assertEqual(suppression["address"], "+79993334455")
        self.assertIn(suppression["id"], [s["id"] for s in self.client.list_suppressions(channel="sms")["results"]])
        self.assertIn(suppression["id"], [s["id"] for s in self.client.iterate_suppressions(page_size=1)])
        self.assertEqual(self.client.remove_suppression(suppression["id"])["id"], suppression["id"])
        self.assertEqual(self.client.list_suppressions(address="+79993334455")["count"], 0)

    def test_verifies_a_real_signed_delivery_before_and_after_a_rotation(self):
        server = HTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
            endpoint = self.client.create_webhook({"url": url, "events": ["notification.sent"]})
            self.assertEqual(self.client.get_webhook(endpoint["id"])["url"], url)
            Receiver.received.clear()
            self.client.test_webhook(endpoint["id"])
            headers, body = wait_for("the test webhook", lambda: Receiver.received[0] if Receiver.received else None)
            self.assertIs(verify_webhook(endpoint["secret"], headers, body), True)
            self.assertIs(verify_webhook(endpoint["secret"], dict(headers.items()), body.decode()), True)
            with self.assertRaises(WebhookVerificationError):
                verify_webhook(endpoint["secret"], headers, body + b" ")

            rotated = self.client.rotate_webhook_secret(endpoint["id"])
            Receiver.received.clear()
            delivery = self.client.test_webhook(endpoint["id"])
            headers, body = wait_for("the webhook after rotation", lambda: Receiver.received[0] if Receiver.received else None)
            self.assertEqual(len(headers["webhook-signature"].split(" ")), 2)
            self.assertIs(verify_webhook(rotated["secret"], headers, body), True)
            self.assertIs(verify_webhook(endpoint["secret"], headers, body), True)

            self.assertIn(delivery["id"], [d["id"] for d in self.client.iterate_webhook_deliveries(endpoint["id"])])
            wait_for(
                "the delivery to succeed",
                lambda: True
                if any(
                    d["id"] == delivery["id"] and d["status"] == "succeeded"
                    for d in self.client.list_webhook_deliveries(endpoint["id"])["results"]
                )
                else None,
            )
            Receiver.received.clear()
            self.client.replay_webhook_delivery(endpoint["id"], delivery["id"])
            wait_for("the replayed webhook", lambda: Receiver.received[0] if Receiver.received else None)
            self.assertIs(self.client.update_webhook(endpoint["id"], {"enabled": False})["enabled"], False)
            self.assertIn(endpoint["id"], [w["id"] for w in self.client.iterate_webhooks()])
            self.assertIn(endpoint["id"], [w["id"] for w in self.client.list_webhooks()["results"]])
            self.client.delete_webhook(endpoint["id"])
            with self.assertRaises(NotificationServiceError) as gone:
                self.client.get_webhook(endpoint["id"])
            self.assertEqual(gone.exception.status, 404)
        finally:
            server.shutdown()
            server.server_close()


def proxy_call(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(PROXY_URL + path, data=data, method="GET" if body is None else "POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


if __name__ == "__main__":
    unittest.main()

"""Logs with request ids, /healthz and /readyz, JSON errors under /api/ with the database down, optional Sentry."""

import io
import json
import logging
import sys
import types
from unittest import mock

from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client, SimpleTestCase, TestCase, override_settings

from cms.request_log import RequestContextFilter, logging_config
from cms.sentry import init_sentry
from tests.factories import make_user

TASKS_IN_DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def json_log_handler():
    """A handler formatting as production does (LOG_FORMAT=json), into a buffer."""
    config = logging_config("json", "INFO")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    formatter = dict(config["formatters"]["json"])
    factory = formatter.pop("()")
    module, _, name = factory.rpartition(".")
    handler.setFormatter(getattr(__import__(module, fromlist=[name]), name)(**formatter))
    handler.addFilter(RequestContextFilter())
    return handler, stream


class CapturedLogs:
    """Production's JSON lines of the ``cms.request`` and ``django.request`` loggers during a block."""

    def __enter__(self):
        self.handler, self.stream = json_log_handler()
        self.loggers = [logging.getLogger("cms.request"), logging.getLogger("django.request")]
        for logger in self.loggers:
            logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        for logger in self.loggers:
            logger.removeHandler(self.handler)

    @property
    def lines(self):
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]


class RequestLogTests(TestCase):
    def test_a_request_is_one_json_line_with_its_id_echoed_in_the_response(self):
        user = make_user("logger-officer")
        self.client.force_login(user)
        with CapturedLogs() as logs:
            response = self.client.get("/healthz?x=1", HTTP_X_REQUEST_ID="nginx-3f2a9c", REMOTE_ADDR="10.0.0.7")
            response = self.client.get("/api/v2/no-such-endpoint/", HTTP_X_REQUEST_ID="nginx-3f2a9d", REMOTE_ADDR="10.0.0.7")
        self.assertEqual(response["X-Request-ID"], "nginx-3f2a9d")
        # A healthy probe is not logged; the 404 is, as one object with every field.
        [line] = logs.lines
        self.assertEqual(line["logger"], "cms.request")
        self.assertEqual(line["level"], "INFO")
        self.assertEqual(line["request_id"], "nginx-3f2a9d")
        self.assertEqual((line["method"], line["path"], line["status"]), ("GET", "/api/v2/no-such-endpoint/", 404))
        self.assertEqual((line["user_id"], line["remote_addr"]), (user.pk, "10.0.0.7"))
        self.assertIsInstance(line["duration_ms"], float)
        self.assertIn("time", line)

    def test_an_implausible_request_id_is_replaced(self):
        for given in ("", "a" * 101, "x\ny", "<script>"):
            with self.subTest(given=given):
                response = self.client.get("/healthz", HTTP_X_REQUEST_ID=given)
                self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")

    def test_a_500_is_logged_with_its_traceback_and_the_request_id(self):
        client = Client(raise_request_exception=False)
        with mock.patch("cms.health.JsonResponse", side_effect=RuntimeError("kaputt")), CapturedLogs() as logs:
            response = client.get("/healthz", HTTP_X_REQUEST_ID="req-500")
        self.assertEqual(response.status_code, 500)
        self.assertContains(response, "系统繁忙", status_code=500)
        error = next(line for line in logs.lines if line["logger"] == "django.request")
        self.assertEqual((error["level"], error["request_id"], error["status"], error["path"]), ("ERROR", "req-500", 500, "/healthz"))
        self.assertIn("RuntimeError: kaputt", error["exc_info"])
        self.assertIn("Traceback", error["exc_info"])
        access = next(line for line in logs.lines if line["logger"] == "cms.request")
        self.assertEqual((access["request_id"], access["status"]), ("req-500", 500))


class LoggingSettingsTests(SimpleTestCase):
    def test_the_format_is_chosen_by_log_format_and_a_wrong_one_is_named(self):
        self.assertEqual(logging_config("json", "info")["handlers"]["stderr"]["formatter"], "json")
        self.assertEqual(logging_config("text", "INFO")["handlers"]["stderr"]["formatter"], "text")
        from django.core.exceptions import ImproperlyConfigured

        with self.assertRaisesMessage(ImproperlyConfigured, "LOG_FORMAT"):
            logging_config("xml", "INFO")
        with self.assertRaisesMessage(ImproperlyConfigured, "LOG_LEVEL"):
            logging_config("json", "LOUD")


class DatabaseDownTests(TestCase):
    """The API answers JSON with a code whatever fails, also for a signed-in browser; the portal its page."""

    def unreachable(self):
        error = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
        return mock.patch.object(connection, "ensure_connection", side_effect=error)

    def test_api_json_503_and_portal_html(self):
        client = Client(raise_request_exception=False)
        client.force_login(make_user("signed-in-reader"))  # the session is read from the database too
        with self.unreachable(), CapturedLogs() as logs:
            api = client.get("/api/v2/disclosures/")
            portal = client.get("/zh-hans/")
        self.assertEqual(api.status_code, 503)
        self.assertEqual(api["Content-Type"], "application/json")
        self.assertEqual(api.json()["code"], "service_unavailable")
        self.assertNotIn("5432", api.content.decode())
        self.assertEqual(portal.status_code, 500)
        self.assertContains(portal, "系统繁忙", status_code=500)
        statuses = [line["status"] for line in logs.lines if line["logger"] == "cms.request"]
        self.assertEqual(statuses, [503, 500])

    def test_readyz_says_the_database_failed_without_details(self):
        with self.unreachable():
            response = Client(raise_request_exception=False).get("/readyz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["status"], "fail")
        self.assertEqual(body["checks"]["database"], {"status": "fail", "error": "OperationalError", "duration_ms": mock.ANY})
        self.assertNotIn("5432", response.content.decode())
        self.assertNotIn("127.0.0.1", response.content.decode())


class HealthTests(TestCase):
    def test_healthz_answers_without_the_database(self):
        with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("down")):
            response = self.client.get("/healthz")
        self.assertEqual((response.status_code, response.json()), (200, {"status": "ok"}))
        self.assertIn("no-cache", response["Cache-Control"])

    def test_readyz_is_ok_with_everything_answering(self):
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(
            set(body["checks"]),
            {"database", "cache", "search:default", "worker", "outbox:search", "outbox:alerts", "outbox:alerts-answers", "outbox:alerts-searches"},
        )
        self.assertEqual(body["checks"]["search:default"]["engine"], "database")
        self.assertIn("no-cache", response["Cache-Control"])

    def test_readyz_names_a_failing_cache(self):
        with mock.patch.object(cache, "get", return_value=None):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["cache"]["status"], "fail")

    def test_readyz_names_an_engine_that_does_not_answer(self):
        engine = mock.Mock(es=mock.Mock(spec=["options"]))
        engine.es.options.return_value.ping.return_value = False
        with mock.patch("cms.health.get_search_backend", return_value=engine):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["search:default"]["error"], "the search engine did not answer")

    @override_settings(TASKS=TASKS_IN_DATABASE)
    def test_readyz_fails_without_a_live_worker_when_tasks_wait_for_workers(self):
        from cms.workers import beat
        from django.utils import timezone

        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["worker"]["error"], "no task worker seen alive lately")
        beat("worker-1", timezone.now())
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["checks"]["worker"]["last_heartbeat_age_s"], 0)


class SentryTests(SimpleTestCase):
    def test_without_a_dsn_nothing_of_sentry_is_imported(self):
        sys.modules.pop("sentry_sdk", None)
        self.assertFalse(init_sentry(None))
        self.assertFalse(init_sentry(""))
        self.assertNotIn("sentry_sdk", sys.modules)

    def test_with_a_dsn_it_is_initialised_without_personal_data(self):
        sdk = types.ModuleType("sentry_sdk")
        sdk.init = mock.Mock()
        integrations = types.ModuleType("sentry_sdk.integrations")
        django_integration = types.ModuleType("sentry_sdk.integrations.django")
        django_integration.DjangoIntegration = mock.Mock(name="DjangoIntegration")
        modules = {"sentry_sdk": sdk, "sentry_sdk.integrations": integrations, "sentry_sdk.integrations.django": django_integration}
        with mock.patch.dict(sys.modules, modules):
            self.assertTrue(init_sentry("http://key@127.0.0.1:9/1", "county-test"))
        sdk.init.assert_called_once()
        kwargs = sdk.init.call_args.kwargs
        self.assertEqual((kwargs["dsn"], kwargs["environment"], kwargs["send_default_pii"]), ("http://key@127.0.0.1:9/1", "county-test", False))

    def test_with_a_dsn_but_no_sdk_startup_names_the_variable(self):
        from django.core.exceptions import ImproperlyConfigured

        with mock.patch.dict(sys.modules, {"sentry_sdk": None}), self.assertRaisesMessage(ImproperlyConfigured, "SENTRY_DSN"):
            init_sentry("http://key@127.0.0.1:9/1")

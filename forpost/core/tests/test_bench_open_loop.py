"""`make bench`'s open-loop load (issue 18, item 2): registrations start at a constant rate
whatever the server's pace, and each is timed from when it was due, so a server that falls
behind is charged for the queue (a closed loop would wait for it and hide that)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from benchmarks.run import CREATE_PATH, goal_of, open_loop

FORM = b'<main><form method="post"><input name="submission_token" value="t"><select name="contact_person"><option value="mother">m</option></select></form></main>'


class SlowDesk(BaseHTTPRequestHandler):
    """One request at a time, 20 ms each: at most 25 GET+POST pairs a second."""

    protocol_version = "HTTP/1.1"
    posts: list[bytes] = []

    def _answer(self, status, body=b""):
        time.sleep(0.02)
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if status == 302:
            self.send_header("Location", "/done/")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._answer(200 if self.path == CREATE_PATH else 404, FORM)

    def do_POST(self):
        self.posts.append(self.rfile.read(int(self.headers["Content-Length"])))
        self._answer(302)

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_desk(monkeypatch):
    monkeypatch.setenv("BENCH_RATE_SENDERS", "16")
    server = HTTPServer(("127.0.0.1", 0), SlowDesk)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_rate_above_the_servers_pace_is_charged_for_the_queue(slow_desk):
    within = open_loop(slow_desk, [{}], rate=5, seconds=1)
    beyond = open_loop(slow_desk, [{}], rate=60, seconds=1)
    assert within["completed"] == 5 and within["errors"] == 0
    assert within["p95_ms"] < 200
    # 60 pairs due within a second, 25 a second served: the last waits about 1.4 s for its turn.
    assert beyond["completed"] == 60 and beyond["errors"] == 0
    assert beyond["p99_ms"] > 1000
    assert beyond["achieved_per_s"] < 30


def test_the_desk_form_is_sent_with_who_made_contact_and_the_childs_age(slow_desk):
    SlowDesk.posts.clear()
    open_loop(slow_desk, [{}], rate=5, seconds=0.2)
    assert SlowDesk.posts == [b"submission_token=t&contact_person=mother&child_1_age=3-5"]


def test_the_table_says_whether_a_row_meets_its_goal():
    row = {"name": "inquiry_create_rate", "database": "sqlite", "rate_per_s": 50, "p95_ms": 48.0, "errors": 0}
    assert goal_of(row) == ("p95 ≤ 50 ms, 0 errors", "met")
    assert goal_of(row | {"errors": 1}) == ("p95 ≤ 50 ms, 0 errors", "**not met**")
    assert goal_of(row | {"rate_per_s": 100, "p95_ms": 99.0})[1] == "met"
    city = {"name": "annual_status_city", "database": "postgres", "rows": 10_000_000, "p50_ms": 450.0}
    assert goal_of(city | {"ratio_to_duckdb": 0.9}) == ("p50 ≤ 500 ms, × DuckDB ≤ 1", "met")
    assert goal_of(city | {"ratio_to_duckdb": 1.2})[1] == "**not met**"
    assert goal_of({"name": "annual_status_pdf", "database": "sqlite"}) == ("—", "")

"""The production smoke test's client (standard library only): as a counsellor would, over HTTP.

Fetches the login page and a public page, logs in, opens the desk form and registers one
inquiry with its CSRF and one-time tokens. Prints the inquiry's note, which the caller then
looks for in the database. Exits non-zero with a reason on the first thing that is wrong.
"""

from __future__ import annotations

import html
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE, USERNAME, PASSWORD, NOTE = sys.argv[1:5]
if not BASE.startswith(("http://", "https://")):
    sys.exit(f"FAIL: {BASE} is not an http(s) address")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


plain = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def fail(message: str) -> None:
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def get(path: str) -> str:
    try:
        with opener.open(BASE + path, timeout=20) as response:
            return response.read().decode()
    except urllib.error.HTTPError as exc:
        fail(f"GET {path} answered {exc.code}")
    raise AssertionError


def post(path: str, fields: list[tuple[str, str]]) -> tuple[int, str]:
    data = urllib.parse.urlencode(fields).encode()
    # BASE is checked to be http(s) above.
    request = urllib.request.Request(BASE + path, data=data, headers={"Referer": BASE + path})  # noqa: S310
    try:
        with plain.open(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        if exc.code in (301, 302, 303):
            return exc.code, exc.headers.get("Location", "")
        fail(f"POST {path} answered {exc.code}: {exc.read()[:500]!r}")
    raise AssertionError


def hidden(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', page
    )
    if not found:
        fail(f"no {name} in the page")
    return html.unescape(found.group(1))  # type: ignore[union-attr]


def first_choice(page: str, name: str) -> str:
    """The first value offered for `name` (a radio button or a select's first non-empty option)."""
    radio = re.search(rf'<input[^>]*type="radio"[^>]*name="{name}"[^>]*value="([^"]+)"', page) or re.search(
        rf'<input[^>]*name="{name}"[^>]*type="radio"[^>]*value="([^"]+)"', page
    )
    if radio:
        return html.unescape(radio.group(1))
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, flags=re.S)
    if select:
        for value in re.findall(r'<option[^>]*value="([^"]+)"', select.group(1)):
            return html.unescape(value)
    fail(f"no choice offered for {name}")
    raise AssertionError


def preselected(page: str) -> dict[str, str]:
    """What a browser submits untouched: each select's selected option and each checked radio."""
    found: dict[str, str] = {}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, flags=re.S):
        chosen = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', body)
        if chosen and chosen.group(1):
            found[name] = html.unescape(chosen.group(1))
    for tag in re.findall(r'<input[^>]*type="radio"[^>]*>', page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value and re.search(r"\schecked", tag):
            found[name.group(1)] = html.unescape(value.group(1))
    return found


started = time.monotonic()
login = get("/app/login/")
get("/")  # the citizens' front page
status, location = post(
    "/app/login/",
    [("csrfmiddlewaretoken", hidden(login, "csrfmiddlewaretoken")), ("username", USERNAME), ("password", PASSWORD)],
)
if status != 302:
    fail(f"login answered {status}, not a redirect")
desk = get("/app/registrations/inquiries/new/")
chosen = {
    **preselected(desk),
    "channel": first_choice(desk, "channel"),
    "has_case": first_choice(desk, "has_case"),
    "contact_person": "mother",
    "where": "not_stated",
    "child_1_age": "3-5",
    "child_1_sex": "girl",
    "note": NOTE,
}
fields = [
    ("csrfmiddlewaretoken", hidden(desk, "csrfmiddlewaretoken")),
    ("submission_token", hidden(desk, "submission_token")),
    ("date", hidden(desk, "date")),
    *chosen.items(),
]
if 'name="centre"' in desk:
    fields.append(("centre", hidden(desk, "centre")))
status, location = post("/app/registrations/inquiries/new/", fields)
if status != 302:
    errors = re.findall(r'id="(\w+)_error"><span class="sr-only">[^<]*</span>([^<]*)</span>', location)
    fail(f"the desk form answered {status}, not a redirect: {errors or location[:2000]}")
print(f"Registered through the desk form in {time.monotonic() - started:.1f}s (then {location}).")

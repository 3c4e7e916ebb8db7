"""A small keep-alive HTTP client with cookies and an HTML form reader (standard library only)."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    elapsed_ms: float


@dataclass
class Client:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method: str, path: str, data: list[tuple[str, str]] | None = None) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Language": "da"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
            headers["Origin"] = f"http://{self.host}:{self.port}"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            raw = self.conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            raise
        elapsed = (time.perf_counter() - started) * 1000
        for value in raw.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text, elapsed)


class FormReader(HTMLParser):
    """The fields of one <form> (by its action or the first POST form inside <main>) with default values."""

    def __init__(self, action: str | None = None) -> None:
        super().__init__()
        self.wanted_action = action
        self.in_form = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self.radios: dict[str, str] = {}
        self.select: str | None = None
        self.select_value: str | None = None
        self.select_first: str | None = None
        self.select_multiple = False
        self.textarea: str | None = None
        self.in_main = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "main":
            self.in_main = True
        if tag == "form" and not self.done and not self.in_form:
            method = a.get("method", "get").lower()
            if self.wanted_action is not None:
                self.in_form = a.get("action", "") == self.wanted_action
            else:
                self.in_form = self.in_main and method == "post"
            return
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox",):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind == "radio":
                # The checked option, else the first one offered.
                if "checked" in a or name not in self.radios:
                    self.radios[name] = a.get("value", "")
            elif kind not in ("submit", "button", "reset", "file"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select, self.select_value, self.select_first = name, None, None
            self.select_multiple = "multiple" in a
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None and value:
                self.select_first = value
            if "selected" in a:
                self.select_value = value
                if self.select_multiple:
                    self.fields.append((self.select, value))
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.in_main = False
        if not self.in_form:
            return
        if tag == "select" and self.select:
            if not self.select_multiple:
                self.fields.append((self.select, self.select_value if self.select_value is not None else ""))
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.in_form = False
            self.done = True
            self.fields.extend(self.radios.items())


def read_form(html: str, action: str | None = None) -> list[tuple[str, str]]:
    reader = FormReader(action)
    reader.feed(html)
    return reader.fields


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)

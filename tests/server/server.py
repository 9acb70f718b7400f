#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Loopback HTTP(S) test server for wslctl's tests (Python 3 standard library only).

Usage:
  server.py [--root DIR] [--routes FILE] [--tls CERT KEY] [--log FILE]
            [--port-file FILE] [--host 127.0.0.1]

Listens on HOST (default 127.0.0.1) on an ephemeral port; prints the port on stdout and
writes it to --port-file (atomically: poll until the file exists). Stop it with SIGTERM.
From shell tests, source tests/server/server.sh (server_start / server_stop); from C,
tests/unit/fetch_server.h. tests/server/mkcert.sh DIR makes a CA and a server
certificate for 127.0.0.1/localhost with the openssl CLI.

What it serves (HTTP/1.1 with keep-alive):
  * a route from --routes (JSON object: path -> route), matched on the path without
    the query string first, then on path+query;
  * else a file below --root (GET and HEAD; folders are not listed).
  In bodies of routes ("body", "json") and in *.json files below --root, "{base}" is
  replaced by this server's base URL (http://127.0.0.1:PORT or https://...), so fixtures
  can carry absolute URLs (NuGet service index, GitHub browser_download_url).

Files are streamed from disk (memory stays small for big packages). Every response
carries an ETag (SHA-256 of an in-memory body, size+mtime of a file); If-None-Match that matches
gets 304. Range "bytes=N-" / "bytes=N-M" gets 206 with Content-Range, or 416 with
"bytes */LEN" when N >= LEN; with an If-Range that is not the current ETag, 200 whole.

Route fields (all optional):
  "file": PATH          body from a file (relative to --root)
  "body": TEXT          body text
  "json": VALUE         body is this JSON value (Content-Type application/json)
  "status": N           status for the body (default 200)
  "headers": {K: V}     extra response headers
  "etag": false         no ETag / no 304 for this route
  "no_range": true      ignore Range (always 200 with the whole body)
  "redirect": URL       answer 302 Location URL ("{base}" replaced); "status" picks 301/307/308
  Faults, each applied to the first "times" requests of the route (default: all):
  "times": N
  "fail": [S1, S2...]   answer these statuses in turn (one per request), then the real body;
                        "retry_after": SECONDS adds a Retry-After header to them
  "drop_after": N       send the headers (full Content-Length) and N body bytes, then
                        close the connection (a reset mid-body / a truncated body)
  "stall_after": N      send the headers and N bytes, then sleep "stall": SECONDS
                        (default 3600) before going on
  "short_length": K     announce a Content-Length K bytes shorter than the body, send it all
  "long_length": K      announce K bytes more than the body, send the body, keep the
                        connection open until the client gives up (a lying server)

Log (--log FILE): one JSON object per request and line, written and flushed before the
answer goes out (a client that has its answer finds the line there):
  {"method", "path", "range", "if_none_match", "if_range", "authorization": bool, "accept",
   "status"}
"""

import argparse
import hashlib
import http.server
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time


class State:
    def __init__(self, args):
        self.root = os.path.abspath(args.root) if args.root else None
        self.routes = {}
        if args.routes:
            with open(args.routes, encoding="utf-8") as f:
                self.routes = json.load(f)
        self.counts = {}
        self.lock = threading.Lock()
        self.log = open(args.log, "a", encoding="utf-8") if args.log else None
        self.base = ""

    def hit(self, key):
        with self.lock:
            n = self.counts.get(key, 0)
            self.counts[key] = n + 1
            return n

    def record(self, entry):
        if not self.log:
            return
        with self.lock:
            self.log.write(json.dumps(entry) + "\n")
            self.log.flush()


def subst(text, base):
    return text.replace("{base}", base)


class Body:
    """Bytes in memory, or a file streamed from disk (packages of hundreds of MiB)."""

    def __init__(self, data=None, path=None):
        self.data, self.path = data, path
        self.size = len(data) if data is not None else os.path.getsize(path)

    def etag(self):
        if self.data is not None:
            return '"%s"' % hashlib.sha256(self.data).hexdigest()[:32]
        st = os.stat(self.path)
        return '"%x-%x"' % (st.st_size, st.st_mtime_ns)

    def send(self, w, start, end):
        if self.data is not None:
            w.write(self.data[start:end])
            return
        with open(self.path, "rb") as f:
            f.seek(start)
            left = end - start
            while left > 0:
                chunk = f.read(min(left, 1 << 20))
                if not chunk:
                    break
                w.write(chunk)
                left -= len(chunk)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "wslctl-test-server"
    # Headers and body go out in two writes: with Nagle the body waits for the client's
    # delayed ACK, 40 ms per request on a kept-alive connection (real servers set this).
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        self._status = None

    def _log(self, status):
        st = self.server.state
        st.record({
            "method": self.command,
            "path": self.path,
            "range": self.headers.get("Range"),
            "if_none_match": self.headers.get("If-None-Match"),
            "if_range": self.headers.get("If-Range"),
            "authorization": self.headers.get("Authorization") is not None,
            "accept": self.headers.get("Accept"),
            "status": status,
        })

    def do_HEAD(self):
        self.handle_any(head=True)

    def do_GET(self):
        self.handle_any(head=False)

    def find_route(self):
        routes = self.server.state.routes
        path = self.path.split("?", 1)[0]
        if self.path in routes:
            return self.path, routes[self.path]
        if path in routes:
            return path, routes[path]
        return None, None

    def load_body(self, route):
        st = self.server.state
        ctype = "application/octet-stream"
        if route is None:
            if not st.root:
                return None, None
            rel = self.path.split("?", 1)[0].lstrip("/")
            full = os.path.abspath(os.path.join(st.root, rel))
            if not full.startswith(st.root + os.sep) or not os.path.isfile(full):
                return None, None
            if full.endswith(".json"):
                with open(full, encoding="utf-8") as f:
                    data = subst(f.read(), st.base).encode("utf-8")
                return Body(data=data), "application/json"
            return Body(path=full), ctype
        if "file" in route:
            return Body(path=os.path.join(st.root or ".", route["file"])), ctype
        if "json" in route:
            text = subst(json.dumps(route["json"]), st.base)
            return Body(data=text.encode("utf-8")), "application/json"
        if "body" in route:
            return Body(data=subst(route["body"], st.base).encode("utf-8")), "text/plain"
        return Body(data=b""), "text/plain"

    def simple(self, status, body=b"", headers=None, head=False):
        self._log(status)
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def handle_any(self, head):
        st = self.server.state
        key, route = self.find_route()
        n = st.hit(key or self.path)
        faulty = route is not None and n < route.get("times", 1 << 30)

        if route and "redirect" in route:
            self.simple(route.get("status", 302),
                        headers={"Location": subst(route["redirect"], st.base)}, head=head)
            return
        if route and faulty and "fail" in route and n < len(route["fail"]):
            hdrs = {}
            if "retry_after" in route:
                hdrs["Retry-After"] = str(route["retry_after"])
            self.simple(route["fail"][n], b'{"message":"injected failure"}', hdrs, head)
            return

        body, ctype = self.load_body(route)
        if body is None:
            self.simple(404, b'{"message":"Not Found"}', head=head)
            return
        status = route.get("status", 200) if route else 200
        headers = {"Content-Type": ctype, "Accept-Ranges": "bytes"}
        if route:
            headers.update(route.get("headers", {}))
        use_etag = not (route and route.get("etag") is False)
        if use_etag:
            etag = body.etag()
            headers["ETag"] = etag
            if self.headers.get("If-None-Match") == etag:
                self.simple(304, headers={"ETag": etag}, head=True)
                return

        start, end = 0, body.size
        rng = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if if_range is not None and (not use_etag or if_range != etag):
            rng = None  # the client's bytes are of another version: send it whole
        if rng and status == 200 and not (route and route.get("no_range")):
            spec = rng.strip()
            if spec.startswith("bytes=") and "," not in spec:
                a, _, b = spec[6:].partition("-")
                try:
                    start = int(a)
                    end = int(b) + 1 if b else body.size
                except ValueError:
                    start, end = 0, body.size
                if start >= body.size:
                    self.simple(416, headers={"Content-Range": "bytes */%d" % body.size},
                                head=head)
                    return
                end = min(end, body.size)
                status = 206
                headers["Content-Range"] = "bytes %d-%d/%d" % (start, end - 1, body.size)

        length = end - start
        if faulty and "short_length" in route:
            length = max(0, length - route["short_length"])
        if faulty and "long_length" in route:
            length += route["long_length"]
        self._log(status)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if head:
            return
        try:
            if faulty and "drop_after" in route:
                body.send(self.wfile, start, min(end, start + route["drop_after"]))
                self.wfile.flush()
                self.close_now()
                return
            if faulty and "stall_after" in route:
                mid = min(end, start + route["stall_after"])
                body.send(self.wfile, start, mid)
                self.wfile.flush()
                time.sleep(route.get("stall", 3600))
                start = mid
            body.send(self.wfile, start, end)
            self.wfile.flush()
            if faulty and "long_length" in route:
                time.sleep(route.get("stall", 3600))
            if faulty and "short_length" in route:
                self.close_now()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True

    def close_now(self):
        """Ends the connection at once, without a TLS close_notify (as a reset would)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        """A client that hangs up is normal here; anything else is a bug worth seeing."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError)):
            super().handle_error(request, client_address)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--root")
    p.add_argument("--routes")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--log")
    p.add_argument("--port-file")
    p.add_argument("--host", default="127.0.0.1")
    args = p.parse_args()

    srv = Server((args.host, 0), Handler)
    srv.state = State(args)
    scheme = "http"
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        ctx.set_alpn_protocols(["http/1.1"])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        scheme = "https"
    port = srv.server_address[1]
    host = "[%s]" % args.host if ":" in args.host else args.host
    srv.state.base = "%s://%s:%d" % (scheme, host, port)

    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    print(port, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

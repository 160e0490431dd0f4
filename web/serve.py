#!/usr/bin/env python3
"""Static file server for the latentlab site.

By default every response carries the cross-origin-isolation headers
(COOP same-origin, COEP require-corp, CORP same-origin) so that the page gets
``crossOriginIsolated === true`` and the threaded (SharedArrayBuffer) build can
run.  ``--no-isolation`` leaves them out, like a plain static host would; the
page then falls back to the single-thread build.

    python3 web/serve.py --dir build/site --port 8080
    python3 web/serve.py --dir build/site --port 0      # pick a free port

The first line printed to stdout is ``serving http://localhost:PORT`` with the
real port (tests read it).  Ctrl-C stops the server with exit status 0.

Only files inside --dir are served: ``..`` segments (plain or percent-encoded) are
dropped, and a path whose real location (symlinks resolved) lies outside the
folder answers 404, as does a directory without index.html (no listings).  It
binds 127.0.0.1 unless --host says otherwise; a malformed request gets a 4xx
answer and the server keeps running.
"""

import argparse
import functools
import http.server
import os
import signal
import socket
import sys

ISOLATION_HEADERS = (
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Embedder-Policy", "require-corp"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)

EXTRA_TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".html": "text/html",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".ttf": "font/ttf",
    ".data": "application/octet-stream",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    isolation = True
    verbose = False

    # Class-level copy so the shared mimetypes table is not modified.
    extensions_map = dict(http.server.SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES)

    def guess_type(self, path):
        ext = os.path.splitext(path)[1].lower()
        if ext in EXTRA_TYPES:
            return EXTRA_TYPES[ext]
        return super().guess_type(path)

    def send_head(self):
        # translate_path already drops ".." segments (after percent-decoding); this also
        # keeps symlinks from leading out of the folder, and refuses odd paths (NUL bytes).
        try:
            path = self.translate_path(self.path)
            root = os.path.realpath(self.directory)
            real = os.path.realpath(path)
        except (ValueError, OSError):
            self.send_error(404, "File not found")
            return None
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            self.send_error(404, "File not found")
            return None
        if os.path.isdir(real) and not os.path.isfile(os.path.join(real, "index.html")):
            self.send_error(404, "File not found")  # no directory listings
            return None
        try:
            return super().send_head()
        except (ValueError, OSError):
            self.send_error(404, "File not found")
            return None

    def end_headers(self):
        if self.isolation:
            for name, value in ISOLATION_HEADERS:
                self.send_header(name, value)
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        if self.verbose:
            super().log_message(format, *args)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A browser closing a connection mid-transfer is not worth a traceback.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Serve the latentlab site with cross-origin isolation headers.")
    p.add_argument("--dir", default=".", help="directory to serve (default: current directory)")
    p.add_argument("--port", type=int, default=8080, help="port, 0 picks a free one (default: 8080)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default: 127.0.0.1; use 0.0.0.0 to reach it from other machines)")
    p.add_argument("--lan", action="store_true",
                   help="serve to the local network (binds 0.0.0.0) and print this machine's LAN addresses")
    p.add_argument("--no-isolation", action="store_true",
                   help="send no COOP/COEP/CORP headers (simulates a plain static host)")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = p.parse_args(argv)
    if not 0 <= args.port <= 65535:
        p.error(f"--port must be 0..65535, got {args.port}")
    if not os.path.isdir(args.dir):
        p.error(f"--dir {args.dir!r} is not a directory")
    return args


def lan_addresses():
    """This machine's IPv4 addresses other than loopback, from its own name (nothing is sent)."""
    found = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = info[4][0]
            if not address.startswith("127."):
                found.add(address)
    except OSError:
        pass
    return sorted(found)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.lan:
        args.host = "0.0.0.0"
    # SIGTERM (how tests stop us) ends the server as cleanly as Ctrl-C does.
    # SIGINT is set explicitly too: a shell starting us in the background may have set it to ignored.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)

    handler = functools.partial(Handler, directory=os.path.abspath(args.dir))
    Handler.isolation = not args.no_isolation
    Handler.verbose = args.verbose
    try:
        httpd = Server((args.host, args.port), handler)
    except OSError as e:
        print(f"serve.py: cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 1

    port = httpd.server_address[1]
    if args.lan:
        addresses = lan_addresses()
        for address in addresses:
            print(f"on the local network: http://{address}:{port}", flush=True)
        if not addresses:
            print(f"on the local network: http://<this machine's address>:{port} (see `ip -4 addr`)", flush=True)
    mode = "without isolation headers" if args.no_isolation else "cross-origin isolated"
    print(f"serving http://localhost:{port}", flush=True)
    print(f"  directory {os.path.abspath(args.dir)}, {mode}, bound to {args.host}; Ctrl-C to stop",
          file=sys.stderr, flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

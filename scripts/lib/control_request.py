#!/usr/bin/env python3
"""Sends one request line to adbcfaultd's control socket and prints the reply line.

Usage: control_request.py SOCKET REQUEST_JSON
For the sandbox demo and the benches, which need an answer even where the adbcfault CLI does not
give one (not built yet, or a different version). Exit status 1, with the reason on stderr, when
the socket does not answer with a whole JSON line within 5 s.
"""
import json
import socket
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: control_request.py SOCKET REQUEST_JSON")
    path, request = sys.argv[1], sys.argv[2]
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(path)
            s.sendall(request.encode() + b"\n")
            reply = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
                try:
                    json.loads(reply)
                    break
                except ValueError:
                    continue
        json.loads(reply)
    except (OSError, ValueError) as error:
        sys.exit("control socket %s: %s" % (path, error))
    print(reply.decode().strip())


main()

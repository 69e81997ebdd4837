#!/usr/bin/env python3
"""search-bench.py HOST PORT USER PASS ROUNDS
Times IMAP SEARCH BODY and TEXT with Python's imaplib (an independent client) over a selected INBOX. The first
search is timed once on its own ("first search": a server that builds an index on demand pays for it there), then
each query's best of ROUNDS. Prints one line per query (label, hit count, milliseconds) and the total of the bests."""
import imaplib, sys, time

host, port, user, pw = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 3
imaplib._MAXLINE = 100_000_000

QUERIES = [
    ("BODY nomatch-zz (no match)", ("BODY", "nomatch-zz")),
    ("TEXT \"message 4242 \" (subject, 1)", ("TEXT", '"message 4242 "')),
    ("TEXT sender42@ (header, ~1%)", ("TEXT", "sender42@")),
    ("BODY \"consequat duis\" (phrase)", ("BODY", '"consequat duis"')),
    ("BODY labore (in most)", ("BODY", "labore")),
    ("TEXT zz OR BODY q (mixed)", ("OR", "TEXT", "zz", "BODY", '"quis nostrud"')),
]

c = imaplib.IMAP4(host, port)
c.login(user, pw)
typ, data = c.select("INBOX")
print(f"messages: {int(data[0])}")

def run(args):
    typ, data = c.uid("SEARCH", *args)
    assert typ == "OK", data
    return len(data[0].split())

t = time.perf_counter(); hits = run(QUERIES[0][1]); d = time.perf_counter() - t
print(f"{'first search':<36} {hits:>7} {d*1000:10.1f} ms")
total = 0
for label, args in QUERIES:
    best = None
    for _ in range(rounds):
        t = time.perf_counter(); hits = run(args); d = time.perf_counter() - t
        best = d if best is None or d < best else best
    total += best
    print(f"{label:<36} {hits:>7} {best*1000:10.1f} ms")
print(f"{'total':<36} {'':>7} {total*1000:10.1f} ms")
c.logout()

#!/usr/bin/env python3
"""gen-maildir.py DIR COUNT [SIZE]
Writes COUNT messages of about SIZE bytes (default 10240) into the Maildir DIR (cur/new/tmp), CRLF line ends,
deterministic content: every fifth message is multipart/mixed with a small base64 attachment, every third is
\\Seen. File names sort in delivery order (as Dovecot numbers them); modification times are one minute apart."""
import os, random, sys, base64
d, n = sys.argv[1], int(sys.argv[2])
size = int(sys.argv[3]) if len(sys.argv) > 3 else 10240
rnd = random.Random(42)
words = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et "
         "dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea "
         "commodo consequat duis aute irure reprehenderit voluptate velit esse cillum fugiat nulla pariatur").split()
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(d, sub), exist_ok=True)
t0 = 1704067200  # 2024-01-01
for i in range(n):
    lines = []
    while sum(len(l) + 2 for l in lines) < size - 600:
        lines.append(" ".join(rnd.choice(words) for _ in range(11)))
    text = "\r\n".join(lines) + "\r\n"
    hdr = ("Return-Path: <sender%d@example.org>\r\nDelivered-To: rcpt@local.test\r\n"
           "From: Sender %d <sender%d@example.org>\r\nTo: Recipient <rcpt@local.test>\r\n"
           "Subject: Benchmark message %d about %s\r\nDate: Mon, 1 Jan 2024 %02d:%02d:%02d +0000\r\n"
           "Message-ID: <bench-%d@example.org>\r\nMIME-Version: 1.0\r\n"
           % (i % 97, i % 97, i % 97, i, rnd.choice(words), (i // 3600) % 24, (i // 60) % 60, i % 60, i))
    if i % 5 == 0:
        att = base64.encodebytes(bytes(rnd.getrandbits(8) for _ in range(300))).decode().replace("\n", "\r\n")
        body = ("Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\nContent-Type: text/plain; "
                "charset=us-ascii\r\n\r\n%s--b%d\r\nContent-Type: application/octet-stream; name=\"data%d.bin\"\r\n"
                "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"data%d.bin\"\r\n\r\n"
                "%s--b%d--\r\n" % (i, i, text, i, i, i, att, i))
    else:
        body = "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + text
    msg = (hdr + body).encode()
    name = "%d.M%06dP1.bench,S=%d:2,%s" % (t0 + 60 * i, i, len(msg), "S" if i % 3 == 0 else "")
    p = os.path.join(d, "cur", name)
    with open(p, "wb") as f:
        f.write(msg)
    os.utime(p, (t0 + 60 * i, t0 + 60 * i))

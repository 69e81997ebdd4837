"""imap-login.py HOST PORT USER PASSWORD COUNT [PARALLEL]: COUNT IMAP logins (connect, LOGIN, LOGOUT), each on
a new connection, PARALLEL at a time (default 1). Prints the median and the 90th percentile of one login's time and
the logins per second."""
import imaplib, statistics, sys, time
from concurrent.futures import ThreadPoolExecutor

host, port, user, pw, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
par = int(sys.argv[6]) if len(sys.argv) > 6 else 1

def one(_):
    t = time.perf_counter()
    c = imaplib.IMAP4(host, port)
    typ, _ = c.login(user, pw)
    assert typ == "OK", typ
    c.logout()
    return (time.perf_counter() - t) * 1000

start = time.perf_counter()
with ThreadPoolExecutor(par) as ex:
    times = sorted(ex.map(one, range(count)))
secs = time.perf_counter() - start
print("logins %d parallel %d median %.2f ms p90 %.2f ms rate %.0f/s" % (
    count, par, statistics.median(times), times[int(len(times) * 0.9) - 1], count / secs))

#!/usr/bin/env python3
"""The soak of bench/soak.sh (run that): mixed load against the runnable server, killed with SIGKILL and restarted at
random moments, then the checks. Arguments come from soak.sh through the environment (SOAK_*)."""
import glob, imaplib, os, poplib, random, re, signal, smtplib, ssl, subprocess, sys, threading, time, uuid

E = os.environ
DURATION = int(E["SOAK_SECONDS"]); HEAP = E["SOAK_HEAP"]; JAVA = E["SOAK_JAVA"]; CP = E["SOAK_CP"]
WORK = E["SOAK_WORK"]; SINK_PORT = int(E["SOAK_SINK_PORT"]); SINK_DIR = E["SOAK_SINK_DIR"]
KILL_MIN, KILL_MAX = int(E.get("SOAK_KILL_MIN", "20")), int(E.get("SOAK_KILL_MAX", "60"))
# a loaded machine (load average 30 on 2 cores) once took over 120 s to start the JVM after a kill
START_TIMEOUT = int(E.get("SOAK_START_TIMEOUT", "600"))
USERS = [f"u{i}@local.test" for i in range(5)]
rnd = random.Random(int(E.get("SOAK_SEED", "1")))
TLS = ssl.create_default_context(); TLS.check_hostname = False; TLS.verify_mode = ssl.CERT_NONE

lock = threading.Lock()
acked_local = {}      # message id -> recipient, for every 250 of the MX
acked_relay = set()   # message ids acknowledged by submission for x@remote.test
maybe_expunged = set()
counts = {k: 0 for k in ("smtp", "relay", "imap", "pop3", "refused", "conn_errors", "flagged", "expunged", "retr")}
samples = []          # (generation, heap MiB after GC, fds, threads) some seconds after each start
stop = threading.Event()
state = {"gen": 0, "ports": None, "proc": None}
up = threading.Event()


def start_server():
    gen = state["gen"] + 1
    out = open(f"{WORK}/server-{gen}.out", "w"); err = open(f"{WORK}/server-{gen}.err", "w")
    args = [JAVA, f"-Xmx{HEAP}", "-XX:+UseG1GC", "-cp", CP, "dev.mailkit.examples.MailkitServerMain",
            "--data", f"{WORK}/data", "--domain", "local.test", "--relay-host", f"127.0.0.1:{SINK_PORT}"]
    for p in ("smtp", "submission", "smtps", "imap", "imaps", "pop3", "pop3s", "managesieve", "http"):
        args += [f"--{p}-port", "0"]
    for u in USERS:
        args += ["--user", f"{u}:secret"]
    proc = subprocess.Popen(args, stdout=out, stderr=err)
    ports = {}
    deadline = time.time() + START_TIMEOUT
    while time.time() < deadline and proc.poll() is None:
        text = open(f"{WORK}/server-{gen}.out").read()
        if "\n  POP3 " in text:
            for key, label in (("mx", "SMTP (MX)"), ("sub", "SMTP submission"), ("imap", "IMAP  "), ("pop3", "POP3  ")):
                ports[key] = int(re.search(re.escape("  " + label) + r"\s+[\d.]+:(\d+)", text).group(1))
            break
        time.sleep(0.2)
    if not ports:
        alive = "still running" if proc.poll() is None else f"exited with {proc.returncode}"
        proc.kill()
        sys.exit(f"server {gen} did not start within {START_TIMEOUT} s ({alive}); stdout: "
                 f"{open(f'{WORK}/server-{gen}.out').read()[-2000:]} stderr: "
                 f"{open(f'{WORK}/server-{gen}.err').read()[-2000:]}")
    state.update(gen=gen, ports=ports, proc=proc)
    up.set()


def sample(gen):
    pid = state["proc"].pid
    jcmd = os.path.join(os.path.dirname(JAVA), "jcmd")
    subprocess.run([jcmd, str(pid), "GC.run"], capture_output=True)
    info = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    m = re.search(r"used (\d+)K", info)
    try:
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        threads = int(re.search(r"Threads:\s+(\d+)", open(f"/proc/{pid}/status").read()).group(1))
    except OSError:
        return
    samples.append((gen, int(m.group(1)) / 1024 if m else -1, fds, threads))


def message(mid, to, subject):
    return (f"From: soak@remote.test\r\nTo: {to}\r\nMessage-ID: <{mid}>\r\nSubject: {subject}\r\n\r\n"
            + "soak line\r\n" * rnd.randint(1, 200))


def worker(kind):
    while not stop.is_set():
        up.wait()
        ports = state["ports"]
        try:
            if kind == "smtp":
                mid = f"{uuid.uuid4()}@soak"; to = rnd.choice(USERS)
                with smtplib.SMTP("127.0.0.1", ports["mx"], timeout=30) as s:
                    s.sendmail("soak@remote.test", [to], message(mid, to, "in"))
                with lock:
                    acked_local[mid] = to; counts["smtp"] += 1
            elif kind == "relay":
                mid = f"{uuid.uuid4()}@soak"
                with smtplib.SMTP("127.0.0.1", ports["sub"], timeout=30) as s:
                    s.starttls(context=TLS); s.login(USERS[0], "secret")
                    s.sendmail(USERS[0], ["x@remote.test"], message(mid, "x@remote.test", "out"))
                with lock:
                    acked_relay.add(mid); counts["relay"] += 1
            elif kind == "imap":
                user = rnd.choice(USERS)
                with imaplib.IMAP4("127.0.0.1", ports["imap"], timeout=30) as m:
                    m.starttls(ssl_context=TLS); m.login(user, "secret"); m.select("INBOX")
                    typ, data = m.search(None, "ALL")
                    ids = data[0].split()
                    if ids:
                        n = rnd.choice(ids)
                        m.fetch(n, "(BODY[])"); m.store(n, "+FLAGS", "\\Flagged"); counts["flagged"] += 1
                        if rnd.random() < 0.2:
                            typ, d = m.fetch(n, "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
                            mm = re.search(rb"<([^>]+)>", d[0][1])
                            if mm:
                                with lock:
                                    maybe_expunged.add(mm.group(1).decode())
                                m.store(n, "+FLAGS", "\\Deleted"); m.expunge(); counts["expunged"] += 1
                    m.logout()
                counts["imap"] += 1
            elif kind == "pop3":
                p = poplib.POP3("127.0.0.1", ports["pop3"], timeout=30)
                p.stls(context=TLS); p.user(rnd.choice(USERS)); p.pass_("secret")
                n, _ = p.stat()
                for i in range(1, min(n, 5) + 1):
                    p.retr(rnd.randint(1, n)); counts["retr"] += 1
                p.quit(); counts["pop3"] += 1
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as e:
            with lock:
                counts["refused"] += 1  # not acknowledged: the client keeps it (a 4xx during a restart is fine)
        except (OSError, EOFError, imaplib.IMAP4.error, poplib.error_proto, smtplib.SMTPException):
            with lock:
                counts["conn_errors"] += 1
            time.sleep(0.2)  # the server is being restarted: try again shortly


def main():
    start_server(); time.sleep(5); sample(state["gen"])
    threads = [threading.Thread(target=worker, args=(k,), daemon=True)
               for k in ["smtp"] * 3 + ["relay"] * 2 + ["imap"] * 2 + ["pop3"]]
    for t in threads:
        t.start()
    t0 = time.time(); kills = 0
    while time.time() - t0 < DURATION:
        time.sleep(min(rnd.uniform(KILL_MIN, KILL_MAX), max(0.0, DURATION - (time.time() - t0))))
        if time.time() - t0 >= DURATION:
            break
        up.clear(); state["proc"].send_signal(signal.SIGKILL); state["proc"].wait(); kills += 1
        start_server(); time.sleep(5); sample(state["gen"])
        print(f"{int(time.time() - t0):5d} s  kill -9 #{kills}, restarted; heap after GC {samples[-1][1]:.1f} MiB, "
              f"fds {samples[-1][2]}, threads {samples[-1][3]}; so far {dict(counts)}", flush=True)
    stop.set()
    for t in threads:
        t.join(60)
    time.sleep(2); sample(state["gen"])
    # the relay queue drains into smtp-sink
    deadline = time.time() + 180
    def relayed():
        seen = {}
        for f in glob.glob(f"{SINK_DIR}/*"):
            for mid in re.findall(r"Message-ID: <([^>]+)>", open(f, errors="replace").read()):
                seen[mid] = seen.get(mid, 0) + 1
        return seen
    seen = relayed()
    while time.time() < deadline and not all(m in seen for m in acked_relay):
        time.sleep(1); seen = relayed()
    # every acknowledged local message is in its mailbox (unless the IMAP client deleted it)
    present = {}
    ports = state["ports"]
    for u in USERS:
        with imaplib.IMAP4("127.0.0.1", ports["imap"], timeout=60) as m:
            m.starttls(ssl_context=TLS); m.login(u, "secret"); m.select("INBOX", readonly=True)
            typ, data = m.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
            for part in data:
                if isinstance(part, tuple):
                    for mid in re.findall(rb"<([^>]+)>", part[1]):
                        present[mid.decode()] = present.get(mid.decode(), 0) + 1
    lost_local = [m for m in acked_local if m not in present and m not in maybe_expunged]
    dup_local = [m for m, n in present.items() if n > 1]
    lost_relay = [m for m in acked_relay if m not in seen]
    dup_relay = [m for m in acked_relay if seen.get(m, 0) > 1]
    errors = []
    for f in sorted(glob.glob(f"{WORK}/server-*.err")) + sorted(glob.glob(f"{WORK}/server-*.out")):
        for line in open(f, errors="replace"):
            if re.search(r"\b(ERROR|Exception)\b", line) and not line.startswith("\tat "):
                errors.append(f"{os.path.basename(f)}: {line.strip()[:200]}")
    state["proc"].terminate(); state["proc"].wait(30)
    print(f"\nsoak: {DURATION} s, {kills} kill -9 and restarts, heap -Xmx{HEAP}, seed {E.get('SOAK_SEED', '1')}")
    print(f"load: {dict(counts)}")
    print(f"local: {len(acked_local)} acknowledged, {len(lost_local)} lost, {len(dup_local)} duplicated, "
          f"{len(maybe_expunged)} deleted by the IMAP client")
    print(f"relay: {len(acked_relay)} acknowledged, {len(lost_relay)} lost, {len(dup_relay)} delivered twice "
          f"(a kill between the smart host's 250 and the queue's record: at-least-once, as every MTA)")
    print("after each start (generation, heap MiB after GC, fds, threads): "
          + ", ".join(f"({g}, {h:.1f}, {f}, {t})" for g, h, f, t in samples))
    print(f"server log lines with ERROR or an exception: {len(errors)}")
    for e in errors[:15]:
        print("  " + e)
    ok = not lost_local and not lost_relay and not errors and counts["smtp"] > 0 and counts["relay"] > 0
    print("result ok" if ok else "result FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

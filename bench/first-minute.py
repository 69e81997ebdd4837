#!/usr/bin/env python3
"""The first minute: how long a fresh JVM takes to serve its first message, with and without class-data sharing.

bench/first-minute.py [runs]

Two cases, each on JDK 17 and JDK 25, plain against CDS (JDK 17: a dynamic AppCDS archive from a training run with
-XX:ArchiveClassesAtExit) and against the AOT cache (JDK 25: -XX:AOTCacheOutput from a training run, JEP 514/515),
alternating run by run in one session:
  server  the runnable server (mailkit-server.jar): from `java -jar` to the first message accepted over SMTP and
          read back over IMAP (Python's smtplib and imaplib as the clients), then stopped
  test    mailkit-test's throwaway SMTP+IMAP+POP3 server in a fresh JVM: first start, one message sent with Jakarta
          Mail and read back over IMAP, stop (bench/test-suite's StartupBench)
Prints every run and the medians. Needs: JDK 17 and 25 under /usr/lib/jvm, maven, python3.
"""
import os, re, signal, smtplib, imaplib, statistics, subprocess, sys, tempfile, time, shutil

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
jdks = {"17": "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "25": "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"}
jar = os.path.join(root, "mailkit-examples/target/mailkit-server.jar")
suite = os.path.join(root, "bench/test-suite/target")
if not os.path.exists(jar):
    subprocess.run(["mvn", "-q", "-B", "package", "-DskipTests", "-Dmaven.javadoc.skip=true"], cwd=root, check=True)
if not os.path.exists(os.path.join(suite, "suite-cp.txt")):
    subprocess.run(["mvn", "-q", "-B", "-Pbench", "package", "dependency:build-classpath", "-DskipTests",
                    "-Dmaven.javadoc.skip=true", "-pl", "bench/test-suite", "-am",
                    "-Dmdep.outputFile=target/suite-cp.txt", "-Dmdep.includeScope=runtime"], cwd=root, check=True)
suite_jar = [f for f in os.listdir(suite) if f.endswith(".jar") and "sources" not in f][0]
# CDS takes jars only, no class directories
suite_cp = os.path.join(suite, suite_jar) + ":" + open(os.path.join(suite, "suite-cp.txt")).read().strip()
work = tempfile.mkdtemp(prefix="mailkit-first-minute.")

def archive_flags(jdk, path, training):
    if jdk == "17":
        return ["-XX:ArchiveClassesAtExit=" + path] if training else ["-XX:SharedArchiveFile=" + path]
    return ["-XX:AOTCacheOutput=" + path] if training else ["-XX:AOTCache=" + path]

def server_once(java, flags):
    data = tempfile.mkdtemp(dir=work)
    t0 = time.monotonic()
    p = subprocess.Popen([java] + flags + ["-jar", jar, "--smtp-port", "0", "--submission-port", "0",
                          "--smtps-port", "0", "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0",
                          "--pop3s-port", "0", "--http-port", "0", "--domain", "local.test",
                          "--user", "a@local.test:secret", "--data", data],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ports = {}
    for line in p.stdout:
        m = re.match(r"\s+(SMTP \(MX\)|IMAP)\s+127\.0\.0\.1:(\d+)", line)
        if m:
            ports[m.group(1)] = int(m.group(2))
        if len(ports) == 2:
            break
    ready = time.monotonic() - t0
    s = smtplib.SMTP("127.0.0.1", ports["SMTP (MX)"], timeout=30)
    s.sendmail("x@remote.test", ["a@local.test"], "Subject: first\r\n\r\nhello\r\n")
    s.quit()
    i = imaplib.IMAP4("127.0.0.1", ports["IMAP"], timeout=30)
    i.starttls()
    i.login("a@local.test", "secret")
    i.select("INBOX")
    typ, data_ = i.fetch("1", "(BODY[])")
    assert b"hello" in data_[0][1], data_
    i.logout()
    first = time.monotonic() - t0
    p.send_signal(signal.SIGTERM)
    p.wait(60)
    shutil.rmtree(data, ignore_errors=True)
    return ready * 1000, first * 1000

def test_once(java, flags):
    out = subprocess.run([java] + flags + ["-cp", suite_cp, "dev.mailkit.bench.suite.StartupBench",
                          "first-roundtrip", "mailkit"], capture_output=True, text=True, check=True).stdout
    line = [l for l in out.splitlines() if l.startswith("mailkit first start")][0]
    return float(line.split()[-2])

print("load average before: " + open("/proc/loadavg").read().split()[0])
results = {}
for jdk, java in jdks.items():
    srv_archive = os.path.join(work, "server-" + jdk + (".jsa" if jdk == "17" else ".aot"))
    tst_archive = os.path.join(work, "test-" + jdk + (".jsa" if jdk == "17" else ".aot"))
    server_once(java, archive_flags(jdk, srv_archive, True))          # training runs write the archives
    test_once(java, archive_flags(jdk, tst_archive, True))
    for r in range(runs):
        for mode in ("plain", "cds"):
            sf = [] if mode == "plain" else archive_flags(jdk, srv_archive, False)
            tf = [] if mode == "plain" else archive_flags(jdk, tst_archive, False)
            ready, first = server_once(java, sf)
            t = test_once(java, tf)
            for k, v in (("server ready", ready), ("server first message", first), ("test first message", t)):
                results.setdefault((jdk, mode, k), []).append(v)
            print("JDK %s %-5s server ready %6.0f ms, first message %6.0f ms; test server first message %6.0f ms"
                  % (jdk, mode, ready, first, t), flush=True)
print()
name = {"plain": "plain", "cds": "AppCDS (17) / AOT cache (25)"}
for jdk in jdks:
    for k in ("server ready", "server first message", "test first message"):
        a = statistics.median(results[(jdk, "plain", k)])
        b = statistics.median(results[(jdk, "cds", k)])
        print("JDK %s %-22s median plain %6.0f ms, with %s %6.0f ms: %.2fx" % (jdk, k, a, name["cds"], b, a / b))
print("load average after: " + open("/proc/loadavg").read().split()[0])
shutil.rmtree(work, ignore_errors=True)

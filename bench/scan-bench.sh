#!/usr/bin/env bash
# bench/scan-bench.sh [messages] [rounds]
#
# Content scanning, side by side in one run, with the same Rspamd and the same load generator (Postfix's smtp-source
# via ../shared/bench/smtp-load.sh: 10 sessions, 10 KiB messages, one connection per message), every message
# delivered durably into a Maildir:
#   - Postfix with Rspamd's proxy worker as its milter (smtpd_milters; ../shared/bench/postfix-anchor.sh);
#   - mailkit with Rspamd over HTTP (RspamdClient, /checkv2: how mailkit is meant to talk to Rspamd);
#   - mailkit with the same Rspamd proxy as a milter (MilterClient: the path Postfix takes);
# (ScanBenchServer: SmtpServer + ScanFilter + DeliveryAgent + MaildirMailStore with fsync, as the runnable server).
# The scanner's own cost is reported beside: Rspamd's CPU time per message in each run (all its processes, from
# /proc), and Rspamd alone: the same message posted to /checkv2 by 10 concurrent clients, no MTA at all.
# Rspamd runs with a minimal local configuration (no network, the network modules off), as in mailkit-scan's tests.
# Each round runs Postfix, then mailkit over HTTP, then mailkit over the milter, MESSAGES messages each (default
# 5000), ROUNDS rounds (default 3), after a warm-up of mailkit. Prints the medians and the ratios.
# Needs: root (postfix-anchor.sh rewrites /etc/postfix/main.cf and starts Postfix on 127.0.0.1:2525), postfix, rspamd,
# python3, maven, a JDK. Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(dirname "$here")
shared=${SHARED:-}; for c in "$root/../shared/bench" "$root/../../shared/bench"; do [ -z "$shared" ] && [ -d "$c" ] && shared=$c; done
m=${1:-5000}; rounds=${2:-3}
PATH=$PATH:/usr/sbin
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=$root/mailkit-examples/target/mailkit-server.jar
[ -f "$jar" ] || (cd "$root" && mvn -q -B package -DskipTests -pl mailkit-examples -am)
command -v rspamd >/dev/null || { echo "rspamd is not installed (apt-get install -y rspamd)"; exit 1; }
work=$(mktemp -d); pf=/tmp/postfix-anchor/maildir/local.test/rcpt
rs_pid=; mk_pid=
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$mk_pid" ] && kill "$mk_pid" 2>/dev/null || true
  postconf -e "smtpd_milters =" 2>/dev/null || true
  bash "$shared/postfix-anchor.sh" stop
  [ -n "$rs_pid" ] && kill "$rs_pid" 2>/dev/null && wait "$rs_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- Rspamd with a minimal local configuration -------------------------------------------------------------------
rs=$work/rspamd; mkdir -p "$rs/local.d" "$rs/db"
rs_port=$(free_port); rs_ctl=$(free_port); rs_milter=$(free_port)
for mod in rbl hfilter fuzzy_check neural ratelimit greylist replies url_redirector reputation asn emails phishing \
    dmarc spf dkim arc surbl mx_check dcc elastic clickhouse history_redis metric_exporter metadata_exporter p0f \
    external_services antivirus bimi aws_s3 spamtrap trie rspamd_update whitelist maillist dkim_signing; do
  echo 'enabled = false;' > "$rs/local.d/$mod.conf"
done
printf 'test\ncom\norg\nnet\nexample\n' > "$rs/db/tld.dat"
cat > "$rs/rspamd.conf" <<CONF
lua = "\$RULESDIR/rspamd.lua"
.include "\$CONFDIR/metrics.conf"
.include "\$CONFDIR/actions.conf"
.include "\$CONFDIR/groups.conf"
.include "\$CONFDIR/composites.conf"
classifier "bayes" {
  backend = "sqlite3"; tokenizer { name = "osb"; } min_learns = 1;
  cache { type = "sqlite3"; file = "\$DBDIR/learn_cache.sqlite"; }
  statfile { symbol = "BAYES_HAM"; path = "\$DBDIR/bayes.ham.sqlite"; spam = false; }
  statfile { symbol = "BAYES_SPAM"; path = "\$DBDIR/bayes.spam.sqlite"; spam = true; }
}
.include "\$CONFDIR/modules.conf"
modules { path = "\${PLUGINSDIR}"; }
options {
  pidfile = "\$RUNDIR/rspamd.pid"; filters = "chartable,regexp";
  url_tld = "\$DBDIR/tld.dat"; cache_file = "\$DBDIR/symbols.cache"; hs_cache_dir = "\$DBDIR/";
  control_socket = "\$DBDIR/rspamd.sock mode=0600"; local_addrs = []; tempdir = "\$DBDIR";
  dns { nameserver = ["127.0.0.1:1"]; timeout = 0.2s; retransmits = 1; }
}
logging { type = "file"; filename = "\$LOGDIR/rspamd.log"; level = "warning"; }
worker "normal" { bind_socket = "127.0.0.1:$rs_port"; count = 2; }
worker "controller" { bind_socket = "127.0.0.1:$rs_ctl"; count = 1; password = "bench-only"; }
worker "rspamd_proxy" { bind_socket = "127.0.0.1:$rs_milter"; count = 2; milter = yes; timeout = 30s;
  upstream "local" { default = yes; self_scan = yes; } }
CONF
as_root=(); [ "$(id -u)" = 0 ] && as_root=(-u root -g root)
rspamd -f -i "${as_root[@]}" -c "$rs/rspamd.conf" --var=LOCAL_CONFDIR="$rs" --var=DBDIR="$rs/db" --var=RUNDIR="$rs" \
  --var=LOGDIR="$rs" > "$rs/out.log" 2>&1 &
rs_pid=$!
for i in $(seq 600); do curl -s "http://127.0.0.1:$rs_port/ping" 2>/dev/null | grep -q pong && \
  (echo > "/dev/tcp/127.0.0.1/$rs_milter") 2>/dev/null && break; sleep 0.1; done
# Rspamd's CPU time so far (all its processes), in clock ticks
rs_ticks() { local t=0 p; for p in $rs_pid $(pgrep -P "$rs_pid"); do
  t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
hz=$(getconf CLK_TCK)

# --- mailkit (HTTP and milter listeners) and Postfix with the Rspamd milter ---------------------------------------
mkfifo "$work/in"
"$java" -Xms1g -Xmx1g -cp "$jar" dev.mailkit.examples.bench.ScanBenchServer "$work/data" \
  "http://127.0.0.1:$rs_port" "127.0.0.1:$rs_milter" < "$work/in" > "$work/out" 2>"$work/err" &
mk_pid=$!
exec 3>"$work/in"
for i in $(seq 100); do grep -q '^ready' "$work/out" 2>/dev/null && break; sleep 0.1; done
mk_http=$(awk '/^ready/{print $2}' "$work/out"); mk_milter=$(awk '/^ready/{print $3}' "$work/out")
bash "$shared/postfix-anchor.sh" start >/dev/null
postconf -e "smtpd_milters = inet:127.0.0.1:$rs_milter" "milter_default_action = tempfail" "milter_protocol = 6" \
  "milter_mail_macros = i {mail_addr} {client_addr} {client_name} {auth_authen}"
postfix reload >/dev/null 2>&1; sleep 1
rm -rf "$pf"/new/* "$pf"/cur/* 2>/dev/null || true

mk_count() { echo count >&3; sleep 0.2; awk '/^count/{c=$2} END{print c+0}' "$work/out"; }
pf_count() { bash "$shared/postfix-anchor.sh" count; }
rate() { awk '{print $(NF-1)}' <<<"$1"; }
until_count() { local f=$1 want=$2; while [ "$($f)" -lt "$want" ]; do sleep 0.1; done; }

# --- Rspamd alone: the message smtp-source sends, posted to /checkv2 by 10 clients ---------------------------------
alone() {
  python3 - "$rs_port" "$1" <<'PY'
import http.client, sys, threading, time
port, n = int(sys.argv[1]), int(sys.argv[2])
body = (b"From: <sender@load.test>\r\nTo: <rcpt@local.test>\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n"
        b"Message-Id: <bench@load.test>\r\nSubject: bench\r\n\r\n" + (b"X" * 76 + b"\r\n") * 130)
left = [n]; lock = threading.Lock()
def worker():
    while True:
        with lock:
            if left[0] == 0: return
            left[0] -= 1
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("POST", "/checkv2", body, {"IP": "127.0.0.1", "From": "sender@load.test", "Rcpt": "rcpt@local.test"})
        c.getresponse().read(); c.close()
t0 = time.time(); ts = [threading.Thread(target=worker) for _ in range(10)]
[t.start() for t in ts]; [t.join() for t in ts]
print("%d msgs in %.2f s = %.0f msg/s" % (n, time.time() - t0, n / (time.time() - t0)))
PY
}

load() { bash "$shared/smtp-load.sh" "$@"; }
echo "warm-up: http $(load 127.0.0.1:$mk_http 10 3000 10240); milter $(load 127.0.0.1:$mk_milter 10 2000 10240)"
echo "load: $(cat /proc/loadavg)   cores: $(nproc)"
printf "%-6s %-22s %9s %9s %14s %18s\n" round target messages msg/s "all stored" "rspamd ms CPU/msg"
declare -A res
run() { # run ROUND NAME PORT COUNTER
  local r=$1 name=$2 port=$3 counter=$4 base t0 c0 out secs
  base=$($counter); c0=$(rs_ticks); t0=$(date +%s.%N)
  out=$(load 127.0.0.1:"$port" 10 "$m" 10240); res[$name,$r]=$(rate "$out")
  until_count "$counter" $((base + m))
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')
  printf "%-6s %-22s %9s %9s %13ss %18s\n" "$r" "$name" "$m" "${res[$name,$r]}" "$secs" \
    "$(awk -v t=$(( $(rs_ticks) - c0 )) -v hz="$hz" -v m="$m" 'BEGIN{printf "%.2f", t * 1000 / hz / m}')"
}
for r in $(seq "$rounds"); do
  run "$r" postfix+rspamd-milter 2525 pf_count
  run "$r" mailkit+rspamd-http "$mk_http" mk_count
  run "$r" mailkit+rspamd-milter "$mk_milter" mk_count
  c0=$(rs_ticks); out=$(alone "$m"); res[alone,$r]=$(rate "$out")
  printf "%-6s %-22s %9s %9s %14s %18s\n" "$r" "rspamd alone (HTTP)" "$m" "${res[alone,$r]}" "-" \
    "$(awk -v t=$(( $(rs_ticks) - c0 )) -v hz="$hz" -v m="$m" 'BEGIN{printf "%.2f", t * 1000 / hz / m}')"
done
echo "load: $(cat /proc/loadavg)"
median() { for r in $(seq "$rounds"); do echo "${res[$1,$r]}"; done | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
p=$(median postfix+rspamd-milter); h=$(median mailkit+rspamd-http); k=$(median mailkit+rspamd-milter); a=$(median alone)
echo "medians (msg/s): postfix+milter $p, mailkit+http $h, mailkit+milter $k, rspamd alone $a"
awk -v p="$p" -v h="$h" -v k="$k" 'BEGIN{printf "mailkit+http / postfix+milter = %.2f   mailkit+milter / postfix+milter = %.2f\n", h/p, k/p}'

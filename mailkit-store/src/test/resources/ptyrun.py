# Runs an interactive terminal program (mutt) on an 80x24 pseudo-terminal with a minimal environment (PATH, HOME,
# TERM=xterm, LANG=C.UTF-8), reading and discarding its screen output, and exits with its exit code (124 if it is
# still running after 60 s). Nothing is ever typed: the program is driven by its own command line (mutt's "push").
# Used by MuttInteropTest.
import fcntl, os, pty, struct, subprocess, sys, select, termios, time

master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "TERM": "xterm", "LANG": "C.UTF-8"}
p = subprocess.Popen(sys.argv[1:], stdin=slave, stdout=slave, stderr=slave, close_fds=True, start_new_session=True,
                     env=env)
os.close(slave)
deadline = time.time() + 60
while p.poll() is None and time.time() < deadline:
    r, _, _ = select.select([master], [], [], 0.1)
    if r:
        try:
            os.read(master, 65536)
        except OSError:
            break  # the terminal closed: the program is exiting
try:
    sys.exit(p.wait(timeout=max(1, deadline - time.time())))
except subprocess.TimeoutExpired:
    p.kill()
    sys.exit(124)

#!/usr/bin/python3
"""kiosktest: a CUPS backend that captures jobs and simulates printer faults."""

import os
import re
import sys
import time

# ServerRoot/bin/backend/kiosktest -> the server's temporary root directory.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

if len(sys.argv) == 1:
    print('direct kiosktest "Unknown" "Kiosk test backend"')
    sys.exit(0)

uri = os.environ.get("DEVICE_URI", "")
queue = re.sub(r"[^A-Za-z0-9_-]", "", uri.split("://", 1)[-1]) or "unknown"
job_id = sys.argv[1]
try:
    with open(os.path.join(ROOT, "control", queue)) as fh:
        words = fh.read().split()
except OSError:
    words = []
opts = dict(w.split("=", 1) if "=" in w else (w, "") for w in words)

if len(sys.argv) > 6:
    with open(sys.argv[6], "rb") as fh:
        data = fh.read()
else:
    data = sys.stdin.buffer.read()


def say(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) or 1


def quoted(values):
    return ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)


# markers=Black_Toner:toner:40:10,Ribbon:ribbon-wax:5:10 -> ATTR: lines, as the usb and snmp
# backends report supply levels (names double-quoted, "_" for a space here).
if "markers" in opts:
    fields = [m.split(":") for m in opts["markers"].split(",")]
    say("ATTR: marker-names=" + quoted(f[0].replace("_", " ") for f in fields))
    say("ATTR: marker-types=" + ",".join(f[1] for f in fields))
    say("ATTR: marker-levels=" + ",".join(f[2] for f in fields))
    say("ATTR: marker-low-levels=" + ",".join(f[3] for f in fields))
    say("ATTR: marker-colors=" + ",".join("none" for f in fields))
delay = float(opts.get("delay", "0"))
say("STATE: -media-empty-error,media-jam-error,door-open-error,offline-report")

if "media-empty" in opts:
    say("STATE: +media-empty-error")
    say("ERROR: Out of paper")
    time.sleep(delay)
    sys.exit(1)
if "door-open" in opts:
    say("STATE: +door-open-error")
    time.sleep(delay)
    sys.exit(1)
if "offline" in opts:
    say("STATE: +offline-report")
    say("INFO: The printer is not responding")
    time.sleep(delay)
    sys.exit(1)
if "fail" in opts:
    time.sleep(delay)
    say("ERROR: printer not responding")
    sys.exit(1)
if "stop" in opts:
    time.sleep(delay)
    sys.exit(4)

out_dir = os.path.join(ROOT, "capture", queue)
os.makedirs(out_dir, exist_ok=True)
limit = int(opts.get("pages-then-fail", "0")) or pages
for page in range(1, min(pages, limit) + 1):
    time.sleep(delay)
    say(f"PAGE: {page} 1")
tmp = os.path.join(out_dir, f".job-{job_id}.tmp")
with open(tmp, "wb") as fh:
    fh.write(data)
os.replace(tmp, os.path.join(out_dir, f"job-{job_id}.pdf"))
if limit < pages:
    say("STATE: +media-jam-error")
    sys.exit(1)
sys.exit(0)

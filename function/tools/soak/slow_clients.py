"""make soak's slow-client figures: with 500 idle kept-alive connections and 50 clients sending
their headers one byte a second, time normal queries. Prints one JSON line.

usage: slow_clients.py PORT SECONDS
"""
import json
import socket
import sys
import threading
import time
import urllib.request

port, seconds = int(sys.argv[1]), float(sys.argv[2])
idle = []
for _ in range(500):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    s.recv(4096)
    idle.append(s)

cut_off = []
stop = threading.Event()


def trickle():
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(60)
    request = b"GET /api/search?q=slow HTTP/1.1\r\nHost: x\r\nUser-Agent: slowloris\r\n" * 8
    for byte in request:
        if stop.is_set():
            break
        try:
            s.send(bytes([byte]))
        except OSError:
            break
        time.sleep(1)
        s.setblocking(False)
        try:
            data = s.recv(200)
            if data:
                cut_off.append(data.split(b" ")[1].decode())
                break
        except BlockingIOError:
            pass
        finally:
            s.setblocking(True)
    s.close()


threads = [threading.Thread(target=trickle, daemon=True) for _ in range(50)]
for t in threads:
    t.start()
time.sleep(2)
latencies, errors = [], 0
end = time.time() + seconds
i = 0
while time.time() < end:
    i += 1
    start = time.perf_counter()
    try:
        url = f"http://127.0.0.1:{port}/api/search?k=10&q=slow+client+probe+{i}"
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            ok = r.status == 200
    except Exception:
        ok = False
    latencies.append((time.perf_counter() - start) * 1000)
    errors += 0 if ok else 1
    time.sleep(0.2)
stop.set()
latencies.sort()
print(json.dumps({
    "idle_connections": len(idle),
    "trickling_clients": len(threads),
    "queries": len(latencies),
    "errors": errors,
    "p50_ms": round(latencies[len(latencies) // 2], 1),
    "max_ms": round(latencies[-1], 1),
    "trickling_cut_off_408": cut_off.count("408"),
}))
for s in idle:
    s.close()

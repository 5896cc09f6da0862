# Something for the heap inspector to watch: `p14p inspect --run examples/churn.py`
# keeps a ring of recent records alive and churns garbage until stopped
# (in the inspector: g collects, s takes a snapshot, q quits and stops it).
ring = []
n = 0
while True:
    ring.append(["item", n, str(n) * 3])
    if len(ring) > 40:
        ring = ring[20:]
    n += 1

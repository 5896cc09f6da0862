# random: MicroPython's functions, checked by their properties (the
# generator differs from CPython's, so no drawn value is printed). A
# value missing from 300 dice rolls has a chance of about 1e-23.
import random
random.seed(42)
a = [random.getrandbits(16) for _ in range(5)]
random.seed(42)
b = [random.getrandbits(16) for _ in range(5)]
print(a == b, all(0 <= x < 65536 for x in a))
seen = set(random.randint(1, 6) for _ in range(300))
print(sorted(seen))
print(all(3 <= random.randrange(3, 30, 3) < 30 for _ in range(100)), set(random.randrange(3, 30, 3) % 3 for _ in range(50)))
print(all(0.0 <= random.random() < 1.0 for _ in range(100)), all(-2 <= random.uniform(-2, 5) <= 5 for _ in range(100)))
print(random.choice("abc") in "abc", random.getrandbits(0), random.getrandbits(70) < 2**70)
for f in (lambda: random.randrange(0), lambda: random.choice([]), lambda: random.randrange(1, 5, 0), lambda: random.getrandbits(-1)):
    try:
        f()
    except (ValueError, IndexError) as e:
        print(type(e).__name__, e)

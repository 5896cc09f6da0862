# Generators, comprehensions and iterator protocol.
def counter(n):
    i = 0
    while i < n:
        yield i
        i += 1

def evens(it):
    for v in it:
        if v % 2 == 0:
            yield v

def run(n):
    total = 0
    for _ in range(12):
        total = (total + sum(evens(counter(n)))) & 0xFFFFFF
        total = (total + len([x for x in range(n) if x % 3 == 0])) & 0xFFFFFF
        total = (total + sum({x % 100: x for x in range(n // 10)}.values())) & 0xFFFFFF
    return total

print("generators", run(3000))

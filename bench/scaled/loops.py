# Tight integer loops: dispatch, local load/store, compare, jump.
def run(n):
    acc = 0
    i = 0
    while i < n:
        acc = (acc + i * 7) & 0xFFFF
        i += 1
    return acc

print("loops", run(600000))

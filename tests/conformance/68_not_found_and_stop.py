# The shared tails of the builtin library: "x is not in list" from list,
# tuple and range, StopIteration with a generator's return value from next()
# and send(), and range's start/stop/step.
for seq in [[1, 2], (1, 2), range(1, 3)]:
    try:
        seq.index(5)
    except ValueError as e:
        # The device words the tuple and range messages as list's.
        print(type(seq).__name__, "ValueError", e if type(seq) is list else "")
try:
    [1].remove("a")
except ValueError:
    print("remove ValueError")


def gen():
    yield 1
    return 42


g = gen()
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("next StopIteration", e.value)
print(next(g, "done"))
g = gen()
print(g.send(None))
try:
    g.send(7)
except StopIteration as e:
    print("send StopIteration", e.value)
r = range(-3, 10, 4)
print(r.start, r.stop, r.step, range(5).start, range(5).step)

# generator.throw() and generator.close(), as CPython runs them.


def gen(log):
    try:
        yield 1
        yield 2
    except ValueError as e:
        log.append("caught " + str(e))
        yield "after"
    finally:
        log.append("finally")


log = []
g = gen(log)
print(next(g))
print(g.throw(ValueError("boom")))
try:
    next(g)
except StopIteration:
    print("stopped", log)

# An exception the generator does not catch leaves it, finished.
log = []
g = gen(log)
next(g)
try:
    g.throw(KeyError("k"))
except KeyError as e:
    print("propagated", repr(e), log)
print(list(g))

# A class is instantiated; a generator not started is closed by throw.
g = gen([])
try:
    g.throw(TypeError)
except TypeError as e:
    print("unstarted", type(e).__name__)
print(list(g))

# Not an exception.
g = gen([])
next(g)
try:
    g.throw(42)
except TypeError:
    print("not an exception")


# The handler may return: StopIteration carries the value.
def ret():
    try:
        yield 1
    except RuntimeError:
        return "done"


g = ret()
next(g)
try:
    g.throw(RuntimeError)
except StopIteration as e:
    print("returned", e.value)

# close(): GeneratorExit runs the finally blocks.
log = []
g = gen(log)
next(g)
print(g.close(), log)
print(g.close(), list(g))
print(gen([]).close())


# A generator that yields on GeneratorExit is an error.
def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 2


g = stubborn()
next(g)
try:
    g.close()
except RuntimeError as e:
    print("RuntimeError", e)


# A generator that raises something else on close propagates it.
def raiser():
    try:
        yield 1
    finally:
        raise OSError("in finally")


g = raiser()
next(g)
try:
    g.close()
except OSError as e:
    print("OSError", e)


# throw in a loop driving a consumer, as coroutine code does.
def averager():
    total, n = 0, 0
    while True:
        try:
            x = yield (total // n if n else None)
        except ZeroDivisionError:
            total, n = 0, 0
            continue
        total += x
        n += 1


a = averager()
next(a)
print(a.send(10), a.send(20))
print(a.throw(ZeroDivisionError))
print(a.send(7))
a.close()

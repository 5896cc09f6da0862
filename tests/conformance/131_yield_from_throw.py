# throw() and close() reach the generator a `yield from` (or `await`)
# delegates to: its handlers and finally blocks run first.
log = []


def inner():
    try:
        yield 1
        yield 2
    except KeyError as e:
        log.append("inner caught " + str(e))
        yield "recovered"
        return "inner done"
    finally:
        log.append("inner finally")


def outer():
    try:
        r = yield from inner()
        log.append("outer got " + str(r))
        yield "after"
    finally:
        log.append("outer finally")


g = outer()
print(next(g))
print(g.throw(KeyError("k")))
print(next(g))
print(next(g, "end"))
g = outer()
next(g)
g.close()
print(log)
log.clear()
g = outer()
next(g)
try:
    g.throw(ValueError("v"))
except ValueError as e:
    print("propagated", e)
print(log)


def deep():
    yield from outer()


log.clear()
g = deep()
next(g)
print(g.throw(KeyError("d")))
g.close()
print(log)

import asyncio


async def sleeper(out):
    try:
        await asyncio.sleep(10)
    finally:
        out.append("sleeper cleaned up")


async def task_body(out):
    try:
        await sleeper(out)
    except asyncio.CancelledError:
        out.append("task cancelled")
        raise


async def main():
    out = []
    t = asyncio.create_task(task_body(out))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        out.append("awaiter saw cancel")
    return out


print(asyncio.run(main()))

# A KeyError's str is the repr of its one argument.
print(str(KeyError("k")), str(KeyError(1, 2)), str(KeyError()), repr(KeyError("k")))
try:
    {}["missing"]
except KeyError as e:
    print(str(e), e.args)

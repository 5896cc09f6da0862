# asyncio: async def, await, and the core API (run, create_task, sleep,
# gather, Event, Lock, wait_for, Task.cancel) as CPython runs them.

import asyncio

async def worker(name, n, log):
    for i in range(n):
        log.append((name, i))
        await asyncio.sleep(0)
    return name * n

async def slow(x):
    await asyncio.sleep(0.02)
    return x + 1

async def main():
    log = []
    t1 = asyncio.create_task(worker("a", 3, log))
    t2 = asyncio.create_task(worker("b", 2, log))
    r = await asyncio.gather(t1, t2, slow(1))
    print(r)
    print(log)
    ev = asyncio.Event()
    async def waiter():
        await ev.wait()
        return "woken"
    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    print(w.done(), ev.is_set())
    ev.set()
    print(await w)
    try:
        await asyncio.wait_for(asyncio.sleep(1), 0.05)
    except asyncio.TimeoutError:
        print("timeout")
    print(await asyncio.wait_for(slow(5), 1))
    lock = asyncio.Lock()
    out = []
    async def crit(n):
        await lock.acquire()
        out.append(n)
        await asyncio.sleep(0)
        out.append(n)
        lock.release()
    await asyncio.gather(crit(1), crit(2))
    print(out)
    t = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("cancelled")
    return "done"

print(asyncio.run(main()))


# An exception in a task reaches whoever awaits it; gather's
# return_exceptions collects it instead.
async def fails(n):
    await asyncio.sleep(0)
    raise ValueError(n)


async def errors():
    try:
        await asyncio.create_task(fails(1))
    except ValueError as e:
        print("caught", e)
    r = await asyncio.gather(fails(2), worker("c", 1, []), return_exceptions=True)
    print([type(x).__name__ for x in r], r[1])
    try:
        await asyncio.gather(fails(3), worker("d", 1, []))
    except ValueError as e:
        print("gather raised", e)


asyncio.run(errors())


# Sleepers wake in deadline order, whatever order they slept in.
async def sleeper(ms, out):
    await asyncio.sleep(ms / 1000)
    out.append(ms)


async def order():
    out = []
    await asyncio.gather(sleeper(30, out), sleeper(10, out), sleeper(20, out))
    print(out)


asyncio.run(order())

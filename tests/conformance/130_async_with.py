# `async with`: __aenter__/__aexit__ awaited, on the normal exit, an
# exception (swallowed or not), a break, and asyncio.Lock.
import asyncio

log = []


class Res:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow

    async def __aenter__(self):
        log.append("enter " + self.name)
        await asyncio.sleep(0)
        return self.name.upper()

    async def __aexit__(self, t, e, tb):
        log.append("exit " + self.name + " " + (t.__name__ if t else "ok"))
        await asyncio.sleep(0)
        return self.swallow


async def work(n):
    async with Res("a") as a, Res("b") as b:
        log.append(a + b + str(n))
    async with Res("c", swallow=True):
        raise ValueError("swallowed")
    try:
        async with Res("d"):
            raise KeyError("k")
    except KeyError:
        log.append("caught k")
    for i in range(3):
        async with Res("loop"):
            if i == 1:
                break
    return n * 2


async def locked(lock, tag, out):
    async with lock:
        out.append(tag + " in")
        await asyncio.sleep(0)
        out.append(tag + " out")


async def main():
    r = await work(5)
    out = []
    lock = asyncio.Lock()
    await asyncio.gather(locked(lock, "x", out), locked(lock, "y", out))
    return r, out


print(asyncio.run(main()))
for line in log:
    print(line)

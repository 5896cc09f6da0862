# `async for`: __aiter__/__anext__ awaited each step, StopAsyncIteration
# ends the loop (else runs), break/continue, an exception from __anext__
# or from the body, nesting, and a loop inside asyncio tasks.
import asyncio

log = []


class Ticker:
    def __init__(self, n, fail_at=None):
        self.n = n
        self.i = 0
        self.fail_at = fail_at

    def __aiter__(self):
        log.append("aiter")
        return self

    async def __anext__(self):
        await asyncio.sleep(0)
        if self.i == self.fail_at:
            raise ValueError("tick " + str(self.i))
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        return self.i


class Pairs:
    # __aiter__ returns another object.
    def __init__(self, items):
        self.items = items

    def __aiter__(self):
        return PairsIter(self.items)


class PairsIter:
    def __init__(self, items):
        self.items = list(items)

    async def __anext__(self):
        if not self.items:
            raise StopAsyncIteration
        return self.items.pop(0)


async def plain():
    total = 0
    async for x in Ticker(4):
        total += x
    else:
        log.append("else " + str(total))
    return total


async def control():
    seen = []
    async for x in Ticker(10):
        if x % 2:
            continue
        if x > 6:
            break
        seen.append(x)
    else:
        seen.append("no else after break")
    return seen


async def failing():
    got = []
    try:
        async for x in Ticker(5, fail_at=2):
            got.append(x)
    except ValueError as e:
        got.append("error: " + str(e))
    try:
        async for x in Ticker(5):
            if x == 3:
                raise KeyError(x)
    except KeyError as e:
        got.append("body raised " + repr(e))
    try:
        async for x in Ticker(2):
            raise StopAsyncIteration
    except StopAsyncIteration:
        got.append("body's StopAsyncIteration propagates")
    return got


async def nested():
    out = []
    async for k, v in Pairs([("a", 1), ("b", 2)]):
        async for t in Ticker(v):
            out.append(k + str(t))
    return out


async def early_return():
    async for x in Ticker(5):
        if x == 2:
            return "returned at " + str(x)
    return "never"


async def worker(name, n, results):
    async for x in Ticker(n):
        results.append(name + str(x))
        await asyncio.sleep(0)


async def main():
    print(await plain())
    print(await control())
    print(await failing())
    print(await nested())
    print(await early_return())
    results = []
    await asyncio.gather(worker("p", 3, results), worker("q", 2, results))
    print(sorted(results))
    print(issubclass(StopAsyncIteration, Exception), StopAsyncIteration.__name__)
    print(log)


asyncio.run(main())

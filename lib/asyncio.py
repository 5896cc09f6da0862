# asyncio: MicroPython's core API (run, create_task, sleep, sleep_ms,
# gather, Event, Lock, wait_for, wait_for_ms, current_task, Task.cancel),
# cooperative on one thread. Carried by the host and stored on first import
# (host/src/library.rs).
#
# A coroutine is a generator on the device (`async def` compiles to one and
# `await x` to `yield from x`), so a task is a generator this module drives
# with send() and throw(). What a task yields down to the scheduler says
# what it waits for:
#   None        run again after the tasks already ready (`sleep(0)`);
#   an int      a ticks_ms deadline (`sleep_ms`);
#   _PARK       nothing: whoever it waits on (a Task, an Event, a Lock)
#               puts it back in the ready queue.
# Ready tasks run first in, first out, as CPython's; sleepers wake in
# deadline order.
from time import sleep_ms as _block_ms
from time import ticks_add, ticks_diff, ticks_ms

_PARK = "park"


class CancelledError(BaseException):
    pass


class TimeoutError(Exception):
    pass


_ready = []
_sleeping = []
_current = None


def _wake(task):
    _ready.append(task)


class Task:
    def __init__(self, coro):
        self.coro = coro
        self._done = False
        self._result = None
        self._exc = None
        self._waiters = []
        self._throw = None
        _ready.append(self)

    def done(self):
        return self._done

    def cancel(self):
        if self._done:
            return False
        # Delivered where the task waits, as soon as it runs again.
        self._throw = CancelledError()
        if self in _sleeping:
            _sleeping.remove(self)
        if self not in _ready:
            _ready.append(self)
        return True

    def result(self):
        if self._exc is not None:
            raise self._exc
        return self._result

    def _join(self):
        # Parks the current task until this one is done.
        while not self._done:
            self._waiters.append(_current)
            yield _PARK

    def __iter__(self):
        yield from self._join()
        return self.result()

    __await__ = __iter__

    def _finish(self, result, exc):
        self._done = True
        self._result = result
        self._exc = exc
        for t in self._waiters:
            _wake(t)
        self._waiters = []


def _step(task):
    global _current
    if task._done:
        # Woken twice (cancelled while it waited on something that has
        # since woken it too): nothing more to run.
        return
    _current = task
    exc = task._throw
    task._throw = None
    try:
        if exc is None:
            req = task.coro.send(None)
        else:
            req = task.coro.throw(exc)
    except StopIteration as e:
        task._finish(e.value, None)
    except BaseException as e:
        task._finish(None, e)
    else:
        if req is None:
            _ready.append(task)
        elif req is not _PARK:
            task._deadline = req
            # Sorted by deadline; equal deadlines keep their order.
            i = len(_sleeping)
            while i > 0 and ticks_diff(_sleeping[i - 1]._deadline, req) > 0:
                i -= 1
            _sleeping.insert(i, task)
    _current = None


def create_task(coro):
    return Task(coro)


def current_task():
    return _current


def run(main):
    task = main if isinstance(main, Task) else Task(main)
    try:
        _loop(task)
    finally:
        # Tasks still pending are dropped with this run, as CPython's
        # asyncio.run leaves none for the next.
        _ready.clear()
        _sleeping.clear()
    return task.result()


def _loop(task):
    while not task._done:
        now = ticks_ms()
        while _sleeping and ticks_diff(_sleeping[0]._deadline, now) <= 0:
            _ready.append(_sleeping.pop(0))
        if _ready:
            _step(_ready.pop(0))
        elif _sleeping:
            _block_ms(ticks_diff(_sleeping[0]._deadline, now))
        else:
            raise RuntimeError("deadlock: every task waits")


def sleep_ms(ms):
    yield ticks_add(ticks_ms(), ms) if ms > 0 else None


def sleep(seconds):
    return sleep_ms(int(seconds * 1000))


def gather(*aws, return_exceptions=False):
    tasks = [a if isinstance(a, Task) else Task(a) for a in aws]
    results = []
    for t in tasks:
        yield from t._join()
        if t._exc is not None and not return_exceptions:
            raise t._exc
        results.append(t._exc if t._exc is not None else t._result)
    return results


def wait_for_ms(aw, timeout):
    task = aw if isinstance(aw, Task) else Task(aw)
    if timeout is None:
        return (yield from task)
    timer = Task(_alarm(task, timeout))
    yield from task._join()
    timer.cancel()
    if isinstance(task._exc, CancelledError) and timer._result:
        raise TimeoutError()
    return task.result()


def wait_for(aw, timeout):
    return wait_for_ms(aw, None if timeout is None else int(timeout * 1000))


def _alarm(task, ms):
    yield from sleep_ms(ms)
    task.cancel()
    return True


class Event:
    def __init__(self):
        self._set = False
        self._waiters = []

    def is_set(self):
        return self._set

    def set(self):
        self._set = True
        for t in self._waiters:
            _wake(t)
        self._waiters = []

    def clear(self):
        self._set = False

    def wait(self):
        while not self._set:
            self._waiters.append(_current)
            yield _PARK
        return True


class Lock:
    def __init__(self):
        self._locked = False
        self._waiters = []

    def locked(self):
        return self._locked

    def acquire(self):
        while self._locked:
            self._waiters.append(_current)
            yield _PARK
        self._locked = True
        return True

    def release(self):
        if not self._locked:
            raise RuntimeError("Lock not acquired")
        self._locked = False
        if self._waiters:
            _wake(self._waiters.pop(0))

    # `async with lock:`
    def __aenter__(self):
        return self.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        self.release()

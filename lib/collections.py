# collections: MicroPython's namedtuple, deque and OrderedDict, and
# CPython's defaultdict, carried by the host and stored on first import
# (host/src/library.rs). A namedtuple is a tuple and a defaultdict a dict:
# subclasses of the builtin types, as CPython's.

# Dicts keep insertion order (as MicroPython's OrderedDict guarantees).
OrderedDict = dict


class _T(tuple):
    # What every namedtuple class shares: namedtuple's class adds only its
    # name and _fields, so each costs little heap.
    def __new__(cls, *a, **k):
        f = cls._fields
        a += tuple(k.pop(n) for n in f[len(a):] if n in k)
        if k or len(a) != len(f):
            raise TypeError(cls.__name__ + "() takes " + str(len(f)) + " arguments")
        return tuple.__new__(cls, a)

    def __getattr__(self, n):
        f = self._fields
        if n in f:
            return self[f.index(n)]
        raise AttributeError("'" + type(self).__name__ + "' object has no attribute '" + n + "'")

    def __repr__(self):
        return type(self).__name__ + "(" + ", ".join(
            f + "=" + repr(v) for f, v in zip(self._fields, self)) + ")"

    def _asdict(self):
        return dict(zip(self._fields, self))

    def _replace(self, **k):
        return type(self)(*(k.pop(f, v) for f, v in zip(self._fields, self)))


def namedtuple(name, fields):
    if type(fields) is str:
        fields = fields.replace(",", " ").split()

    class T(_T):
        _fields = tuple(fields)

    T.__name__ = name
    return T


class deque:
    # A list: popleft moves the rest, cheap for a device's short queues.
    # flags & 1 (MicroPython's) makes appending to a full deque raise.
    def __init__(self, iterable=(), maxlen=None, flags=0):
        self._l = []
        self.maxlen = maxlen
        self._f = flags
        self.extend(iterable)

    # appendleft and popleft reuse append and pop: a function costs ~60
    # bytes of heap from the import on, a helper as much as a method.
    def append(self, x, left=False):
        l = self._l
        m = self.maxlen
        if m is not None and len(l) >= m:
            if self._f & 1:
                raise IndexError("full")
            if not m:
                return
            l.pop(-1 if left else 0)
        l.insert(0 if left else len(l), x)

    def appendleft(self, x):
        self.append(x, True)

    def pop(self, i=-1):
        if not self._l:
            raise IndexError("pop from an empty deque")
        return self._l.pop(i)

    def popleft(self):
        return self.pop(0)

    def extend(self, it):
        for x in it:
            self.append(x)

    def __len__(self):
        return len(self._l)

    def __iter__(self):
        return iter(self._l)

    def __getitem__(self, i):
        return self._l[i]

    def __repr__(self):
        m = self.maxlen
        return "deque(" + repr(self._l) + ("" if m is None else ", maxlen=" + str(m)) + ")"


class defaultdict(dict):
    # A missing key is made by default_factory() (CPython's __missing__).
    def __init__(self, default_factory=None, *a, **k):
        dict.__init__(self, *a, **k)
        self.default_factory = default_factory

    def __getitem__(self, k):
        if k not in self:
            if self.default_factory is None:
                raise KeyError(k)
            self[k] = self.default_factory()
        return dict.__getitem__(self, k)

    def __repr__(self):
        return "defaultdict(" + repr(self.default_factory) + ", " + repr(dict(self)) + ")"

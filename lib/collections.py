# collections: MicroPython's namedtuple, deque and OrderedDict, and
# CPython's defaultdict, carried by the host and stored on first import
# (host/src/library.rs). The VM cannot subclass a builtin type, so a namedtuple is a
# class over a tuple and a defaultdict one over a dict: they index, iterate,
# unpack and compare equal as the real ones, but isinstance(p, tuple) and
# isinstance(d, dict) are False and hash() is by identity.

# Dicts keep insertion order (as MicroPython's OrderedDict guarantees).
OrderedDict = dict


class _T:
    # What every namedtuple class shares: namedtuple's class adds only its
    # name and _fields, so each costs little heap.
    def __init__(self, *a, **k):
        f = self._fields
        a += tuple(k.pop(n) for n in f[len(a):] if n in k)
        if k or len(a) != len(f):
            raise TypeError(type(self).__name__ + "() takes " + str(len(f)) + " arguments")
        self._t = a

    def __getattr__(self, n):
        f = self._fields
        if n in f:
            return self._t[f.index(n)]
        raise AttributeError("'" + type(self).__name__ + "' object has no attribute '" + n + "'")

    def __getitem__(self, i):
        return self._t[i]

    def __len__(self):
        return len(self._t)

    def __iter__(self):
        return iter(self._t)

    def __eq__(self, o):
        # A tuple's == with a namedtuple falls back to this, so both orders
        # work.
        return self._t == o

    def __repr__(self):
        return type(self).__name__ + "(" + ", ".join(
            f + "=" + repr(v) for f, v in zip(self._fields, self._t)) + ")"

    def _asdict(self):
        return dict(zip(self._fields, self._t))


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


class defaultdict:
    # A missing key is made by default_factory() (CPython's __missing__);
    # every other dict method is the inner dict's.
    def __init__(self, default_factory=None, *a, **k):
        self.default_factory = default_factory
        self._d = dict(*a, **k)

    def __getitem__(self, k):
        d = self._d
        if k not in d:
            if self.default_factory is None:
                raise KeyError(k)
            d[k] = self.default_factory()
        return d[k]

    def __setitem__(self, k, v):
        self._d[k] = v

    def __delitem__(self, k):
        del self._d[k]

    def __contains__(self, k):
        return k in self._d

    def __len__(self):
        return len(self._d)

    def __iter__(self):
        return iter(self._d)

    def __eq__(self, o):
        return self._d == o

    def __repr__(self):
        return "defaultdict(" + repr(self.default_factory) + ", " + repr(self._d) + ")"

    def __getattr__(self, n):
        return getattr(self._d, n)

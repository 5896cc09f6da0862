# collections' namedtuple and defaultdict are subclasses of tuple and dict, as
# CPython's; a subclass's own __getitem__/__setitem__/__len__ may call the
# builtin's (dict.__getitem__(self, k)) without calling itself again.
from collections import namedtuple, defaultdict
P = namedtuple('P', 'x y')
p = P(1, 2)
print(p, p.x, p[1], isinstance(p, tuple), p._replace(x=5), P._fields, p._asdict())
print(p == (1, 2), (1, 2) == p, len(p), list(p), hash(p) == hash((1, 2)), P(y=3, x=4))
a, b = p
print(a, b, p + (3,), p[:1], sorted([P(2, 1), P(1, 5)]))
d = defaultdict(list)
d['a'].append(1)
d['b'] += [2]
print(d['a'], isinstance(d, dict), len(d), dict(d), d, 'a' in d, list(d.items()))
c = defaultdict(int, {'x': 1})
c['y'] += 1
print(sorted(c.items()), c.get('z'), 'z' in c, c.default_factory)
e = defaultdict()
try:
    e[1]
except KeyError as ex:
    print('KeyError', ex)
class D(dict):
    def __getitem__(self, k):
        return dict.__getitem__(self, k) * 2
    def __setitem__(self, k, v):
        dict.__setitem__(self, k, v + 1)
x = D(a=1)
x['b'] = 5
print(x['a'], x['b'], len(x), 'b' in x, dict.__contains__(x, 'a'), list(dict.__iter__(x)))
class L(list):
    def __len__(self):
        return list.__len__(self) + 100
print(len(L([1, 2])))

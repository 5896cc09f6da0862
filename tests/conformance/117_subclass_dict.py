# A class deriving from dict: `__missing__` answers d[k] for a missing key,
# the attribute-dict pattern, overrides of the item methods with super().


class Counter(dict):
    def __missing__(self, k):
        return 0


c = Counter()
for w in "a b a c a b".split():
    c[w] += 1
print(sorted(c.items()), len(c), c["zz"], "zz" in c, c.get("zz"), c.get("a"))


class DefaultList(dict):
    def __init__(self, factory):
        super().__init__()
        self.factory = factory

    def __missing__(self, k):
        v = self[k] = self.factory()
        return v


d = DefaultList(list)
d["a"].append(1)
d["a"].append(2)
d["b"].append(3)
print(d, len(d), list(d), sorted(d.keys()), d.pop("b"), d)


class AttrDict(dict):
    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError:
            raise AttributeError(k)


ad = AttrDict(x=1, y=2)
ad["z"] = 3
print(ad.x, ad.y, ad.z, ad["x"], sorted(ad), ad == {"x": 1, "y": 2, "z": 3})
try:
    ad.w
except AttributeError as e:
    print("AttributeError", e)

# A dict subclass overriding the item methods (reaching the base's through
# super()), and one without methods of its own.

class Doubling(dict):
    def __setitem__(self, k, v):
        super().__setitem__(k, v * 2)

    def __getitem__(self, k):
        return super().__getitem__(k) + 1


dd = Doubling()
dd["a"] = 1
print(dd["a"], dd, dd.get("a"), isinstance(dd, dict), type(dd).__name__)
try:
    dd["q"]
except KeyError as e:
    print("KeyError", e)


class Plain(dict):
    pass


p = Plain({"a": 1}, b=2)
try:
    p["c"]
except KeyError as e:
    print("KeyError", e)
del p["a"]
p.update(q=5)
print(p, dict(p), Plain([(1, 2)]), Plain() == {}, bool(Plain()), len(p))
print(sorted(p.items()), sorted(p.values()), p.setdefault("r", 0), p)
for k in Plain(one=1):
    print("key", k)
print({**Plain(a=1)}, dict(Plain(a=1), b=2))

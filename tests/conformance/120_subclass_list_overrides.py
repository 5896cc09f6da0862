# A list subclass's own methods win over the base's (operators, `len`,
# `repr`, item access), and reach the native ones through super().

class Log(list):
    def __init__(self, items=(), tag="L"):
        super().__init__(items)
        self.tag = tag

    def append(self, x):
        print("append", x)
        super().append(x * 10)

    def __getitem__(self, i):
        return ("got", super().__getitem__(i))

    def __setitem__(self, i, v):
        super().__setitem__(i, v + 1)

    def __repr__(self):
        return self.tag + super().__repr__()

    def __eq__(self, other):
        return "eq"

    def __len__(self):
        return 42


g = Log([1, 2], tag="T")
g.append(3)
print(g, g[0], len(g), g == [1], g.tag, str(g))
g[0] = 5
print(list(g), g.pop(), list(g), [x for x in g])


class Bare(list):
    def __init__(self, n):
        self.n = n


b = Bare(3)
print(b, len(b), b.n)
b.extend(range(b.n))
print(b)


class Counted(list):
    def __iter__(self):
        for x in super().__iter__():
            yield x + 100


print(list(Counted([1, 2])), 1 in Counted([1]), Counted([1, 2]))


class Bag(set):
    pass


bag = Bag([1, 2, 2])
bag.add(3)
print(sorted(bag), len(bag), 2 in bag, bag | {9} == {1, 2, 3, 9}, isinstance(bag, set))

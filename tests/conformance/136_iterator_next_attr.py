# Iterators' __next__ and __iter__ as attributes (issue 17): list, str,
# dict, range iterators, enumerate, zip, map, filter, reversed and
# generators; next() of a user class with __next__ unchanged.

it = iter([1, 2])
print(it.__next__(), it.__next__())
try:
    it.__next__()
except StopIteration:
    print("stop")
print(iter(it) is it, it.__iter__() is it)

e = enumerate("ab", 1)
print(e.__next__(), next(e))
print(e.__iter__() is e)

z = zip([1, 2], "xy")
step = z.__next__
print(step(), step())

m = map(lambda x: x * 10, [3, 4])
print(m.__next__(), list(m))

r = iter(range(5, 8))
print(r.__next__(), r.__next__(), r.__iter__() is r)

d = {"k": 1, "j": 2}
print(iter(d).__next__(), iter(d.values()).__next__(), iter(d.items()).__next__())
print(iter("xyz").__next__(), iter(b"AB").__next__(), iter((7, 8)).__next__())


def gen(n):
    for i in range(n):
        yield i * i


g = gen(3)
print(g.__next__(), g.__next__(), g.__iter__() is g)
print(list(g))
try:
    g.__next__()
except StopIteration:
    print("gen done")

print(reversed([1, 2, 3]).__next__(), filter(None, [0, 5]).__next__())
print(hasattr(iter([]), "__next__"), hasattr([], "__next__"))


class Count:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.n


c = Count(3)
print(next(c), c.__next__(), list(c))


# An iterator delegating to a builtin one by its method.
class Wrap:
    def __init__(self, xs):
        self.step = iter(xs).__next__

    def __iter__(self):
        return self

    def __next__(self):
        return self.step() + 100


print(list(Wrap([1, 2, 3])))
print(sum(Wrap(range(4))))

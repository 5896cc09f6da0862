# Names and special methods programs reach by name: __name__, special
# methods of builtin types called directly, id, globals, vars, __dict__,
# Ellipsis, OSError's errno, and some cold methods.


def main():
    print("main ran as", __name__)


if __name__ == "__main__":
    main()

# Special methods of builtin types, called by name.
l = [3, 1, 2]
print(l.__getitem__(0), l.__len__(), l.__contains__(2), list(l.__iter__()))
l.__setitem__(0, 9)
l.__delitem__(1)
print(l, list.__getitem__(l, 1))
d = {"a": 1}
d.__setitem__("b", 2)
print(d.__getitem__("b"), d.__contains__("a"), d.__len__(), sorted(d.__iter__()))
d.__delitem__("a")
print(d)
print("abc".__contains__("b"), "abc".__getitem__(1), "abc".__len__())
print((1, 2).__contains__(2), (1, 2).__getitem__(-1), (1, 2, 3).__len__())
print({1, 2}.__contains__(3), {1, 2}.__len__())
print(b"xy".__getitem__(0), b"xy".__len__())
print(hasattr([], "__iter__"), hasattr(5, "__iter__"), hasattr("", "__len__"))
print(hasattr({}, "__getitem__"), hasattr(3, "__getitem__"))

# set's in-place methods.
s = {1, 2, 3, 4}
s.difference_update({1}, [2])
print(sorted(s))
s = {1, 2, 3, 4}
s.intersection_update({2, 3, 5}, (3, 2))
print(sorted(s))
s = {1, 2, 3}
s.symmetric_difference_update([3, 4, 4])
print(sorted(s))
try:
    frozenset({1}).difference_update({1})
except AttributeError:
    print("frozenset is immutable")

# str.rindex; startswith/endswith with a start and an end.
print("abcabc".rindex("b"), "abcabc".rindex("b", 0, 3), b"abab".rindex(b"a"))
try:
    "abc".rindex("z")
except ValueError as e:
    print("ValueError", e)
print("hello".startswith("ll", 2), "hello".startswith("he", 1), "hello".endswith("l", 0, 4))
print("hello".startswith(("x", "l"), 2, 3), "hello".startswith("", 5), "hello".startswith("", 6))
print(b"hello".endswith(b"ell", 0, -1), "héllo".startswith("llo", 2))

# ord of one byte; id; Ellipsis.
print(ord(b"A"), ord(bytearray(b"z")))
a, b = [], []
print(id(a) == id(a), id(a) == id(b), type(id(a)).__name__)
print(Ellipsis, ... is Ellipsis)

# globals(), vars() and __dict__.
counter = 7
print(globals()["counter"], "main" in globals())


def look():
    return globals()["counter"]


print(look())


class Point:
    kind = "point"

    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
print(vars(p), p.__dict__ is vars(p))
vars(p)["z"] = 3
print(p.z, sorted(k for k in Point.__dict__ if not k.startswith("__")))
try:
    vars(5)
except TypeError:
    print("no __dict__")

# OSError's errno and strerror.
e = OSError(2, "No such file")
print(e.errno, e.strerror, OSError("plain").errno)
try:
    raise FileNotFoundError(2, "gone")
except OSError as e:
    print(type(e).__name__, e.errno, e.strerror)

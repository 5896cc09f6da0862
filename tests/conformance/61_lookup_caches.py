# The VM's lookup caches (globals, class attributes) must never serve a
# stale answer: every way a global or a class attribute changes is seen.

def f(n):
    return n + 1


def call_f():
    return f(1)


print(call_f())
f = lambda n: n * 10
print(call_f())
del f
try:
    call_f()
except NameError:
    print("NameError")
f = abs
print(call_f())


class A:
    x = 1

    def m(self):
        return "A.m"


class B(A):
    pass


b = B()
print(b.x, b.m())
A.x = 2
print(b.x, B.x)
B.x = 3
print(b.x, A.x)
del B.x
print(b.x)
A.m = lambda self: "new A.m"
print(b.m())
setattr(B, "m", lambda self: "B.m")
print(b.m())
delattr(B, "m")
print(b.m())
b.x = 99
print(b.x, B.x)
del b.x
print(b.x)


class P:
    def __init__(self):
        self.v = 5


p = P()
print(p.v)
P.v = property(lambda self: "prop")
print(p.v)


def many(a, b, c=3, *rest, k=4, **kw):
    return (a, b, c, rest, k, sorted(kw))


def exact(a, b):
    return a - b


for i in range(3):
    print(exact(i, 1), exact(b=i, a=10), many(i, 2), many(1, 2, 3, 4, k=5, z=6))


def gen(n):
    yield n
    yield n + 1


print(list(gen(3)))


def outer(x):
    def inner(y):
        return x + y
    return inner(1)


print(outer(41))


def deep(n):
    return n if n == 0 else deep(n - 1)


print(deep(200))

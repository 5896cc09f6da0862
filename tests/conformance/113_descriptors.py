# Descriptors: __get__ and __set__ on a class attribute, data descriptors
# before the instance dict, non-data ones after it, through the class too.

class Typed:
    def __init__(self, kind):
        self.kind = kind
        self.name = None

    def __get__(self, obj, owner):
        if obj is None:
            return self
        return obj.__dict__.get(self.name, 0)

    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError("bad type")
        obj.__dict__[self.name] = value


class Const:
    def __get__(self, obj, owner):
        return 42 if obj is not None else "class"


class P:
    x = Typed(int)
    c = Const()

    def __init__(self):
        P.x.name = "x"


p = P()
print(p.x)
p.x = 5
print(p.x, p.__dict__)
try:
    p.x = "s"
except TypeError as e:
    print("TypeError", e)
print(p.c, P.c, type(P.x).__name__)
p.c = 7   # non-data: the instance dict wins afterwards
print(p.c)


class Base:
    d = Const()


class Sub(Base):
    pass


print(Sub().d, Sub.d)


class Late:
    pass


Late.t = Typed(str)
Late.t.name = "t"
o = Late()
o.t = "ok"
print(o.t)
try:
    o.t = 1
except TypeError:
    print("late descriptor checked")

# Instance attributes of classes without properties come from the instance
# dict before the class is consulted; a property added to a class after it
# (and its subclasses) were made must still win over the instance dict.
class Base:
    def __init__(self):
        self.v = 1


class Sub(Base):
    pass


b = Base()
s = Sub()
print(b.v, s.v)
for i in range(3):
    s.v = s.v + i
print(s.v)


def get_v(self):
    return "prop"


def set_v(self, x):
    print("setter", x)


Base.v = property(get_v, set_v)
print(b.v, s.v)
s.v = 5
print(s.v)


class Fresh:
    def __init__(self):
        self.w = 2


f = Fresh()
print(f.w)


class WithProp:
    @property
    def p(self):
        return "p"

    def __init__(self):
        self.q = 3


class Derived(WithProp):
    pass


d = Derived()
print(d.p, d.q)
try:
    d.p = 1
except AttributeError:
    print("read-only")


# Many classes and names: lookups that share cache entries stay correct.
classes = []
for k in range(40):
    class C:
        pass
    C.tag = k
    classes.append(C)
print(sum(c().tag for c in classes))
for k, c in enumerate(classes):
    c.tag = k * 2
print(sum(c().tag for c in classes))

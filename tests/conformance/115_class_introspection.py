# Class introspection: __mro__, __bases__, dir() of user objects.


def names(classes):
    return [k.__name__ for k in classes]


class A:
    x = 1

    def f(self):
        pass


class B(A):
    y = 2


class C(B, A):
    pass


class E(ValueError):
    pass


print(names(C.__mro__))
print(names(B.__bases__), names(A.__bases__), names(E.__mro__), names(E.__bases__))
print(names(int.__mro__), names(bool.__bases__), object.__bases__, names(KeyError.__mro__))
c = C()
c.z = 3
print([n for n in dir(c) if not n.startswith("__")])
print([n for n in dir(C) if not n.startswith("__")])
print(isinstance(C, type), type(C).__name__, type(c).__name__)

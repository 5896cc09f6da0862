# Class introspection: __mro__, __bases__, a class's repr naming its module,
# dir() of user objects.

class A:
    x = 1
    def f(self): pass
class B(A):
    y = 2
class C(B, A):
    pass
class E(ValueError):
    pass
print(C.__mro__)
print(B.__bases__, A.__bases__, E.__mro__, E.__bases__)
print(int.__mro__, bool.__bases__, object.__bases__, KeyError.__mro__)
c = C()
c.z = 3
print([n for n in dir(c) if not n.startswith("__")])
print([n for n in dir(C) if not n.startswith("__")])
print(isinstance(C, type), type(C).__name__)
print(type(c), C.__module__, type(c).__name__)
print(repr(E("x")), str(type(E("x"))))

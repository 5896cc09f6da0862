# eval and exec: compiled by the host while the program runs (protocol 13),
# in CPython's namespaces: module globals, given dicts, a function's locals
# (a snapshot), a class body's namespace.
print(eval("1+2"))
x = 10
print(eval("x * 2"))
exec("y = x + 5")
print(y)
print(eval("  [i*i for i in range(4)]"))
g = {"a": 3}
print(eval("a + 1", g))
exec("b = a * 2", g)
print(g["b"])
l = {}
exec("c = 7", g, l)
print(l, "c" in g)
def f(n):
    k = 5
    return eval("n + k")
print(f(1))
try:
    eval("1 +")
except SyntaxError as e:
    print("SyntaxError")
exec("def sq(v):\n    return v * v\n")
print(sq(9))
try:
    eval("undefined_name")
except NameError as e:
    print(e)
class C:
    z = 4
    w = eval("z + 1")
print(C.w)
print(eval("len('abc')"))
for i in range(3):
    exec("t = i")
print(t)
try:
    eval(5)
except TypeError:
    print("TypeError src")
try:
    eval("1", 5)
except TypeError:
    print("TypeError globals")
print(eval("(lambda q: q + 1)(2)"))
exec("import math\nr = math.sqrt(16)")
print(r)
print(eval("'%d-%s' % (3, 'x')"))
def outer():
    total = 0
    for i in range(3):
        total = eval("total + i")
    return total
print(outer())
print(eval("None"))
try:
    exec("raise ValueError('boom')")
except ValueError as e:
    print("caught", e)

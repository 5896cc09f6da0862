# Loads, stores and deletes by name: class bodies, globals, NameError.
x = 1
class C:
    y = x + 1
    x = 5
    z = x * 2
    del y
    def f(self): return x
print(C.x, C.z, C().f(), hasattr(C, 'y'))
def g():
    global w
    w = 3
    del w
    w = 4
g(); print(w)
try:
    del undefined_name
except NameError as e: print('NE', e)
def h():
    global zz
    del zz
try:
    h()
except NameError as e: print('NE', e)
class D:
    try:
        print(nope)
    except NameError as e: print('NE', e)
    print(len)

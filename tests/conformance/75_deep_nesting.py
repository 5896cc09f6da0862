# Containers nested 20 deep render in full (the device's renderer goes 24
# levels; deeper raises RecursionError, tested in tests/robustness.rs).
a = []
for i in range(20):
    a = [a]
print(a)
t = ()
for i in range(20):
    t = (t, i)
print(t)
d = {}
for i in range(20):
    d = {i: d}
print(d)
print(str([[1, [2, [3, {'k': (4, [5])}]]]]))
x = [1]
x.append(x)
print(x, [x, x])

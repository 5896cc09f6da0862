# memoryview (issue 17): MicroPython's subset, the carried class
# lib/memoryview.py the compiler loads for the name: views share memory.

b = bytearray(b'hello world')
mv = memoryview(b)
print(len(mv), mv[0], mv[-1], mv.readonly)
s = mv[6:]
print(len(s), bytes(s), s.tobytes(), bytearray(s))
s[0] = 87
print(b)
mv[1:3] = b'EL'
print(b, mv[1:3] == b'EL', list(mv[:3]))
s2 = s[1:3]
s2[:] = b'OR'
print(b, s2.tolist(), s.hex())
ro = memoryview(b'abc')
print(ro.readonly)
try:
    ro[0] = 1
except TypeError as e:
    print(e)
try:
    mv[1:3] = b'x'
except ValueError as e:
    print(e)
try:
    mv[100]
except IndexError as e:
    print(e)
try:
    memoryview(5)
except TypeError as e:
    print(e)
print([x for x in memoryview(b'AB')], sum(memoryview(b'\x01\x02')))
print(b'xy' + bytes(memoryview(b'z')))
b[0:2] = memoryview(b'QQ')
print(b)
print(bytearray(3) + memoryview(b'1').tobytes())
big = bytearray(range(10))
v = memoryview(big)[2:8]
w = v[1:-1]
w[0] = 99
print(big[3], len(w), w[0], v[-1], w.nbytes, v.readonly)
print(memoryview(v) == v, v == bytes(v), w.tolist())

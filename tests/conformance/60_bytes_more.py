# bytes and bytearray beyond the shared corpus: slicing steps, mutation,
# int.to_bytes / int.from_bytes, codecs, methods, and the errors.
b = bytes(range(10))
print(b[::2], b[1::3], b[::-2], b[-3:], b[8:2:-2], b[100:], b[-100:2])
print(b'abc'[1], b'abc'[-1], type(b'abc'[:1]).__name__, len(b''), bool(b''), bool(b'\x00'))
print(b'a' + bytearray(b'b'), bytearray(b'a') + b'b', 2 * b'xy', bytearray(b'z') * 3)
print(b'abc' == bytearray(b'abc'), bytearray(b'a') < b'b', b'ab' >= b'a', b'x' != 'x')
d = {b'k': 1, b'k2': 2}
print(d[b'k'], b'k2' in d, {b'a', b'a', b'b'} == {b'a', b'b'}, hash(b'ab') == hash(bytes(b'ab')))
try:
    hash(bytearray(b'x'))
except TypeError as e:
    print('unhashable', type(e).__name__)
print(repr(b"it's"), repr(b'both\'"'), b'\x7f\x80\xfe', bytearray(b"q'"), str(b'\r\t'))
print(list(bytearray(b'hi')), [x for x in b'\x00\xff'], 0 in b'\x00', b'' in b'abc')
ba = bytearray(b'0123456789')
ba[::2] = b'abcde'
print(ba)
del ba[::3]
print(ba)
ba[2:2] = b'XYZ'
print(ba, len(ba))
ba[-1] = 33
ba.insert(0, 64)
ba.insert(-1, 35)
ba.insert(100, 36)
print(ba, ba.pop(0), ba.pop(), ba)
ba.remove(ord('X'))
ba.reverse()
print(ba, ba.copy() == ba, ba.copy() is ba)
ba += b'++'
ba += bytearray(b'=')
print(ba)
ba[:] = [1, 2, 3]
print(ba)
ba.extend(range(4, 6))
ba.extend(bytearray(b'!'))
print(ba)
ba.clear()
print(ba, len(ba))
for bad in (-1, 256, 1000):
    try:
        bytearray(1)[0] = bad
    except ValueError as e:
        print('ValueError', e)
for args in ((), (5,), ([1, 2],), (b'xy',), ('h\u00e9', 'utf-8'), ('abc', 'ascii')):
    print(bytes(*args), bytearray(*args))
print(bytes(bytearray(b'ab')), bytearray(bytes(2)), bytes(x * 2 for x in range(3)))
print((1024).to_bytes(2, 'big'), (1024).to_bytes(4, 'little'), (0).to_bytes(0, 'big'))
print((-1).to_bytes(2, 'big', signed=True), (-129).to_bytes(2, 'little', signed=True))
print((255).to_bytes(1, 'big'), (127).to_bytes(1, 'big', signed=True), (-128).to_bytes(1, 'big', signed=True))
print((2**64 + 5).to_bytes(9, 'big'), (-(2**70)).to_bytes(10, 'little', signed=True), (5).to_bytes())
print(int.from_bytes(b'\x04\x00', 'big'), int.from_bytes(b'\x04\x00', 'little'))
print(int.from_bytes(b'\xff\xff', 'big', signed=True), int.from_bytes(b'\xff\xff', 'big'))
print(int.from_bytes(bytes(20) + b'\x01', 'big'), int.from_bytes(b'\xff' * 20, 'little', signed=True))
print(int.from_bytes([1, 2], byteorder='big'), int.from_bytes(b'', 'big'), int.from_bytes(b'\x80' * 17, 'big', signed=True))
for v, n, s in ((256, 1, False), (-1, 1, False), (128, 1, True), (-129, 1, True), (1, 0, False)):
    try:
        v.to_bytes(n, 'big', signed=s)
    except OverflowError as e:
        print('OverflowError', e)
try:
    (1).to_bytes(1, 'middle')
except ValueError as e:
    print('ValueError', e)
print('h\u00e9'.encode(), 'h\u00e9'.encode('utf-8').decode('utf-8'), b'abc'.decode('ascii'))
for data, codec in ((b'\xff', 'utf-8'), (b'a\xc3', 'utf-8'), (b'\xc3(', 'utf-8'), (b'ok\x80', 'ascii')):
    try:
        data.decode(codec)
    except UnicodeDecodeError as e:
        print(type(e).__name__, isinstance(e, ValueError), e)
try:
    'h\u00e9'.encode('ascii')
except UnicodeEncodeError as e:
    print(type(e).__name__, isinstance(e, UnicodeError))
try:
    bytes('abc')
except TypeError as e:
    print('TypeError', e)
print(b'\x01\xab'.hex(), bytearray(b'\xff').hex(), bytes.fromhex('01 ab ff'), bytearray.fromhex('00'))
try:
    bytes.fromhex('0g')
except ValueError as e:
    print('ValueError', e)
s = b'  one two  three '
print(s.split(), s.strip(), s.lstrip(), s.rstrip(), b'xxaxx'.strip(b'x'), s.split(b' ', 2))
print(b'a-b-c'.rsplit(b'-', 1), b'abcabc'.find(b'c'), b'abcabc'.rfind(b'c'), b'abc'.find(99), b'abc'.find(b'z'))
print(b'abcabc'.index(b'b', 2), b'aaa'.count(b'a'), b'abc'.count(98), b'hello'.endswith(b'lo'), b'hello'.startswith((b'x', b'h')))
print(b'AbC'.upper(), b'AbC'.lower(), b'123'.isdigit(), b'12a'.isdigit(), b'ab'.isalpha(), b' \t'.isspace(), b'a1'.isalnum())
print(b', '.join([b'a', bytearray(b'b'), b'c']), bytearray(b'-').join([b'x', b'y']), b'aXbXc'.replace(b'X', b'--'))
print(bytearray(b'a,b').split(b','), bytearray(b' x ').strip(), bytearray(b'ab').upper())
try:
    b'abc'.index(b'z')
except ValueError as e:
    print('ValueError', type(e).__name__)
try:
    b'a' + 'b'
except TypeError as e:
    print('TypeError', type(e).__name__)
try:
    bytearray().pop()
except IndexError as e:
    print('IndexError', e)
try:
    bytearray(b'a').remove(98)
except ValueError as e:
    print('ValueError', e)
try:
    b'abc'[3]
except IndexError as e:
    print('IndexError', type(e).__name__)
print(isinstance(b'', bytes), isinstance(bytearray(), bytes), type(b''), type(bytearray()))
print(sorted([b'b', b'a', b'']), max(b'\x03\x09\x01'), sum(b'\x01\x02'), b'ab' * 0, b'ab' * -1)

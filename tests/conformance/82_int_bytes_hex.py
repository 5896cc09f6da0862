# int.to_bytes and int.from_bytes: Python in the frozen library (lib/int.py;
# from_bytes a classmethod bound to the type); bytes.fromhex. Edge cases:
# zero length, sign bits, overflow either way, keywords and defaults, bad
# arguments.

for n in [0, 1, 127, 128, 255, 256, -1, -128, -129, 65535, 2**31, -2**31, 2**63 - 1, -2**63]:
    for L in [0, 1, 2, 4, 8, 9]:
        for o in ['big', 'little']:
            for sg in [False, True]:
                try:
                    b = n.to_bytes(L, o, signed=sg)
                    print(n, L, o, sg, b, int.from_bytes(b, o, signed=sg), int.from_bytes(b, byteorder=o))
                except OverflowError as e:
                    print(n, L, o, sg, 'OverflowError', e)
print((5).to_bytes(), (5).to_bytes(2), True.to_bytes(1, 'little'), int.from_bytes([1, 2]), int.from_bytes(bytearray(b'\x01\x00'), 'little'))
for bad in [lambda: (1).to_bytes(-1), lambda: (1).to_bytes(1, 'middle'), lambda: int.from_bytes(5), lambda: int.from_bytes('ab'), lambda: int.from_bytes(b'a', 'x')]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(bytes.fromhex('00 ff Ab\t1f\n'), bytearray.fromhex('0a0b'), bytes.fromhex(''), type(bytearray.fromhex('41')).__name__)
for s in ['0', 'abc', 'g0', '0g', '0 1', 'é0', ' 1 ']:
    try:
        print(bytes.fromhex(s))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)

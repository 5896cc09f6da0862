# Errors whose texts the host renders from numbered messages (the firmware
# carries none of them): the exception's str and args are CPython's.


def show(f):
    try:
        f()
    except Exception as e:
        # (A UnicodeError's args are five values in CPython; here its text.)
        args = () if isinstance(e, UnicodeError) else e.args
        print(type(e).__name__, e, args)


show(lambda: {}.popitem())
show(lambda: set().pop())
show(lambda: dict([(1, 2), (3, 4, 5)]))
show(lambda: {}.update([(1, 2), (3,), (4, 5)]))


def gen():
    yield 1


show(lambda: gen().send(5))


def stubborn():
    try:
        yield 1
    except GeneratorExit:
        pass
    yield 2


g = stubborn()
next(g)
show(g.close)

show(lambda: bytes([1, 300]))
show(lambda: bytearray(2).append(256))
show(lambda: bytes("abc"))
show(lambda: b"\xff".decode())
show(lambda: b"ab\x80".decode("ascii"))
show(lambda: "a\xe9".encode("ascii"))
show(lambda: "ab\xe9\xe9".encode("ascii"))
show(lambda: bytes.fromhex("1g"))
show(lambda: bytearray(b"ab").remove(99))


def assign_list():
    x = [0, 1, 2, 3]
    x[::2] = [9]


show(assign_list)


def assign_ba():
    x = bytearray(4)
    x[::2] = b"xyz"


show(assign_ba)


def assign_int():
    x = bytearray(4)
    x[0:2] = 7


show(assign_int)

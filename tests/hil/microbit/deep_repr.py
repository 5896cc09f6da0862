# Nested __repr__ calls re-enter the VM's dispatch loop from native code,
# each level on the native stack, and every level renders a big int (whose
# decimal text takes the deepest native frame) before it goes deeper.
# Without a bound this overflowed the micro:bit's stack and faulted; the
# bound raises RecursionError (CPython raises it too, at its own depth),
# and the program goes on. Expected output from CPython 3.11.
BIG = 7 ** 200


class Deep:
    def __init__(self, n):
        self.n = n

    def __repr__(self):
        text = str(BIG + self.n)
        return "D(" + text[-3:] + repr(Deep(self.n + 1)) + ")"


class Same:
    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        str(BIG * self.n)
        return Same(self.n + 1) == other


try:
    repr(Deep(0))
except RecursionError:
    print("repr: RecursionError")
try:
    Same(1) == 0
except RecursionError:
    print("eq: RecursionError")
print("still running", len(str(BIG)))

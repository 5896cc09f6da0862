# Binary operators and comparisons whose method returns NotImplemented fall
# back to the reflected method of the other operand, then to TypeError
# (ordering) or identity (== and !=), as CPython does.
def kind(fn):
    try:
        return fn()
    except Exception as e:
        return type(e).__name__

class A:
    def __init__(self, v):
        self.v = v
    def __add__(self, other):
        if isinstance(other, A):
            return A(self.v + other.v)
        return NotImplemented
    def __eq__(self, other):
        if isinstance(other, A):
            return self.v == other.v
        return NotImplemented
    def __lt__(self, other):
        if isinstance(other, A):
            return self.v < other.v
        return NotImplemented
    def __repr__(self):
        return 'A(%r)' % self.v

class B:
    def __init__(self, v):
        self.v = v
    def __radd__(self, other):
        return 'B.__radd__(%r)' % (other,)
    def __gt__(self, other):
        return 'B.__gt__'
    def __eq__(self, other):
        return NotImplemented

class C:
    pass

print(NotImplemented, repr(NotImplemented), [NotImplemented], NotImplemented is NotImplemented)
print(A(1) + A(2), A(1) + B(0), kind(lambda: A(1) + C()), kind(lambda: A(1) + 1))
print(kind(lambda: 1 + A(1)), kind(lambda: C() + A(1)), kind(lambda: C() - C()))
print(A(1) == A(1), A(1) == A(2), A(1) != A(1), A(1) == 1, A(1) != 1)
a = A(5)
print(a == a, a != a, a == C(), 1 == a, a is a)
b = B(1)
print(b == b, b != b, b == B(1), b != B(1), b == 3, 3 == b)
print(A(1) < A(2), A(1) < B(2), kind(lambda: A(1) < C()), kind(lambda: A(1) < 3), kind(lambda: 3 > A(1)))
print(kind(lambda: C() < C()), kind(lambda: C() >= 1), kind(lambda: A(1) <= A(2)))
print(A(3) in [A(1), A(3)], A(3) in [1, 2], A(2) in (A(2),), a in [a])
print(sorted([A(3), A(1), A(2)]), min(A(4), A(2)), kind(lambda: sorted([A(1), 2])))
x = A(1)
x += A(10)
print(x, kind(lambda: A(1).__add__(3)) is NotImplemented)

# What fails on instances of builtin types' subclasses fails as it would on
# their bases (or on the class call).


class Stack(list):
    pass


class Name(str):
    pass


class Flags(int):
    pass


class Point(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))


class Fixed(list):
    def __init__(self):
        pass


class Plain:
    pass


class D(dict):
    pass


def check(f):
    try:
        print("ok", f())
    except Exception as e:
        print(type(e).__name__)


check(lambda: Stack(1))
check(lambda: Flags("x"))
check(lambda: hash(Stack()))
check(lambda: hash(D()))
check(lambda: {Stack(): 1})
check(lambda: Fixed([1]))
check(lambda: Point(1))
check(lambda: Plain(1))
check(lambda: Stack().nosuch)
check(lambda: Stack() + 1)
check(lambda: D()["x"])
check(lambda: D(1))
check(lambda: Name("a") + 1)
check(lambda: Flags(1) < "a")
check(lambda: Stack([3]).pop(5))
check(lambda: Point(1, 2).append)
check(lambda: Name("x").nope())
check(lambda: len(Flags(3)))
check(lambda: Flags(3)[0])
check(lambda: iter(Flags(3)))
check(lambda: Flags(7) / 0)
check(lambda: list.append(Name("x"), 1))
check(lambda: str.upper(Stack()))
check(lambda: Name("abc").index("z"))
check(lambda: Stack([1])[5])
check(lambda: Point(1, 2)[0:1])
check(lambda: Name("ab")[1])

# Exceptions the VM raises itself, caught and named by type (the message
# text is the host's; programs never print it).
def kind(f):
    try:
        f()
        return "ok"
    except Exception as e:
        return type(e).__name__

print(kind(lambda: 1 // 0))
print(kind(lambda: 1 % 0))
print(kind(lambda: undefined_name))
print(kind(lambda: [1, 2][5]))
print(kind(lambda: {"a": 1}["b"]))
print(kind(lambda: 1 + "a"))
print(kind(lambda: int("x")))
nothing = None
print(kind(lambda: nothing()))
print(kind(lambda: 5))

def deep(n):
    if n == 0:
        raise ValueError("bottom")
    return deep(n - 1)

try:
    deep(30)
except ValueError as e:
    print("caught", e)
finally:
    print("finally")

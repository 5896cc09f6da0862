# Recursive calls and small-int arithmetic: the cost of a Python call.
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

total = 0
for _ in range(8):
    total += fib(25)
print("calls", total)

# FizzBuzz, the classic: `p14p run examples/fizzbuzz.py`
def fizzbuzz(n):
    if n % 15 == 0:
        return "FizzBuzz"
    if n % 3 == 0:
        return "Fizz"
    if n % 5 == 0:
        return "Buzz"
    return str(n)

print(" ".join(fizzbuzz(n) for n in range(1, 31)))

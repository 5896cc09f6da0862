# Closures keep state on the device's heap: `p14p run examples/counter.py`
def make_counter(start=0, step=1):
    count = start

    def tick():
        nonlocal count
        count += step
        return count

    return tick

evens = make_counter(0, 2)
tens = make_counter(100, 10)
for _ in range(3):
    print(evens(), tens())

# Lambdas capture too.
scale = lambda k: (lambda x: x * k)
double, triple = scale(2), scale(3)
print([double(i) for i in range(5)], [triple(i) for i in range(5)])

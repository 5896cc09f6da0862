# complex where the port has floats (issue 17): the carried class (lib/complex.py)
# the compiler loads for `complex` and for literals such as 2j.

z = 1 + 2j
print(z, 2j, -1j, -0j, 0j, z.real, z.imag, z.conjugate())
print(z * z, z / (3 - 4j), z - 1, 1 - z)
print(2 * z, z * 2.5, z / 2, 1 / z)
print(abs(3 + 4j), abs(-2j), z == 1 + 2j, z == 1, complex(1) == 1, z != 2)
print(complex(), complex(2), complex(1.5, -2), complex(1j, 1j))
print(complex("1+2j"), complex(" (3-4.5e1j) "), complex("-j"), complex("2.5"))
print(type(z).__name__, isinstance(z, complex), isinstance(2.0, complex))
print((1 + 1j) ** 2, (1 + 1j) ** -2, (2j) ** 0, -z, bool(0j), bool(z))
print(repr(complex(-0.0, 0.0)), complex(1e20, -1e-5), complex(0.5, 0.25) + complex(0.25, -0.5))
try:
    z / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
try:
    z < z
except TypeError as e:
    print("TypeError")
try:
    complex("x")
except ValueError as e:
    print(e)
print([1j, 2][0], sum([1j, 2j, 3]), 1 / 1j, 1.5 + 1j)


def f(x, k=2j):
    return x * k


print(f(1), f(1j), [complex(i, -i) for i in range(3)])


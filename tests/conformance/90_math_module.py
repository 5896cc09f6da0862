# math: CPython's function set for floats. Values print exactly where
# CPython's result is exact or correctly rounded (sqrt, floor, frexp,
# fmod, powers of two and ten...); elsewhere to 10 places or as a
# closeness check, so a kernel a few ulp from the platform's libm passes.
import math
from math import sqrt, pi, gcd

print(math.pi, math.e, math.tau, math.inf, -math.inf, math.nan)
print(pi == math.pi, math.tau == 2 * math.pi)

# Exact results.
print(sqrt(16), sqrt(2), sqrt(0.25), sqrt(-0.0), math.sqrt(10**10), sqrt(True))
print(math.log10(1000), math.log10(0.001), math.log2(8), math.log2(0.125), math.log2(1))
print(math.log(1), math.exp(0), math.log(1024, 2) == 10.0)
print(math.floor(-2.5), math.floor(2.5), math.floor(7), math.ceil(2.1), math.ceil(-2.1), math.ceil(True))
print(type(math.floor(2.5)).__name__, type(math.ceil(2.5)).__name__, math.floor(1e20))
print(math.trunc(-2.7), math.trunc(2.7), math.fabs(-3), math.fabs(-2.5))
print(math.fmod(10, 3), math.fmod(-10, 3), math.fmod(10, -3), math.fmod(5.5, 2), math.fmod(-0.5, 1))
print(math.modf(-3.5), math.modf(2.25), math.modf(-0.5), math.modf(math.inf))
print(math.frexp(8), math.frexp(-3.0), math.frexp(0.0), math.frexp(0.1), math.frexp(5e-324))
print(math.ldexp(0.5, 4), math.ldexp(1, -1074), math.ldexp(-1.5, 10), math.ldexp(3, 0))
print(math.copysign(1, -0.0), math.copysign(-2.5, 1), math.copysign(3, -math.inf), math.copysign(0.0, -1))
print(math.hypot(3, 4), math.hypot(5, 12), math.hypot(), math.hypot(-7), math.hypot(1e200, 1e200) > 1e200)
print(math.hypot(3, math.inf), math.hypot(math.nan, math.inf))
print(math.dist((0, 0), (3, 4)), math.dist([1, 1, 1], [3, 3, 2]))
print(math.degrees(math.pi), math.radians(180), math.degrees(1), math.radians(1))
print(math.pow(2, 10), math.pow(2, 0.5) == sqrt(2), math.pow(4, 0.5), math.pow(-8, 3), math.pow(0, 0), math.pow(math.nan, 0))
print(math.atan2(0.0, -1.0) == math.pi, math.atan2(-0.0, -1.0), math.atan2(0.0, 0.0), math.atan2(-0.0, 0.0))
print(math.atan2(1, 0) == math.pi / 2, math.atan2(math.inf, math.inf) == math.pi / 4, math.atan2(1, math.inf))
print(math.asin(1) == math.pi / 2, math.acos(-1) == math.pi, math.acos(1), math.asin(0), math.atan(0), math.sin(0), math.cos(0))
print(math.tanh(0), math.sinh(0), math.cosh(0), math.tanh(100), math.tanh(-100))

# Within a few ulp: printed to 10 places.
for f in (math.sin, math.cos, math.tan, math.atan, math.exp, math.sinh, math.cosh, math.tanh, math.asinh, math.expm1):
    print(f.__name__, [round(f(x), 10) for x in (-2.5, -1, -0.1, 0.3, 1, 2, 3.7)])
for f in (math.asin, math.acos, math.atanh, math.log1p):
    print(f.__name__, [round(f(x), 10) for x in (-0.9, -0.5, 0, 0.25, 0.5, 0.99)])
for f in (math.sqrt, math.log, math.log2, math.log10, math.acosh):
    print(f.__name__, [round(f(x), 10) for x in (1, 1.5, 2, 10, 12345.678, 1e100)])
print([round(math.atan2(y, x), 10) for y, x in ((1, 2), (-1, 2), (1, -2), (-1, -2), (3, 0.5))])
print(round(math.log(100, 10), 10), round(math.log(8, 2), 10), round(math.log(2.5, 1.5), 10))
print(round(math.sin(1000), 10), round(math.cos(12345.6789), 10), round(math.tan(math.pi / 4), 10))
print(abs(math.sin(math.pi)) < 1e-15, abs(math.cos(math.pi / 2)) < 1e-15, abs(math.exp(math.log(7.5)) - 7.5) < 1e-14)
print(round(math.pow(2, 0.3), 10), round(math.pow(10, -2.5), 10), round(math.exp(-700), 10) == 0.0)

# Predicates.
print(math.isnan(math.nan), math.isnan(1), math.isnan(math.inf), math.isinf(-math.inf), math.isinf(1e308), math.isinf(5))
print(math.isfinite(1), math.isfinite(math.inf), math.isfinite(math.nan), math.isfinite(True))
print(math.isclose(1, 1 + 1e-10), math.isclose(1, 1.001), math.isclose(1, 1.001, rel_tol=0.01), math.isclose(0, 1e-12))
print(math.isclose(0, 1e-12, abs_tol=1e-9), math.isclose(math.inf, math.inf), math.isclose(math.nan, math.nan))

# Integers.
print(gcd(12, 18), gcd(-12, 18), gcd(0, 0), gcd(7), gcd(), gcd(24, 36, 60), gcd(True, 4))
print(math.lcm(4, 6), math.lcm(4, 6, 10), math.lcm(), math.lcm(0, 5))
print(math.factorial(0), math.factorial(5), math.factorial(20), math.factorial(25))
print(math.isqrt(0), math.isqrt(99), math.isqrt(100), math.isqrt(10**20), math.isqrt(2**64 - 1))
print(math.comb(10, 3), math.comb(5, 7), math.comb(50, 25), math.perm(5, 2), math.perm(5), math.perm(3, 5))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod([2, 3], start=10), math.prod([1.5, 2]))

# Errors: CPython's types and messages.
def check(f, *args):
    try:
        r = f(*args)
        print("ok", r)
    except (ValueError, OverflowError, TypeError, ZeroDivisionError) as e:
        print(type(e).__name__, e)


check(math.sqrt, -1)
check(math.log, 0)
check(math.log, -1)
check(math.log, 10, 0)
check(math.log, 10, 1)
check(math.log10, -5)
check(math.log2, 0)
check(math.exp, 1000)
check(math.sqrt, "4")
check(math.sin, None)
check(math.floor, "1")
check(math.sin, math.inf)
check(math.asin, 2)
check(math.acos, -1.5)
check(math.acosh, 0.5)
check(math.atanh, 1)
check(math.fmod, 1, 0)
check(math.fmod, math.inf, 2)
check(math.pow, 0, -1)
check(math.pow, -8, 1 / 3)
check(math.pow, 10, 400)
check(math.ldexp, 1, 1025)
check(math.floor, math.inf)
check(math.floor, math.nan)
check(math.factorial, -1)
check(math.factorial, 2.0)
check(math.gcd, 2.5, 5)
check(math.isqrt, -1)
check(math.comb, -1, 2)
check(math.trunc, -math.inf)
try:
    math.isclose(1, 2, rel_tol=-1)
except ValueError as e:
    print("ValueError", e)

# A small ray tracer: three spheres on a checkered plane, one light,
# shadows and one reflection, rendered to 48x32 pixels of 0..255 grey and
# summed. Stresses float arithmetic, a vector class with operator methods,
# and attribute access.

import math


class Vec:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def scale(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def norm(self):
        return self.scale(1.0 / math.sqrt(self.dot(self)))


class Sphere:
    def __init__(self, centre, radius, shade, mirror):
        self.centre = centre
        self.radius = radius
        self.shade = shade
        self.mirror = mirror

    def hit(self, origin, d):
        oc = origin - self.centre
        b = oc.dot(d)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0:
            return None
        t = -b - math.sqrt(disc)
        return t if t > 1e-4 else None

    def normal(self, p):
        return (p - self.centre).norm()

    def colour(self, p):
        return self.shade


class Plane:
    mirror = 0.0

    def hit(self, origin, d):
        if d.y >= -1e-9:
            return None
        t = (-1.0 - origin.y) / d.y
        return t if t > 1e-4 else None

    def normal(self, p):
        return Vec(0.0, 1.0, 0.0)

    def colour(self, p):
        return 0.9 if (math.floor(p.x) + math.floor(p.z)) % 2 == 0 else 0.2


SCENE = [
    Plane(),
    Sphere(Vec(0.0, 0.0, 5.0), 1.0, 0.8, 0.3),
    Sphere(Vec(-2.0, -0.4, 6.0), 0.6, 0.6, 0.0),
    Sphere(Vec(1.8, -0.3, 4.0), 0.7, 0.5, 0.5),
]
LIGHT = Vec(-3.0, 4.0, 1.0)


def first_hit(origin, d):
    best, what = None, None
    for thing in SCENE:
        t = thing.hit(origin, d)
        if t is not None and (best is None or t < best):
            best, what = t, thing
    return best, what


def trace(origin, d, depth):
    t, thing = first_hit(origin, d)
    if thing is None:
        return 0.1 + 0.3 * max(d.y, 0.0)
    p = origin + d.scale(t)
    n = thing.normal(p)
    to_light = (LIGHT - p).norm()
    lit = max(n.dot(to_light), 0.0)
    if lit > 0 and first_hit(p, to_light)[1] is not None:
        lit *= 0.3
    c = thing.colour(p) * (0.15 + 0.85 * lit)
    if thing.mirror > 0 and depth < 2:
        r = d - n.scale(2 * d.dot(n))
        c = c * (1 - thing.mirror) + thing.mirror * trace(p, r, depth + 1)
    return c


def render(w, h):
    eye = Vec(0.0, 0.5, 0.0)
    rows = []
    for j in range(h):
        row = []
        for i in range(w):
            d = Vec((i - w / 2) / h, (h / 2 - j) / h, 1.0).norm()
            row.append(min(255, int(trace(eye, d, 0) * 255)))
        rows.append(row)
    return rows


image = render(128, 96)
shades = " .:-=+*#%@"
for row in image[::12]:
    print("".join(shades[v * len(shades) // 256] for v in row[::4]))
print(sum(sum(row) for row in image))

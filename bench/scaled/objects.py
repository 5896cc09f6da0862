# Classes, instances, attribute access, method calls and inheritance.
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def dot(self, other):
        return self.x * other.x + self.y * other.y


class Particle:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel

    def step(self):
        self.pos = self.pos.add(self.vel)
        return self.pos.dot(self.vel)


class Heavy(Particle):
    def step(self):
        return Particle.step(self) // 2


def run(n):
    ps = [Particle(Vec(i, -i), Vec(1, 2)) for i in range(20)]
    ps.append(Heavy(Vec(0, 0), Vec(3, 1)))
    acc = 0
    for _ in range(n):
        for p in ps:
            acc = (acc + p.step()) & 0xFFFFFF
    return acc

print("objects", run(5000))

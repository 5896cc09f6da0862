# Float arithmetic: a Mandelbrot membership count and a small n-body step loop.
def mandel(w, h, iters):
    inside = 0
    for y in range(h):
        ci = 2.0 * y / h - 1.0
        for x in range(w):
            cr = 3.0 * x / w - 2.0
            zr = zi = 0.0
            n = 0
            while n < iters and zr * zr + zi * zi < 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                n += 1
            if n == iters:
                inside += 1
    return inside


def bodies(steps):
    pos = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.5], [-1.2, 0.3]]
    vel = [[0.0, 0.0], [0.0, 1.0], [-0.8, 0.0], [0.1, -0.7]]
    dt = 0.001
    for _ in range(steps):
        for i in range(4):
            ax = ay = 0.0
            for j in range(4):
                if i != j:
                    dx = pos[j][0] - pos[i][0]
                    dy = pos[j][1] - pos[i][1]
                    d2 = dx * dx + dy * dy + 0.01
                    inv = 1.0 / (d2 * d2 ** 0.5)
                    ax += dx * inv
                    ay += dy * inv
            vel[i][0] += ax * dt
            vel[i][1] += ay * dt
        for i in range(4):
            pos[i][0] += vel[i][0] * dt
            pos[i][1] += vel[i][1] * dt
    return round(pos[1][0] * 1000) + round(pos[2][1] * 1000)


print(mandel(120, 80, 100), bodies(1000))

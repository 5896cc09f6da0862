a = [1]
a.append(a)
a.append(a)
d = {}
d[1] = d
print(a, d, [a], str(a), repr(d))

# A class deriving from list: the base's methods, operators and builtins
# work on its instances; the class's own methods win; super() reaches the
# native methods.


class Stack(list):
    def push(self, x):
        self.append(x)

    def peek(self):
        return self[-1]


s = Stack()
s.push(1)
s.push(2)
s.append(3)
print(s, len(s), s.peek(), type(s) is Stack, type(s).__name__)
print(isinstance(s, list), isinstance(s, Stack), issubclass(Stack, list))
print(sorted(s, reverse=True), list(s), tuple(s), sum(s), max(s), min(s))
print(s == [1, 2, 3], [1, 2, 3] == s, s != [1], s < [1, 3], 2 in s, 9 not in s)
print(s[0], s[-1], s[1:], s[::-1])
s[0] = 10
del s[1]
print(s, bool(s), bool(Stack()), s + [7], [0] + s, s * 2)
s += [4]
print(type(s).__name__, s)
s.extend((5, 6))
s.insert(0, 0)
s.sort()
print(s, s.index(4), s.count(3), s.pop(), s.pop(0), s)
print(list.append(s, 99), s, list.__len__(s))
for i, x in enumerate(Stack([7, 8])):
    print("item", i, x)
print([x * 2 for x in Stack([1, 2])], ",".join(Stack(["a", "b"])))
t = Stack("abc")
t.reverse()
print(t, t.copy(), type(t.copy()).__name__)

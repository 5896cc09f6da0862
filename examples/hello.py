# The first program: `p14p run examples/hello.py`
name = "p14p"
print("Hello from", name + "!")
for i in range(3):
    print("  line", i + 1, "of 3")

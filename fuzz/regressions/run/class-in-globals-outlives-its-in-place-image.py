# Source of class-in-globals-outlives-its-in-place-image.bin (IMAGE_FORMAT 5,
# `p14p compile`): its hash is odd, so the run target executes it in place;
# the class stays in the globals after the interrupted run and its name, an
# image str, must still lie within the image (Vm::image_strs_within).
class Keep:
    n = 2
    def get(self):
        return self.n

k = Keep()
print(k.get())
while True:
    pass

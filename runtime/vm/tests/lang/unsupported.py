# Valid Python outside the subset is refused at compile time: FILE:LINE:COL, exit 2.
# CPython runs this program, so there is no CPython output to compare; the header directive
# below states what must be refused instead (checked by lang.rs):
# vigil-expect-unsupported: 6:1: unsupported: type alias statement
print("never printed")
type Pair = tuple[int, int]
print(Pair)

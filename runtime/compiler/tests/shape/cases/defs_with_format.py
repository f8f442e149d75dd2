def get_colors(
    colorize: bool = False, *, file: int | None = None
) -> int:
    return 1
def g(
    self, name: str, failobj: None = None
) -> None: ...
def f(a, b):
    with a as x, \
         b as y:
        return x + y
def g(a):
    with (a
          ):
        pass
def r(self):
    return "<P: x=%s, y=%r>" % (self.x, self.y)
def q(a):
    return "%5s|%-3r|%.2s" % (a, a, a)

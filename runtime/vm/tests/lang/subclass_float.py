# Subclasses of float: arithmetic, comparisons, hashing, formatting, conversions, math, and a
# __str__ override.
class F(float):
    pass
f = F(2.5)
print(f, type(f), isinstance(f, float), f + 1, type(f + 1), 1 + f, f * 2, f / 2, 5 / f, f // 1, f % 2, f ** 2, -f, abs(F(-1.5)), f == 2.5, 2.5 == f, f < 3, hash(f) == hash(2.5))
print(repr(f), str(f), f'{f}', f'{f:.3f}', '%.1f %s' % (f, f), int(f), float(f), type(float(f)), round(f), round(F(2.567), 2), f.is_integer(), f.real, f.imag)
import math
print(math.floor(f), math.sqrt(F(4.0)), F(), F('1e3'), F(3), sorted([F(2.0), 1.0]), sum([F(0.5), F(0.25)]))
class Celsius(float):
    def __new__(cls, v):
        return super().__new__(cls, v)
    def to_f(self):
        return self * 9 / 5 + 32
    def __str__(self):
        return f'{float(self)}C'
c = Celsius(100)
print(c, c.to_f(), repr(c), [c], f'{c}')

def err(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)

err(lambda: F('x'))
err(lambda: F(1.0) + 'a')
err(lambda: F(1.0) / 0)

# Subclasses of int: arithmetic in both directions (results are plain ints), comparisons,
# hashing, conversions, indexing, __new__ validation, overridden __add__/__repr__/__bool__.
class I(int):
    pass

i = I(5)
print(i, type(i), isinstance(i, int), i + 1, type(i + 1), 1 + i, i - 2, 10 - i, i * i, i / 2, i // 2, i % 3, i ** 2, 2 ** i)
print(-i, +i, abs(I(-3)), ~i, i & 3, 3 | i, i ^ 1, i << 2, 64 >> i, i == 5, 5 == i, i < 6, 6 > i, hash(i) == hash(5))
print(repr(i), str(i), f'{i}', f'{i:03d}', '%d %s %x' % (i, i, i), format(i, 'b'), int(i), type(int(i)), float(i), bool(I(0)), bool(i))
print([10, 20, 30, 40, 50, 60][i], list(range(I(3))), 'ab' * I(2), sum([I(1), I(2)]), max(I(1), 2), sorted([I(3), 1, 2]))
print({5: 'five'}[i], {i: 1}[5], i.bit_length(), i.to_bytes(2, 'big'), divmod(i, 2), round(i), i.real, i.numerator)
i.x = 1
print(i.x)

class Even(int):
    def __new__(cls, v):
        if v % 2:
            raise ValueError('odd')
        return super().__new__(cls, v)
    def half(self):
        return self // 2
    def __add__(self, o):
        return Even(int(self) + o + 1 if (int(self) + o) % 2 else int(self) + o)
    def __repr__(self):
        return f'Even({int(self)})'
e = Even(4)
print(e, e.half(), e + 2, e + 1, type(e + 1), 1 + e, str(e), f'{e}', [e])
try:
    Even(3)
except ValueError as ex:
    print('ValueError', ex)
print(I(), I('12'), I('z', 36), I(3.9), int.__add__(i, 1), I(True))

class Flag(int):
    def __bool__(self):
        return False
print(bool(Flag(3)), 'yes' if Flag(1) else 'no')

def err(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)

err(lambda: I(1) + 'a')
err(lambda: 'a' + I(1))
err(lambda: I(1) / 0)
err(lambda: I(1) < 'a')
err(lambda: I('x'))

class B(int):
    def __index__(self):
        return 1
print(I(7) % I(4), divmod(I(7), I(2)), pow(I(2), I(10)), I(2) ** -1, I(10**20) * 2, type(I(10**20)), I(10**20))

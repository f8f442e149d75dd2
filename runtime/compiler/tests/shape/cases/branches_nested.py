def f(self, x):
    if hasattr(self, 'b'):
        b = self.b
        if b < 16:
            w('%d x' % (b, 1), R, 2)
            b = 3
    else:
        w('No %d.' % (self.b), R, 2)
        b = self.b
    if len(x) > b:
        x = 1
def f(restore):
    try:
        g()
    finally:
        if restore:
            h()
    close()

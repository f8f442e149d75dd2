class A(B):
    def m(self, /, *args):
        return super().m(*args)
    def n(self, /, x):
        return super().n(x)
    def o(self, *args):
        return super().o(1)
    def p(self, *args):
        return super().p(*args)
class A(B):
    def q(*args):
        return super().q()

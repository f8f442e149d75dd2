# __init_subclass__ (with class keywords) and __set_name__.
class Plugin:
    registry = {}
    def __init_subclass__(cls, name=None, **kw):
        super().__init_subclass__(**kw)
        Plugin.registry[name or cls.__name__] = cls
class A(Plugin):
    pass
class B(Plugin, name="bee"):
    pass
class C(A):
    pass
print(sorted(Plugin.registry), Plugin.registry["bee"] is B)
class Field:
    def __set_name__(self, owner, name):
        self.name = name
        self.owner = owner.__name__
    def __get__(self, obj, objtype=None):
        return "descr"
class Model:
    title = Field()
    body = Field()
print(Model.__dict__["title"].name, Model.__dict__["body"].owner)
try:
    class Bad(Plugin, unknown=1):
        pass
except TypeError as e:
    print("TypeError", e)

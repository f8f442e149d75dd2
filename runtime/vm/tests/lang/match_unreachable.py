# A capture pattern before other cases is a compile-time SyntaxError (nothing runs).
print("not printed")


def f(v):
    match v:
        case [x, *_] | (x,):
            return x
        case other:
            return other
        case 1:
            return 1

# Alternatives of an or-pattern must bind the same names: a compile-time SyntaxError.
print("not printed")
match [1, 2]:
    case [a, b] | [b, *c]:
        pass

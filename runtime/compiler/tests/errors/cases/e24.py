print(1)
match 3:
    case [a, a]:
        pass

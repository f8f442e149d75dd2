print(1)
match 3:
    case {"a": 1, "a": 2}:
        pass

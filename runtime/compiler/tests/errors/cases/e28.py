print(1)
match 3:
    case P(x=1, x=2):
        pass

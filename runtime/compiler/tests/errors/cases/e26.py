print(1)
match 3:
    case _:
        pass
    case 1:
        pass

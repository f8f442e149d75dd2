def g(x):
    return list((yield i) for i in x)

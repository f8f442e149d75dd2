def f(split_paths, curdir):
    split_paths = [[c for c in s if c and c != curdir] for s in split_paths]
    return split_paths

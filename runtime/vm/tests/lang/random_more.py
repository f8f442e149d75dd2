# random: choices (unweighted, weights, cum_weights, k, errors), triangular, expovariate,
# normalvariate, lognormvariate, paretovariate, weibullvariate: the same stream of draws
# as CPython's Mersenne Twister, module functions and Random instances.
import random

random.seed(2024)
print(random.choices("abcde"), random.choices("abcde", k=5), random.choices(range(10), k=0))
print(random.choices("abc", weights=[1, 2, 7], k=8), random.choices("abc", [5, 0, 1], k=4))
print(random.choices(["x", "y"], cum_weights=[0.25, 1.0], k=6), random.choices((1, 2, 3), weights=[0.5, 0.25, 0.25], k=3))
for kw in ({"weights": [1, 2]}, {"weights": [0, 0, 0]}, {"weights": [1, 2, 3], "cum_weights": [1, 2, 3]},
           {"weights": [1, float("inf"), 1]}):
    try:
        random.choices("abc", **kw)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    random.choices("abc", 3)
except TypeError as e:
    print("TypeError", e)
print([round(random.triangular(), 12) for _ in range(3)], round(random.triangular(0, 10, 3), 12), random.triangular(5, 5, 5))
print([round(random.expovariate(1.5), 12) for _ in range(3)], round(random.expovariate(), 12))
print([round(random.normalvariate(10, 2), 12) for _ in range(3)], round(random.normalvariate(), 12))
print(round(random.lognormvariate(0, 0.5), 12), round(random.paretovariate(3), 12), round(random.weibullvariate(1, 1.5), 12))
r = random.Random(7)
print(r.choices([10, 20, 30], weights=[3, 2, 1], k=5), round(r.triangular(1, 2), 12), round(r.expovariate(0.5), 12))
print(random.random())

"""A small program to try vigil's tools on: functions, a loop, a branch, a generator."""


def greet(name, punctuation="!"):
    return "Hello, " + name + punctuation


def evens(limit):
    for n in range(limit):
        if n % 2 == 0:
            yield n


def main():
    print(greet("vigil"))
    total = 0
    for n in evens(10):
        total += n
    if total > 10:
        print("total", total)
    else:
        print("small total", total)


main()

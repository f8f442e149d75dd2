# An uncaught exception with chained context: traceback format, exit status 1.
class Account:
    def __init__(self, balance):
        self.balance = balance

    def withdraw(self, amount):
        if amount > self.balance:
            raise ValueError(f"insufficient funds: {self.balance} < {amount}")
        self.balance -= amount


def process(acct, amounts):
    for a in amounts:
        acct.withdraw(a)


def main():
    acct = Account(100)
    try:
        process(acct, [30, 50, 40])
    except ValueError as e:
        raise RuntimeError("processing failed") from e


print("start")
main()

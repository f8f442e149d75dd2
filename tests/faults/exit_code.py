import sys
print("before")
try:
    sys.exit(3)
except Exception:
    print("SystemExit is not an Exception")
finally:
    print("finally runs")

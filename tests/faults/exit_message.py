import sys
print("no newline", end="")
sys.exit("bad thing")

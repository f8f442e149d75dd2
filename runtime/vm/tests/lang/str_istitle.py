# str.istitle: CPython's rule (cased characters, title-case letters, uncased separators).
cases = ["Hello World", "hello", "HELLO", "Hello world", "\u01c5ungla", "\u01c4ungla",
         "A1 B2", "", "123", "Ab Cd'Ef", "\u00c0b \u00c9t\u00e9", "\u0391\u03b2\u03b3",
         "Hello  World!", "A", "a", "Aa\u02b0", "\u2160\u2161", "Ab\u0130"]
for s in cases:
    print(ascii(s), s.istitle(), s.title().istitle())
print(str.istitle("Ab"))
try:
    "Ab".istitle(1)
except TypeError as e:
    print("TypeError:", e)
try:
    str.istitle(b"Ab")
except TypeError as e:
    print("TypeError:", e)

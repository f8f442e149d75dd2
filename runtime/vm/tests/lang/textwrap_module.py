# textwrap (vigil's is Python in pylib): wrap/fill with every TextWrapper option, hyphen
# and em-dash splitting, long words, max_lines with placeholders, shorten, dedent, indent.
import textwrap

text = ("The quick brown fox jumps over the lazy dog. A well-known pangram -- used by "
        "typographers\tsince the late 19th century -- contains every letter. Extraordinarily-"
        "long-hyphenated-compound-words and supercalifragilisticexpialidocious test breaking.")
for width in (10, 25, 40, 70):
    print(width, textwrap.wrap(text, width))
print(textwrap.fill(text, 30, initial_indent="* ", subsequent_indent="  "))
print(textwrap.wrap(text, 20, break_on_hyphens=False))
print(textwrap.wrap(text, 12, break_long_words=False))
print(textwrap.wrap(text, 30, fix_sentence_endings=True))
print(textwrap.wrap("  lead and trail  \n  ", 8, drop_whitespace=False))
print(textwrap.wrap("a\tb\nc", 6, expand_tabs=False, replace_whitespace=False))
print(textwrap.wrap("tab\there", 20, tabsize=4))
print(textwrap.wrap(text, 25, max_lines=3))
print(textwrap.wrap(text, 25, max_lines=2, placeholder=" ..."))
print(textwrap.shorten("Hello  world, this is   long", width=15))
print(textwrap.shorten("Hello world", width=11), textwrap.shorten("x " * 40, 12, placeholder="!"))
print(textwrap.wrap("x-y-z co-op self-evident a--b 12-34 --flag", 4))
print(textwrap.wrap("", 10), textwrap.fill("word", 2))
w = textwrap.TextWrapper(width=15, subsequent_indent="> ")
print(w.wrap("one two three four five six seven"), w.fill("a b c"))
for bad in (0, -1):
    try:
        textwrap.wrap("abc", bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    textwrap.wrap("abc def", 5, max_lines=1, placeholder=" [.......]")
except ValueError as e:
    print("ValueError:", e)
print(repr(textwrap.dedent("""
    def f():
        return 1
      \t
    x = 2
""")))
print(repr(textwrap.dedent("  a\n\tb\n")), repr(textwrap.dedent("   \n    x\n  y")), repr(textwrap.dedent("\tone\n\t  two")))
print(repr(textwrap.indent("a\n\nb\r\nc", "> ")), repr(textwrap.indent("a\n \nb", "+", lambda line: True)))

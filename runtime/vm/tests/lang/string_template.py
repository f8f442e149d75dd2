# string.Template (vigil's string module is Python in pylib): substitute, safe_substitute,
# `$$`, braces, keyword arguments over a mapping, errors with line/column, subclasses with
# another delimiter, idpattern or a whole pattern, get_identifiers, is_valid.
from string import Template
import string

t = Template("$who likes $what, ${who}'s favourite costs $$${price}")
print(t.substitute(who="tim", what="kung pao", price=5))
print(t.safe_substitute(who="tim"))
print(t.substitute({"who": "a", "what": "b", "price": 1}, who="kw wins"))
try:
    t.substitute(who="x")
except KeyError as e:
    print("KeyError", e)
for bad in ("$1", "ok\nline two $", "a ${b"):
    try:
        Template(bad).substitute(b=1)
    except ValueError as e:
        print("ValueError", e)
    print(repr(Template(bad).safe_substitute()))
print(Template("$a.$b_c $B").substitute(a=1, b_c=2, B=3), Template("${x}y$z").safe_substitute(x="X"))
print(Template("é$é $a").safe_substitute(a=1))


class Percent(Template):
    delimiter = "%"


print(Percent("%a and %% and %{b}").substitute(a="A", b="B"))


class Upper(Template):
    idpattern = r"[A-Z]+"
    flags = 0


print(Upper("$ABC $abc").safe_substitute(ABC=1, abc=2))


class Custom(Template):
    pattern = r"\[(?:(?P<escaped>\[)|(?P<named>\w+)\]|(?P<braced>)(?!)|(?P<invalid>))"


print(Custom("[x] [[ [y]").safe_substitute(x=1))
print(Template("$a $b ${a} $$ $c").get_identifiers(), Template("$a $").is_valid(), Template("$a").is_valid())
print(t.template, Template.delimiter, string.capwords(" hello   world "))

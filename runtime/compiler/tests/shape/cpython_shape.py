"""Print the bytecode shape of a Python file as CPython 3.13 compiles it.

usage: python3.13 cpython_shape.py FILE

Same format as vigil_compiler::shape: per code object (sorted by first line, qualname)
`== qualname firstline`, then `line OPNAME [->target_index] @offset` per instruction (caches
skipped, targets as instruction indices, offset in bytes as CPython reports it: the opcode's
own, after any EXTENDED_ARG prefix), then `EXC start end handler depth lasti` rows.
"""
import dis
import sys
import types


def walk(code, out):
    out.append(code)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            walk(c, out)


def main():
    path = sys.argv[1]
    src = open(path).read()
    top = compile(src, path, "exec")
    codes = []
    walk(top, codes)
    codes.sort(key=lambda c: (c.co_firstlineno if c.co_name != "<module>" else 1, c.co_qualname))
    for c in codes:
        first = c.co_firstlineno if c.co_name != "<module>" else 1
        print(f"== {c.co_qualname} {first}")
        raw = [i for i in dis.get_instructions(c) if i.opname != "CACHE"]
        instrs = [i for i in raw if i.opname != "EXTENDED_ARG"]
        index = {i.offset: n for n, i in enumerate(instrs)}
        # An offset at an EXTENDED_ARG means the instruction it prefixes.
        pending = []
        for i in raw:
            if i.opname == "EXTENDED_ARG":
                pending.append(i.offset)
            else:
                for o in pending:
                    index[o] = index[i.offset]
                pending = []
        for i in instrs:
            line = i.positions.lineno if i.positions is not None else None
            name = i.opname
            if i.jump_target is not None:
                print(f"{line} {name} ->{index[i.jump_target]} @{i.offset}")
            else:
                print(f"{line} {name} @{i.offset}")
        for e in dis._parse_exception_table(c):
            print(f"EXC {index[e.start]} {index.get(e.end, len(instrs))} {index[e.target]} {e.depth} {str(e.lasti).lower()}")


main()

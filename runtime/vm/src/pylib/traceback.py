# vigil's traceback: exceptions and traceback objects formatted as CPython 3.13 does. The
# entries themselves (source lines and position markers) are formatted natively, as vigil
# prints uncaught exceptions. Not here: the stack functions (extract_stack, format_stack,
# print_stack, walk_stack: vigil has no sys._getframe), TracebackException, and
# StackSummary (extract_tb returns a plain list of FrameSummary).

import sys
import _vigil_traceback as _native

_sentinel = object()


class FrameSummary:
    def __init__(self, filename, lineno, name, *, lookup_line=True, locals=None,
                 line=None, end_lineno=None, colno=None, end_colno=None):
        self.filename = filename
        self.lineno = lineno
        self.name = name
        self._line = line
        self.locals = locals
        self.end_lineno = end_lineno
        self.colno = colno
        self.end_colno = end_colno
        self._formatted = None

    @property
    def line(self):
        if self._line is None:
            return None
        return self._line.strip()

    def __eq__(self, other):
        if isinstance(other, FrameSummary):
            return (self.filename == other.filename and self.lineno == other.lineno
                    and self.name == other.name and self.locals == other.locals)
        if isinstance(other, tuple):
            return (self.filename, self.lineno, self.name, self.line) == other
        return NotImplemented

    def __getitem__(self, pos):
        return (self.filename, self.lineno, self.name, self.line)[pos]

    def __iter__(self):
        return iter([self.filename, self.lineno, self.name, self.line])

    def __repr__(self):
        return "<FrameSummary file {filename}, line {lineno} in {name}>".format(
            filename=self.filename, lineno=self.lineno, name=self.name)

    def __len__(self):
        return 4


def walk_tb(tb):
    while tb is not None:
        yield tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next


def extract_tb(tb, limit=None):
    out = []
    while tb is not None:
        filename, lineno, name, line = _native.entry(tb)
        fs = FrameSummary(filename, lineno, name, line=line)
        # format_list shows it as format_tb does (with position markers).
        fs._formatted = _native.format_tb(tb, 1)[0]
        out.append(fs)
        tb = tb.tb_next
    if limit is not None:
        out = out[:limit] if limit >= 0 else out[limit:]
    return out


def format_list(extracted_list):
    out = []
    for fs in extracted_list:
        if not isinstance(fs, FrameSummary):
            fs = FrameSummary(fs[0], fs[1], fs[2], line=fs[3])
        formatted = getattr(fs, "_formatted", None)
        if formatted is not None:
            out.append(formatted)
            continue
        row = '  File "{}", line {}, in {}\n'.format(fs.filename, fs.lineno, fs.name)
        if fs.line:
            row += "    {}\n".format(fs.line)
        out.append(row)
    return out


def print_list(extracted_list, file=None):
    if file is None:
        file = sys.stderr
    for item in format_list(extracted_list):
        print(item, file=file, end="")


def format_tb(tb, limit=None):
    return _native.format_tb(tb, limit)


def print_tb(tb, limit=None, file=None):
    if file is None:
        file = sys.stderr
    print("".join(format_tb(tb, limit)), file=file, end="")


def _value_of(exc, value):
    if value is _sentinel:
        return exc
    return value


def format_exception_only(exc, /, value=_sentinel):
    value = _value_of(exc, value)
    if value is None:
        return ["NoneType: None\n"]
    out = [_native.format_exception_only(value)]
    for note in getattr(value, "__notes__", ()):
        out.append("{}\n".format(note))
    return out


def _format_chain(exc, tb, limit, chain, out, seen):
    seen.add(id(exc))
    if chain:
        cause = exc.__cause__
        context = exc.__context__
        if cause is not None:
            if id(cause) not in seen:
                _format_chain(cause, cause.__traceback__, limit, chain, out, seen)
                out.append("\nThe above exception was the direct cause "
                           "of the following exception:\n\n")
        elif (context is not None and not exc.__suppress_context__
              and id(context) not in seen):
            _format_chain(context, context.__traceback__, limit, chain, out, seen)
            out.append("\nDuring handling of the above exception, "
                       "another exception occurred:\n\n")
    if tb is not None:
        out.append("Traceback (most recent call last):\n")
        out.extend(format_tb(tb, limit))
    out.extend(format_exception_only(exc))


def format_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, chain=True):
    value = _value_of(exc, value)
    if value is None:
        return ["NoneType: None\n"]
    if tb is _sentinel:
        tb = value.__traceback__
    out = []
    _format_chain(value, tb, limit, chain, out, set())
    return out


def print_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, file=None, chain=True):
    if file is None:
        file = sys.stderr
    for line in format_exception(exc, value, tb, limit=limit, chain=chain):
        print(line, file=file, end="")


def format_exc(limit=None, chain=True):
    return "".join(format_exception(sys.exception(), limit=limit, chain=chain))


def print_exc(limit=None, file=None, chain=True):
    print_exception(sys.exception(), limit=limit, file=file, chain=chain)


def print_last(limit=None, file=None, chain=True):
    raise ValueError("no last exception")


def clear_frames(tb):
    pass

//! A `dis`-like listing of code objects for debugging and for the shape tests (which compare
//! opcode names and lines against CPython's `dis`). Owns formatting only.

use std::fmt::Write;

use crate::bytecode::{CodeObject, Constant, Operand};

/// Render `code` and its nested code objects: one line per instruction,
/// `line  index  OPNAME  arg  (detail)`, then the exception table.
pub fn disassemble(code: &CodeObject) -> String {
    let mut out = String::new();
    one(code, &mut out);
    for c in &code.consts {
        if let Constant::Code(inner) = c {
            let _ = writeln!(out);
            out.push_str(&disassemble(inner));
        }
    }
    out
}

fn one(code: &CodeObject, out: &mut String) {
    let _ = writeln!(
        out,
        "Disassembly of {} (line {}):",
        code.qualname, code.first_line
    );
    let mut last_line: Option<Option<u32>> = None;
    for (i, ins) in code.instructions.iter().enumerate() {
        let line = code.line_at(i);
        let shown = if last_line != Some(line) {
            match line {
                Some(l) => format!("{l:>4}"),
                None => "  --".to_string(),
            }
        } else {
            "    ".to_string()
        };
        last_line = Some(line);
        let op = ins.op();
        let detail = match op.info().operand {
            Operand::None => String::new(),
            Operand::Const => format!(
                "{} ({})",
                ins.arg(),
                short_const(code.consts.get(ins.arg() as usize))
            ),
            Operand::Name => format!("{}", ins.arg()),
            Operand::Local => format!("{} ({})", ins.arg(), code.slot_name(ins.arg())),
            Operand::Jump => format!("to {}", ins.arg()),
            Operand::Int => format!("{}", ins.arg()),
        };
        let _ = writeln!(out, "{shown} {i:>5} {:<28}{detail}", op.name());
    }
    if !code.exception_table.is_empty() {
        let _ = writeln!(out, "ExceptionTable:");
        for e in &code.exception_table {
            let _ = writeln!(
                out,
                "  {} to {} -> {} [{}]{}",
                e.start,
                e.end,
                e.handler,
                e.depth,
                if e.push_lasti { " lasti" } else { "" }
            );
        }
    }
}

fn short_const(c: Option<&Constant>) -> String {
    match c {
        None => "?".into(),
        Some(Constant::Code(c)) => format!("<code {}>", c.qualname),
        Some(Constant::Str(s)) => format!("{s:?}"),
        Some(c) => format!("{c:?}"),
    }
}

/// The "shape" of a code tree: per code object (sorted by first line, then qualname) the
/// opcode name, line, jump target index and CPython byte offset of every instruction, plus
/// the exception table.
/// `tests/shape/cpython_shape.py` prints the same format from CPython's `dis`, so the two
/// can be compared line for line.
pub fn shape(code: &CodeObject) -> String {
    let mut all: Vec<&CodeObject> = Vec::new();
    collect(code, &mut all);
    all.sort_by(|a, b| (a.first_line, &*a.qualname).cmp(&(b.first_line, &*b.qualname)));
    let mut out = String::new();
    for c in all {
        let _ = writeln!(out, "== {} {}", c.qualname, c.first_line);
        for (i, ins) in c.instructions.iter().enumerate() {
            let line = c.line_at(i).map_or("None".to_string(), |l| l.to_string());
            let op = ins.op();
            let at = c.cpython_offset(i);
            if op.info().operand == Operand::Jump {
                let _ = writeln!(out, "{line} {} ->{} @{at}", op.name(), ins.arg());
            } else {
                let _ = writeln!(out, "{line} {} @{at}", op.name());
            }
        }
        for e in &c.exception_table {
            let _ = writeln!(
                out,
                "EXC {} {} {} {} {}",
                e.start, e.end, e.handler, e.depth, e.push_lasti
            );
        }
    }
    out
}

fn collect<'c>(code: &'c CodeObject, all: &mut Vec<&'c CodeObject>) {
    all.push(code);
    for c in &code.consts {
        if let Constant::Code(inner) = c {
            collect(inner, all);
        }
    }
}

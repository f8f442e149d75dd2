//! Rendering uncaught exceptions exactly as CPython 3.13 prints them: the chain of causes and
//! contexts, one `File "…", line N, in name` entry per frame with its stripped source line and
//! (where CPython shows them) `~~~^^^` position markers, then `Type: message`.

use crate::value::*;
use crate::vm::Vm;
use std::rc::Rc;

impl Vm {
    pub fn format_exception(&mut self, exc: &Value) -> String {
        let mut out = String::new();
        let mut seen: Vec<usize> = Vec::new();
        self.format_chain(exc, &mut out, &mut seen);
        out
    }

    fn format_chain(&mut self, exc: &Value, out: &mut String, seen: &mut Vec<usize>) {
        seen.push(exc.ptr().unwrap_or(0));
        if let Value::Instance(i) = exc
            && let Some(x) = i.exc()
        {
            let cause = x.cause.borrow().clone();
            let context = x.context.borrow().clone();
            if !cause.is_null() && !cause.is_none() {
                if !seen.contains(&cause.ptr().unwrap_or(0)) {
                    self.format_chain(&cause, out, seen);
                    out.push_str("\nThe above exception was the direct cause of the following exception:\n\n");
                }
            } else if !context.is_null()
                && !context.is_none()
                && !x.suppress_context.get()
                && !seen.contains(&context.ptr().unwrap_or(0))
            {
                self.format_chain(&context, out, seen);
                out.push_str(
                    "\nDuring handling of the above exception, another exception occurred:\n\n",
                );
            }
        }
        self.format_one(exc, out);
    }

    fn format_one(&mut self, exc: &Value, out: &mut String) {
        let tb = self.exc_traceback(exc);
        if !tb.is_none() {
            out.push_str("Traceback (most recent call last):\n");
            out.push_str(&self.format_tb(&tb, None).concat());
        }
        self.format_exception_only(exc, out);
        if let Value::Instance(inst) = exc
            && let Some(x) = inst.exc()
        {
            for n in x.notes.borrow().iter() {
                out.push_str(n);
                out.push('\n');
            }
        }
    }

    /// The `Type: message` line of `exc` (`traceback.format_exception_only` without the notes).
    pub(crate) fn format_exception_only(&mut self, exc: &Value, out: &mut String) {
        let Value::Instance(inst) = exc else {
            let t = self.type_name(exc);
            out.push_str(&t);
            out.push('\n');
            return;
        };
        let cls = inst.class.clone();
        let name = if cls.module == "builtins" || cls.module == "__main__" {
            cls.qualname.clone()
        } else {
            format!("{}.{}", cls.module, cls.qualname)
        };
        let msg = match self.to_str(exc) {
            Ok(s) => s,
            Err(_) => "<exception str() failed>".into(),
        };
        if msg.is_empty() {
            out.push_str(&name);
        } else {
            out.push_str(&format!("{name}: {msg}"));
        }
        out.push('\n');
    }

    /// The entries of traceback `tb` (outermost first), as `traceback.format_tb` gives
    /// them: the first `limit` of them when given (the last `-limit` for a negative one), and
    /// more than 3 identical consecutive entries collapsed as CPython does.
    pub(crate) fn format_tb(&mut self, tb: &Value, limit: Option<i64>) -> Vec<String> {
        let mut entries: Vec<(Rc<crate::frameobj::FrameObj>, usize)> = Vec::new();
        let mut t = tb.clone();
        while let Value::Traceback(x) = t {
            if limit.is_some_and(|n| n >= 0 && entries.len() as i64 >= n) {
                break;
            }
            entries.push((x.frame.clone(), x.lasti));
            t = x.next.clone();
        }
        if let Some(n) = limit
            && n < 0
        {
            let keep = (n.unsigned_abs() as usize).min(entries.len());
            entries.drain(..entries.len() - keep);
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < entries.len() {
            let mut j = i + 1;
            while j < entries.len()
                && Rc::ptr_eq(&entries[j].0.code, &entries[i].0.code)
                && entries[j].1 == entries[i].1
            {
                j += 1;
            }
            let run = j - i;
            for _ in 0..run.min(3) {
                let mut one = String::new();
                self.format_entry(&entries[i].0.code, entries[i].1, &mut one);
                out.push(one);
            }
            if run > 3 {
                let more = run - 3;
                out.push(format!(
                    "  [Previous line repeated {more} more time{}]\n",
                    if more == 1 { "" } else { "s" }
                ));
            }
            i = j;
        }
        out
    }

    pub(crate) fn format_entry(
        &mut self,
        code: &vigil_compiler::bytecode::CodeObject,
        pc: usize,
        out: &mut String,
    ) {
        let loc = code.locations.get(pc).copied();
        let line = loc.and_then(|l| l.line()).unwrap_or(0);
        let name = &code.name;
        out.push_str(&format!(
            "  File \"{}\", line {line}, in {name}\n",
            code.filename
        ));
        let Some(src) = self.sources.get(&*code.filename).cloned() else {
            return;
        };
        if let Some(l) = loc
            && let Some(text) = crate::carets::excerpt(&src, l)
        {
            out.push_str(&text);
        }
    }
}

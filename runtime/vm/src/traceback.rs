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
            && let Some(x) = &i.exc
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
        let Value::Instance(inst) = exc else { return };
        let tb: Vec<TbEntry> = inst
            .exc
            .as_ref()
            .map(|x| x.traceback.borrow().clone())
            .unwrap_or_default();
        if !tb.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            // Entries were recorded innermost first as the exception unwound.
            let entries: Vec<&TbEntry> = tb.iter().rev().collect();
            let mut i = 0;
            while i < entries.len() {
                // CPython collapses more than 3 identical consecutive entries.
                let mut j = i + 1;
                while j < entries.len()
                    && Rc::ptr_eq(&entries[j].code, &entries[i].code)
                    && entries[j].pc == entries[i].pc
                {
                    j += 1;
                }
                let run = j - i;
                let shown = run.min(3);
                for _ in 0..shown {
                    self.format_entry(entries[i], out);
                }
                if run > 3 {
                    let more = run - 3;
                    out.push_str(&format!(
                        "  [Previous line repeated {more} more time{}]\n",
                        if more == 1 { "" } else { "s" }
                    ));
                }
                i = j;
            }
        }
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
        if let Some(x) = &inst.exc {
            for n in x.notes.borrow().iter() {
                out.push_str(n);
                out.push('\n');
            }
        }
    }

    fn format_entry(&mut self, e: &TbEntry, out: &mut String) {
        let code = &e.code;
        let loc = code.locations.get(e.pc).copied();
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

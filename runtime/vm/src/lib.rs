//! vigil-vm: values, objects, builtins and the bytecode interpreter for vigil's Python subset.
//!
//! It owns execution: the value model (`value`), the dict/set table (`dict`), operators
//! (`ops`), attribute access (`attr`), calls and classes (`call`), the dispatch loop
//! (`frame`) with long opcode bodies in `opcodes`, generators (`gen`), iteration and
//! subscripts (`iter`), builtins, builtin methods and modules, `str`/`repr`/format, and
//! CPython-format tracebacks. It does not parse or compile (vigil-compiler), does not hold
//! CPython-exact numeric/string algorithms (vigil-support) and never loads dynamic libraries.
//!
//! # Public API
//! - [`run_main`]`(script, argv) -> RunOutcome`: run a script as `__main__` the way
//!   `python3.13 script args…` does, on a dedicated thread with a large stack; the outcome
//!   carries the exit status (0; 1 for an uncaught exception, whose traceback went to stderr;
//!   n for `SystemExit(n)`; 2 for a file that cannot be read or compiled to our subset).
//!   stdout and stderr are flushed before it returns.
//! - [`Vm`]: `Vm::new(argv)`, then [`Vm::run_main_code`]; the monitoring integration will
//!   hang its state off `Vm::monitoring` (the hook point), checked once per frame entry.
//! - [`SmallAlloc`]: the small-object allocator the `vigil` binary (and the language and
//!   corpus tests) install as `#[global_allocator]`.

mod argsig;
mod attr;
mod builtins;
mod call;
mod carets;
mod codecs;
mod dict;
mod files;
mod format;
mod frame;
mod frameobj;
pub mod fuzzing;
mod generator;
mod ic;
mod iter;
pub mod limits;
mod meta;
mod methods;
mod modules;
mod monitoring;
mod opcodes;
mod ops;
mod patma;
mod re;
mod repr;
mod sets;
mod setup;
mod shape;
mod shim;
mod small_alloc;
mod subclass;
mod traceback;
mod value;
mod vm;

#[cfg(feature = "monitoring")]
pub use monitoring::inspect::CodeInstrumentation;
#[cfg(feature = "monitoring")]
pub use monitoring::session::{Session, run_session};
pub use small_alloc::SmallAlloc;
pub use value::Value;
pub use vm::{PyErr, PyResult, Vm};

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use vigil_compiler::{CodeObject, CompileError, Mode};

/// The hard ceiling for `sys.setrecursionlimit`: the interpreter thread's stack is sized so
/// that this many nested Python frames cannot overflow it.
pub const MAX_DEPTH: usize = 20_000;

/// Stack size of the interpreter thread. Address space is reserved, not committed, so a
/// large value costs nothing until deep recursion actually uses it.
const STACK_BYTES: usize = 4 << 30;

/// What a run produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOutcome {
    /// The process exit status a CLI should use.
    pub status: i32,
}

/// Runs `script` as the main module with `sys.argv = argv` (argv[0] should be the script
/// path as the user typed it). Prints program output, tracebacks and compile errors itself.
pub fn run_main(script: &Path, argv: Vec<String>) -> RunOutcome {
    run_on_thread(script, argv, false).0
}

/// Like [`run_main`], but returns everything the program wrote to stdout and stderr (in
/// order, as one text) instead of printing it. For tests.
pub fn run_captured(script: &Path, argv: Vec<String>) -> (RunOutcome, String) {
    let (o, text) = run_on_thread(script, argv, true);
    (o, text.unwrap_or_default())
}

fn run_on_thread(script: &Path, argv: Vec<String>, capture: bool) -> (RunOutcome, Option<String>) {
    let script = script.to_path_buf();
    let handle = std::thread::Builder::new()
        .name("vigil-main".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let mut sink = if capture { Some(Vec::new()) } else { None };
            let o = run_main_inner(&script, argv, &mut sink, None);
            (o, sink.map(|b| String::from_utf8_lossy(&b).into_owned()))
        });
    match handle.map(|h| h.join()) {
        Ok(Ok(o)) => o,
        _ => {
            eprintln!("vigil: internal error: interpreter thread failed");
            (RunOutcome { status: 70 }, None)
        }
    }
}

fn emit_err(sink: &mut Option<Vec<u8>>, s: &str) {
    match sink {
        Some(b) => b.extend_from_slice(s.as_bytes()),
        None => {
            use std::io::Write;
            let _ = std::io::stderr().write_all(s.as_bytes());
        }
    }
}

/// `pre`: a VM made beforehand (a monitoring session creates its native tools against it
/// first); otherwise a fresh one with `argv`.
pub(crate) fn run_main_inner(
    script: &Path,
    argv: Vec<String>,
    sink: &mut Option<Vec<u8>>,
    pre: Option<&mut Vm>,
) -> RunOutcome {
    // CPython 3.13 makes the main script's path absolute (without resolving symlinks); it
    // shows up in tracebacks and `__file__`.
    let display = std::path::absolute(script)
        .unwrap_or_else(|_| script.to_path_buf())
        .to_string_lossy()
        .to_string();
    let src = match std::fs::read_to_string(script) {
        Ok(s) => s,
        Err(e) => {
            let abs = std::path::absolute(script).unwrap_or_else(|_| script.to_path_buf());
            emit_err(
                sink,
                &format!(
                    "vigil: can't open file '{}': [Errno {}] {}\n",
                    abs.display(),
                    e.raw_os_error().unwrap_or(2),
                    if e.kind() == std::io::ErrorKind::NotFound {
                        "No such file or directory".to_string()
                    } else {
                        e.to_string()
                    }
                ),
            );
            return RunOutcome { status: 2 };
        }
    };
    let code = match vigil_compiler::compile(&src, &display, Mode::Exec) {
        Ok(c) => c,
        Err(e) => return report_compile_error(&e, sink),
    };
    let mut owned;
    let vm: &mut Vm = match pre {
        Some(v) => v,
        None => {
            owned = Vm::new(argv);
            &mut owned
        }
    };
    vm.capture = sink.take();
    vm.script_dir = Some(
        script
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".").to_path_buf()
                } else {
                    p.to_path_buf()
                }
            })
            .unwrap_or_else(|| ".".into()),
    );
    vm.sources.insert(display.clone(), Rc::from(src.as_str()));
    // An internal error (a panic in the VM) must not lose what the program already printed:
    // flush, then let the panic continue to whoever runs us (the CLI finishes its tools).
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        vm.run_main_code(&code, &display)
    }));
    // A panic skipped the `run_frame` calls' restores of the chain of running frames: its
    // links are gone with their Rust frames, so nothing may walk it any more.
    vm.running = std::ptr::null();
    // Likewise the resumers' exception states of the generators that were running.
    vm.exc_outer.clear();
    vm.flush();
    let status = match run {
        Ok(s) => s,
        Err(p) => {
            *sink = vm.capture.take();
            std::panic::resume_unwind(p)
        }
    };
    *sink = vm.capture.take();
    RunOutcome { status }
}

fn report_compile_error(e: &CompileError, sink: &mut Option<Vec<u8>>) -> RunOutcome {
    let mut s = e.to_string();
    if !s.ends_with('\n') {
        s.push('\n');
    }
    emit_err(sink, &s);
    match e {
        CompileError::Syntax { .. } => RunOutcome { status: 1 },
        CompileError::Unsupported { .. } => RunOutcome { status: 2 },
    }
}

impl Vm {
    /// Runs compiled module code as `__main__`; returns the exit status. Uncaught
    /// exceptions are printed to stderr in CPython's format.
    pub fn run_main_code(&mut self, code: &Rc<CodeObject>, filename: &str) -> i32 {
        crate::modules::install_random_methods(self);
        let module = self.new_module("__main__");
        let Value::Module(md) = &module else {
            return 70;
        };
        let md = md.clone();
        let n = self.intern("__file__");
        Vm::table_set_str(&mut md.dict.borrow_mut(), n, Value::str(filename));
        self.main_module = Some(md.clone());
        self.modules.insert("__main__".into(), module.clone());
        let status = match self.run_module_code(code, &md) {
            Ok(()) => 0,
            Err(e) => self.handle_uncaught(e),
        };
        // Interpreter shutdown: module globals are cleared, which closes suspended
        // generators still referenced from them (their `finally` blocks run), as in CPython.
        let globals = std::mem::take(&mut *md.dict.borrow_mut());
        drop(globals);
        self.drain_abandoned();
        status
    }

    /// Exit status for an exception that reached the top, printing it as CPython does.
    pub fn handle_uncaught(&mut self, e: PyErr) -> i32 {
        if self.exc_matches(&e.0, "SystemExit") {
            let n = self.intern("code");
            let code = self.get_attr(&e.0, &n).unwrap_or(Value::None);
            return match code {
                Value::None => 0,
                Value::Int(i) => i as i32,
                Value::Bool(b) => b as i32,
                other => {
                    let s = self.to_str(&other).unwrap_or_default();
                    self.write_err(&format!("{s}\n"));
                    1
                }
            };
        }
        let text = self.format_exception(&e.0);
        self.write_err(&text);
        // CPython's status when it cannot die of SIGINT itself (see `limits`).
        if self.note_uncaught_interrupt(&e.0) {
            return 130;
        }
        1
    }

    pub fn run_module_code(
        &mut self,
        code: &Rc<CodeObject>,
        module: &Rc<value::Module>,
    ) -> PyResult<()> {
        let n = self.intern("__builtins__");
        let b = Value::Dict(self.builtins.clone());
        Vm::table_set_str(&mut module.dict.borrow_mut(), n, b);
        self.run_code(code, module.dict.clone(), None).map(|_| ())
    }

    /// Runs a module-level code object with the given globals (and optional separate locals).
    pub fn run_code(
        &mut self,
        code: &Rc<CodeObject>,
        globals: Rc<RefCell<dict::Table>>,
        locals: Option<Rc<RefCell<dict::Table>>>,
    ) -> PyResult<Value> {
        let cache = self.code_cache(code);
        // The frame reaches code and globals through a function; module code has none of its
        // own, so it gets a carrier that the program never sees.
        let carrier = Rc::new(value::Function {
            call: value::CallShape::of(&cache, code),
            code: code.clone(),
            globals: globals.clone(),
            name: RefCell::new(Value::None),
            qualname: RefCell::new(Value::None),
            defaults: RefCell::new(Vec::new()),
            kwdefaults: RefCell::new(Value::None),
            closure: RefCell::new(Vec::new()),
            cache,
            attrs: RefCell::new(Vec::new()),
            doc: RefCell::new(Value::None),
            annotations: RefCell::new(Value::None),
            module: Value::None,
        });
        let mut frame = frame::Frame::module(carrier, locals.unwrap_or(globals));
        if self.depth >= self.recursion_limit {
            return Err(self.err("RecursionError", "maximum recursion depth exceeded"));
        }
        self.depth += 1;
        let r = self.run_frame(&mut frame, None);
        self.depth -= 1;
        match r? {
            frame::Exit::Return(v) => Ok(v),
            _ => Ok(Value::None),
        }
    }
}

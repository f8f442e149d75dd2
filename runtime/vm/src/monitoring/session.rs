//! A monitoring session: the VM made first, native tools created against its Host API and
//! attached, then the program run, on the interpreter thread throughout (tool instances and
//! the VM are single-threaded). This is what `vigil run --session` drives through
//! `vigil-host`'s `ToolSet`. It does not load plugins or order their lifecycle (the host).

use crate::vm::Vm;
use std::path::{Path, PathBuf};
use vigil_plugin_api::ToolId;
use vigil_plugin_api::abi::{HostApi, ToolInstance};

/// The VM of one run, before and after the program runs.
pub struct Session {
    vm: Box<Vm>,
    script: PathBuf,
    argv: Vec<String>,
}

impl Session {
    /// The Host API to create native tools against (valid for the session).
    pub fn api(&mut self) -> HostApi {
        let path = std::path::absolute(&self.script)
            .unwrap_or_else(|_| self.script.clone())
            .to_string_lossy()
            .to_string();
        let host = self.vm.native_host();
        *host.program_path.borrow_mut() = path;
        host.api()
    }

    /// Installs a created tool's callbacks (its id was claimed through the Host API).
    pub fn attach(&mut self, tool: ToolId, instance: &ToolInstance) {
        self.vm.attach_tool(tool, instance);
    }

    /// Runs the program as `__main__` (prints its output and tracebacks); the exit status.
    pub fn run(&mut self) -> i32 {
        let mut sink = None;
        crate::run_main_inner(
            &self.script,
            self.argv.clone(),
            &mut sink,
            Some(&mut self.vm),
        )
        .status
    }

    /// Like [`Session::run`], but returns the program's stdout and stderr text (in order)
    /// instead of printing it. For tests.
    pub fn run_captured(&mut self) -> (i32, String) {
        let mut sink = Some(Vec::new());
        let status = crate::run_main_inner(
            &self.script,
            self.argv.clone(),
            &mut sink,
            Some(&mut self.vm),
        )
        .status;
        let text = String::from_utf8_lossy(&sink.unwrap_or_default()).into_owned();
        (status, text)
    }

    /// What is instrumented now in every code object the VM has entered (see
    /// [`crate::monitoring::inspect`]); after [`Session::run`], what the tools left behind.
    pub fn instrumentation(&self) -> Vec<crate::monitoring::inspect::CodeInstrumentation> {
        self.vm.instrumentation()
    }

    /// Tools disabled during the run because a callback failed: (tool, reason).
    pub fn faults(&mut self) -> Vec<(ToolId, String)> {
        self.vm.native_host().faults()
    }
}

/// Runs `body` on the interpreter thread with a fresh [`Session`] for `script` (`argv[0]`
/// should be the script path as typed). `None` if the interpreter thread failed.
pub fn run_session<R: Send + 'static>(
    script: &Path,
    argv: Vec<String>,
    body: impl FnOnce(&mut Session) -> R + Send + 'static,
) -> Option<R> {
    let script = script.to_path_buf();
    let handle = std::thread::Builder::new()
        .name("vigil-main".into())
        .stack_size(crate::STACK_BYTES)
        .spawn(move || {
            let mut s = Session {
                vm: Box::new(Vm::new(argv.clone())),
                script,
                argv,
            };
            body(&mut s)
        });
    handle.ok()?.join().ok()
}

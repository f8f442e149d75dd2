//! Entry points for the fuzz targets (`fuzz/`) and their corpus replay tests: run a source
//! text to completion under a step budget with output captured, optionally with a native
//! tool that has every event on. It owns the "every event" tool used for the differential
//! target. It does not own the budget itself (`limits`) or how tools are attached
//! (`monitoring/native.rs`).
//!
//! # Public API
//! - [`run_source`]`(src, budget, all_events) -> Option<Outcome>`: `None` when `src` does not
//!   compile to our subset; otherwise the exit status and everything printed.

use crate::vm::Vm;
use std::rc::Rc;
use vigil_compiler::Mode;

/// The file name fuzzed programs run under (shows up in tracebacks).
pub const FILENAME: &str = "<fuzz>";

/// What one run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: i32,
    /// stdout and stderr, in order.
    pub output: String,
    /// True when the step budget ran out (the output then depends on the budget).
    pub out_of_budget: bool,
}

/// Compiles and runs `src` as `__main__` on a thread with the interpreter's usual stack,
/// stopping after `budget` steps (see [`Vm::set_step_budget`]). With `all_events` a native
/// tool listening to every event is attached first (monitoring feature only; otherwise the
/// flag is ignored). Panics inside the VM propagate, which is what the fuzzer looks for.
pub fn run_source(src: &str, budget: u64, all_events: bool) -> Option<Outcome> {
    let text = src.to_string();
    let handle = std::thread::Builder::new()
        .name("vigil-fuzz".into())
        .stack_size(crate::STACK_BYTES)
        .spawn(move || {
            let code = vigil_compiler::compile(&text, FILENAME, Mode::Exec).ok()?;
            let mut vm = Box::new(Vm::new(vec![FILENAME.to_string()]));
            #[cfg(feature = "monitoring")]
            let tool = all_events.then(|| every_event::attach(&mut vm));
            #[cfg(not(feature = "monitoring"))]
            let _ = all_events;
            vm.set_step_budget(Some(budget));
            vm.capture = Some(Vec::new());
            vm.sources
                .insert(FILENAME.to_string(), Rc::from(text.as_str()));
            let status = vm.run_main_code(&code, FILENAME);
            vm.flush();
            let output =
                String::from_utf8_lossy(&vm.capture.take().unwrap_or_default()).into_owned();
            #[cfg(feature = "monitoring")]
            if let Some(t) = tool {
                every_event::finish(t, status);
            }
            let out_of_budget = output.contains(crate::limits::BUDGET_MESSAGE);
            Some(Outcome {
                status,
                output,
                out_of_budget,
            })
        })
        .expect("spawn the interpreter thread");
    match handle.join() {
        Ok(o) => o,
        Err(p) => std::panic::resume_unwind(p),
    }
}

#[cfg(feature = "monitoring")]
mod every_event {
    //! A native tool with a callback for every event; it only counts, so it cannot change
    //! what the program does (it never calls back into guest code).

    use crate::vm::Vm;
    use vigil_plugin_api::abi::ToolInstance;
    use vigil_plugin_api::sdk::{Code, Host, Tool, Value, create_in_process};
    use vigil_plugin_api::{Action, EventSet, PluginError, ToolId};

    pub struct EveryEvent {
        seen: u64,
    }

    const ALL: EventSet = EventSet::from_bits_truncate((1 << 17) - 1);

    impl Tool for EveryEvent {
        const NAME: &'static str = "fuzz-every-event";
        const VERSION: &'static str = "0";
        const EVENTS: EventSet = ALL;

        fn create(host: &Host, _settings: &str) -> Result<Self, PluginError> {
            host.set_events(ALL)?;
            Ok(EveryEvent { seen: 0 })
        }
        fn py_start(&mut self, _: &Host, _: Code<'_>, _: u32) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn py_resume(&mut self, _: &Host, _: Code<'_>, _: u32) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn py_return(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn py_yield(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn line(&mut self, _: &Host, _: Code<'_>, _: u32) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn instruction(&mut self, _: &Host, _: Code<'_>, _: u32) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn jump(&mut self, _: &Host, _: Code<'_>, _: u32, _: u32) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn branch(&mut self, _: &Host, _: Code<'_>, _: u32, _: u32) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn raise(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn py_unwind(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn py_throw(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
        fn reraise(&mut self, _: &Host, _: Code<'_>, _: u32, _: Value<'_>) -> Action {
            self.seen += 1;
            Action::CONTINUE
        }
    }

    /// Claims tool id 5 and attaches the tool to `vm`.
    pub fn attach(vm: &mut Vm) -> ToolInstance {
        let api = vm.native_host().api();
        let id = ToolId::new(5).expect("tool id");
        (api.vtable.use_tool_id())(api.ctx, 5, EveryEvent::NAME.into())
            .into_result()
            .expect("use_tool_id");
        let inst = create_in_process::<EveryEvent>(api, id, "").expect("create");
        vm.attach_tool(id, &inst);
        inst
    }

    pub fn finish(inst: ToolInstance, status: i32) {
        let _ = (inst.callbacks.finish())(inst.state, status).into_result();
        (inst.callbacks.release())(inst.state);
    }
}

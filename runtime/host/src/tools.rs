//! The lifecycle of a session's tools: resolve each `[[tool]]` to a library, load it, give it
//! an id, create it through a Host API, and at the end run every `finish` and `release`.
//!
//! The backend that implements the Host API (the VM's monitoring core, or
//! [`crate::DetachedHost`]) is passed in: this module only sequences the calls and turns
//! failures into messages that name the tool. A tool that faults while the program runs is
//! marked with [`ToolSet::mark_faulted`]; its `finish` is skipped (its state may be broken)
//! but it is still released.

use std::path::PathBuf;

use abi_stable::std_types::RStr;
use vigil_plugin_api::ToolId;
use vigil_plugin_api::abi::{HostApi, PluginErrorKind, ToolInstance};

use crate::discovery::{SearchPath, Warning};
use crate::error::{ConfigError, ConfigErrorKind};
use crate::loader::{LoadedPlugin, load_isolated, load_library};
use crate::session::{ToolSource, ToolSpec, assign_ids, check_unique_ids};

/// A tool whose library is loaded and whose id is decided.
#[derive(Debug, Clone)]
pub struct ResolvedTool {
    /// The session entry.
    pub spec: ToolSpec,
    /// Its id.
    pub id: ToolId,
    /// The library file.
    pub path: PathBuf,
    /// The loaded root module.
    pub plugin: LoadedPlugin,
}

/// Finds and loads every tool; all errors are collected, not just the first. With
/// `probe_exe`, each library is first opened in a probe process ([`load_isolated`]).
pub fn resolve(
    specs: &[ToolSpec],
    search: &SearchPath,
    probe_exe: Option<&std::path::Path>,
) -> Result<(Vec<ResolvedTool>, Vec<Warning>), Vec<ConfigError>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if let Err(e) = check_unique_ids(specs) {
        errors.push(*e);
    }
    let ids = match assign_ids(specs) {
        Ok(ids) => ids,
        Err(e) => {
            errors.push(*e);
            return Err(errors);
        }
    };
    let mut out = Vec::new();
    for (spec, id) in specs.iter().zip(ids) {
        let fail = |kind| {
            ConfigError::new(
                &spec.origin.file,
                spec.origin.line,
                Some(spec.origin.key(match spec.source {
                    ToolSource::Plugin(_) => "tool.plugin",
                    ToolSource::Path(_) => "tool.path",
                })),
                kind,
            )
        };
        let path = match &spec.source {
            ToolSource::Path(path) => path.clone(),
            ToolSource::Plugin(name) => match search.find(name) {
                Ok((path, w)) => {
                    warnings.extend(w);
                    path
                }
                Err(kind) => {
                    errors.push(fail(kind));
                    continue;
                }
            },
        };
        let loaded = match probe_exe {
            Some(exe) => load_isolated(&path, exe),
            None => load_library(&path),
        };
        match loaded {
            Ok(plugin) => out.push(ResolvedTool {
                spec: spec.clone(),
                id,
                path,
                plugin,
            }),
            Err(reason) => errors.push(fail(ConfigErrorKind::Refused {
                what: format!("{} ({})", spec.source.describe(), path.display()),
                reason,
            })),
        }
    }
    if errors.is_empty() {
        Ok((out, warnings))
    } else {
        Err(errors)
    }
}

/// Whether a tool is still in service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolStatus {
    /// Receiving events.
    Active,
    /// Disabled after a fault, with the reason.
    Faulted(String),
}

/// A created tool.
pub struct RunningTool {
    /// The plugin's name.
    pub name: String,
    /// Its id.
    pub id: ToolId,
    /// The library file.
    pub path: PathBuf,
    /// The state and vtable `create` returned.
    pub instance: ToolInstance,
    /// Still active?
    pub status: ToolStatus,
}

impl RunningTool {
    /// `` `name` (tool N) ``, for messages.
    pub fn label(&self) -> String {
        format!("`{}` (tool {})", self.name, self.id)
    }
}

/// A problem reported at the end of the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishProblem {
    /// Which tool, labelled.
    pub tool: String,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for FinishProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "tool {}: {}", self.tool, self.message)
    }
}

/// The session's created tools, ordered by id.
pub struct ToolSet {
    tools: Vec<RunningTool>,
    finished: bool,
}

impl ToolSet {
    /// Creates every tool: `use_tool_id(id, name)` through `api`, then the plugin's `create`,
    /// then `attach` (the backend installs the vtable). If any fails, the tools created so far
    /// are released and their ids freed, and the errors are returned: nothing runs.
    pub fn create(
        api: HostApi,
        resolved: Vec<ResolvedTool>,
        mut attach: impl FnMut(ToolId, &ToolInstance),
    ) -> Result<ToolSet, Vec<ConfigError>> {
        let mut set = ToolSet {
            tools: Vec::new(),
            finished: false,
        };
        let mut errors = Vec::new();
        for r in resolved {
            let name = r.plugin.name().to_owned();
            let id_raw = r.id.index() as i32;
            let fail = |kind: ConfigErrorKind| {
                let key = match kind {
                    ConfigErrorKind::SettingsRejected { .. } => "tool.settings",
                    _ => "tool",
                };
                ConfigError::new(
                    &r.spec.origin.file,
                    r.spec.origin.line,
                    Some(r.spec.origin.key(key)),
                    kind,
                )
            };
            if let Err(e) =
                (api.vtable.use_tool_id())(api.ctx, id_raw, RStr::from_str(&name)).into_result()
            {
                errors.push(fail(ConfigErrorKind::CreateFailed {
                    plugin: name,
                    message: e.to_string(),
                }));
                continue;
            }
            let created = (r.plugin.module.create())(api, r.id, RStr::from_str(&r.spec.settings));
            match created.into_result() {
                Ok(instance) => {
                    attach(r.id, &instance);
                    set.tools.push(RunningTool {
                        name,
                        id: r.id,
                        path: r.path,
                        instance,
                        status: ToolStatus::Active,
                    });
                }
                Err(e) => {
                    let _ = (api.vtable.free_tool_id())(api.ctx, id_raw);
                    let message = e.to_string();
                    errors.push(fail(if e.kind == PluginErrorKind::SETTINGS {
                        ConfigErrorKind::SettingsRejected {
                            plugin: name,
                            message,
                        }
                    } else {
                        ConfigErrorKind::CreateFailed {
                            plugin: name,
                            message,
                        }
                    }));
                }
            }
        }
        if errors.is_empty() {
            set.tools.sort_by_key(|t| t.id);
            Ok(set)
        } else {
            for t in &set.tools {
                let _ = (api.vtable.free_tool_id())(api.ctx, t.id.index() as i32);
            }
            set.release_all();
            Err(errors)
        }
    }

    /// The tools, by ascending id.
    pub fn tools(&self) -> &[RunningTool] {
        &self.tools
    }

    /// Marks `id` as disabled after a fault (the backend has already stopped its events);
    /// returns the message to show, naming the tool.
    pub fn mark_faulted(&mut self, id: ToolId, reason: &str) -> Option<String> {
        let tool = self.tools.iter_mut().find(|t| t.id == id)?;
        if tool.status != ToolStatus::Active {
            return None;
        }
        tool.status = ToolStatus::Faulted(reason.to_owned());
        Some(format!(
            "tool {} disabled: {reason}; the program continues without it",
            tool.label()
        ))
    }

    /// Runs every active tool's `finish` with the program's exit status, then releases every
    /// tool. Returns the failures, each naming its tool; one tool's failure does not stop the
    /// others' reports.
    pub fn finish(mut self, exit_code: i32) -> Vec<FinishProblem> {
        let mut problems = Vec::new();
        for t in &self.tools {
            if t.status != ToolStatus::Active {
                continue;
            }
            let result = (t.instance.callbacks.finish())(t.instance.state, exit_code);
            if let Err(e) = result.into_result() {
                problems.push(FinishProblem {
                    tool: t.label(),
                    message: format!("finish failed: {e}"),
                });
            }
        }
        self.release_all();
        problems
    }

    fn release_all(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        for t in self.tools.drain(..) {
            (t.instance.callbacks.release())(t.instance.state);
        }
    }
}

impl Drop for ToolSet {
    /// A tool set dropped without `finish` (an early error) still frees the plugins' state.
    fn drop(&mut self) {
        self.release_all();
    }
}

#[cfg(test)]
mod tests {
    /// The VM runs the program on its own thread: resolved (loaded, not yet created) tools
    /// must be able to move there, so that they can be created against the VM's Host API.
    #[test]
    fn resolved_tools_can_move_to_the_vm_thread() {
        fn send<T: Send>() {}
        send::<super::ResolvedTool>();
    }
}

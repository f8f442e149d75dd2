//! The three subcommands, as sequences of `vigil-host` calls.
//!
//! `run` resolves the session's tools (find, probe and load each library: configuration
//! errors end here with status 2), then [`run_program`] creates them against the VM's Host
//! API (`vigil_vm::run_session`; `attach` installs each vtable in the VM's monitoring state),
//! runs the program, reports the tools the VM disabled after a failed callback and finishes
//! every tool with the program's exit status. `check` creates tools against
//! [`DetachedHost`], which needs no program.

use std::path::{Path, PathBuf};

use vigil_host::{
    ConfigError, DetachedHost, ResolvedTool, SearchPath, SessionConfig, ToolSet, ToolSpec,
    load_session_file, parse_tool_flag, probe, resolve,
};
use vigil_plugin_api::Event;

use crate::render;
use crate::{CheckArgs, PluginsArgs, RunArgs};

const CONFIG_ERROR: u8 = 2;
/// EX_SOFTWARE, as `vigil_vm::run_main` uses when its thread fails.
#[cfg(feature = "monitoring")]
const INTERNAL_ERROR: i32 = 70;

fn session_or_exit(path: Option<&Path>, verbose: bool) -> Result<Option<SessionConfig>, u8> {
    match path {
        None => Ok(None),
        Some(p) => match load_session_file(p) {
            Ok(s) => Ok(Some(s)),
            Err(errors) => {
                render::config_errors(&errors, verbose);
                Err(CONFIG_ERROR)
            }
        },
    }
}

/// Parses the session and flags, then finds, probes and loads every plugin. Errors are
/// printed; `Err` carries the exit status.
fn resolve_tools(
    session: Option<&SessionConfig>,
    flags: &[String],
    plugin_dirs: &[PathBuf],
    verbose: bool,
) -> Result<Vec<ResolvedTool>, u8> {
    let mut specs: Vec<ToolSpec> = session.map(|s| s.tools.clone()).unwrap_or_default();
    let mut errors: Vec<ConfigError> = Vec::new();
    for f in flags {
        match parse_tool_flag(f) {
            Ok(spec) => specs.push(spec),
            Err(e) => errors.push(*e),
        }
    }
    if !errors.is_empty() {
        render::config_errors(&errors, verbose);
        return Err(CONFIG_ERROR);
    }
    let session_dirs = session.map(|s| s.plugin_dirs.clone()).unwrap_or_default();
    let search = SearchPath::from_environment(plugin_dirs, &session_dirs);
    let probe_exe = std::env::current_exe().ok();
    let (resolved, warnings) =
        resolve(&specs, &search, probe_exe.as_deref()).map_err(|errors| {
            render::config_errors(&errors, verbose);
            CONFIG_ERROR
        })?;
    render::warnings(&warnings);
    Ok(resolved)
}

/// Creates the resolved tools against `host`; a plugin refusing to start is a configuration
/// error (printed; `Err` carries the exit status).
fn create_tools(
    host: &DetachedHost,
    resolved: Vec<ResolvedTool>,
    verbose: bool,
) -> Result<ToolSet, u8> {
    ToolSet::create(host.api(), resolved, |id, instance| {
        host.attach(id, instance)
    })
    .map_err(|errors| {
        render::config_errors(&errors, verbose);
        CONFIG_ERROR
    })
}

/// Creates the tools against the VM's Host API, runs the program, reports faulted tools,
/// finishes every tool; returns the exit status for vigil. All of it happens on the
/// interpreter thread (`vigil_vm::run_session`), where tool instances live.
fn run_program(resolved: Vec<ResolvedTool>, script: &Path, argv: Vec<String>, verbose: bool) -> u8 {
    if resolved.is_empty() {
        let status = vigil_vm::run_main(script, argv).status;
        return (status & 0xff) as u8;
    }
    run_with_tools(resolved, script, argv, verbose)
}

/// The baseline binary built without the `monitoring` feature (for the cost benchmark) has no
/// Host API to attach tools to.
#[cfg(not(feature = "monitoring"))]
fn run_with_tools(_: Vec<ResolvedTool>, _: &Path, _: Vec<String>, _: bool) -> u8 {
    eprintln!("vigil: this build has no monitoring (built without the `monitoring` feature)");
    CONFIG_ERROR
}

#[cfg(feature = "monitoring")]
fn run_with_tools(
    resolved: Vec<ResolvedTool>,
    script: &Path,
    argv: Vec<String>,
    verbose: bool,
) -> u8 {
    let ran = vigil_vm::run_session(script, argv, move |s| {
        let api = s.api();
        let created = ToolSet::create(api, resolved, |id, instance| s.attach(id, instance));
        let mut tools = match created {
            Ok(t) => t,
            Err(errors) => {
                render::config_errors(&errors, verbose);
                return CONFIG_ERROR;
            }
        };
        // An internal error (a VM panic) still ends with every tool's report written; the
        // panic message is already on stderr and the program's output was flushed.
        let status = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| s.run()))
            .unwrap_or_else(|_| {
                eprintln!("vigil: internal error: the interpreter panicked");
                INTERNAL_ERROR
            });
        for (tool, reason) in s.faults() {
            if let Some(msg) = tools.mark_faulted(tool, &reason) {
                eprintln!("vigil: {msg}");
            }
        }
        for p in tools.finish(status) {
            eprintln!("vigil: {p}");
        }
        // Exit statuses wrap like a POSIX process's.
        (status & 0xff) as u8
    });
    ran.unwrap_or_else(|| {
        eprintln!("vigil: internal error: interpreter thread failed");
        70
    })
}

pub fn run(a: RunArgs) -> u8 {
    let session = match session_or_exit(a.session.as_deref(), a.verbose) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let resolved = match resolve_tools(session.as_ref(), &a.tools, &a.plugin_dirs, a.verbose) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut argv = vec![a.script.display().to_string()];
    argv.extend(a.args.iter().cloned());
    run_program(resolved, &a.script, argv, a.verbose)
}

/// The hidden probe subcommand: load one library and exit 0 whatever the verdict. Only a
/// library that kills its opener makes this process fail (see `vigil_host::load_isolated`).
pub fn probe_library(path: &Path) -> u8 {
    let _ = vigil_host::load_library(path);
    0
}

pub fn check(a: CheckArgs) -> u8 {
    let session = match session_or_exit(Some(&a.session), a.verbose) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let host = DetachedHost::new();
    let tools = match resolve_tools(session.as_ref(), &[], &a.plugin_dirs, a.verbose)
        .and_then(|resolved| create_tools(&host, resolved, a.verbose))
    {
        Ok(t) => t,
        Err(code) => return code,
    };
    for t in tools.tools() {
        println!("tool {}: {} ({})", t.id, t.name, t.path.display());
    }
    // The tools were created only to validate them: release without running finish, so
    // that no reports are written by a check.
    drop(tools);
    println!("{}: ok", a.session.display());
    0
}

fn event_list(events: vigil_plugin_api::EventSet) -> String {
    if events.is_empty() {
        return "-".to_owned();
    }
    events
        .events()
        .map(Event::name)
        .collect::<Vec<_>>()
        .join(",")
}

pub fn plugins(a: PluginsArgs) -> u8 {
    let session = match session_or_exit(a.session.as_deref(), a.verbose) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let session_dirs = session.map(|s| s.plugin_dirs).unwrap_or_default();
    let search = SearchPath::from_environment(&a.plugin_dirs, &session_dirs);
    println!("search path (in order):");
    for d in search.dirs() {
        println!("  {} [{}]", d.path.display(), d.origin);
    }
    let (candidates, warnings) = search.scan();
    let probe_exe = std::env::current_exe().ok();
    let mut rows = vec![[
        "NAME".to_owned(),
        "VERSION".to_owned(),
        "EVENTS".to_owned(),
        "FILE".to_owned(),
        "STATUS".to_owned(),
    ]];
    let mut details = Vec::new();
    for c in &candidates {
        let file = c.path.display().to_string();
        if let Some(winner) = &c.shadowed_by {
            rows.push([
                c.name.clone(),
                "-".into(),
                "-".into(),
                file,
                format!("shadowed by {}", winner.display()),
            ]);
            continue;
        }
        let p = probe(&c.path, probe_exe.as_deref());
        match p.result {
            Ok(plugin) => {
                let status = if plugin.name().replace('-', "_") == c.name {
                    "ok".to_owned()
                } else {
                    format!("ok (calls itself `{}`)", plugin.name())
                };
                rows.push([
                    c.name.clone(),
                    plugin.version().to_owned(),
                    event_list(plugin.events()),
                    file,
                    status,
                ]);
            }
            Err(e) => {
                if a.verbose
                    && let Some(d) = e.details()
                {
                    details.push((file.clone(), d.to_owned()));
                }
                rows.push([
                    c.name.clone(),
                    "-".into(),
                    "-".into(),
                    file,
                    format!("refused: {e}"),
                ]);
            }
        }
    }
    if candidates.is_empty() {
        println!("no plugins found");
    } else {
        let widths: Vec<usize> = (0..5)
            .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
            .collect();
        for r in &rows {
            let line: Vec<String> = r
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, w))| {
                    if i == 4 {
                        cell.clone()
                    } else {
                        format!("{cell:<w$}")
                    }
                })
                .collect();
            println!("{}", line.join("  ").trim_end());
        }
    }
    for (file, d) in details {
        println!("\nfull report for {file}:\n{d}");
    }
    render::warnings(&warnings);
    0
}

//! The three subcommands, as sequences of `vigil-host` calls.
//!
//! `run` creates the session's tools, runs the program with `vigil_vm::run_main`, and then
//! finishes every tool with the program's exit status. The VM does not deliver events to
//! native tools yet (its monitoring integration is the next phase): until then the tools are
//! created against [`DetachedHost`] and see only their lifecycle. [`execute`] is the one place
//! that changes when the VM's Host API backend lands.

use std::path::{Path, PathBuf};

use vigil_host::{
    ConfigError, DetachedHost, SearchPath, SessionConfig, ToolSet, ToolSpec, load_session_file,
    parse_tool_flag, probe, resolve,
};
use vigil_plugin_api::Event;

use crate::render;
use crate::{CheckArgs, PluginsArgs, RunArgs};

const CONFIG_ERROR: u8 = 2;
/// The status when the program could not be run at all for a reason other than configuration
/// (sysexits' EX_SOFTWARE).
const NOT_RUN: u8 = 70;

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

/// Parses the session and flags, finds and loads every plugin, and creates every tool
/// against `host`. Errors are printed; `Err` carries the exit status.
fn start_tools(
    session: Option<&SessionConfig>,
    flags: &[String],
    plugin_dirs: &[PathBuf],
    verbose: bool,
    host: &DetachedHost,
) -> Result<ToolSet, u8> {
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
    ToolSet::create(host.api(), resolved, |id, instance| {
        host.attach(id, instance)
    })
    .map_err(|errors| {
        render::config_errors(&errors, verbose);
        CONFIG_ERROR
    })
}

/// Runs the program. Returns its exit status, or `None` if it could not be run.
fn execute(script: &Path, argv: &[String], _host: &DetachedHost) -> Option<i32> {
    Some(vigil_vm::run_main(script, argv.to_vec()).status)
}

/// Reports the tools the backend disabled during the run.
fn report_faults(tools: &mut ToolSet, host: &DetachedHost) {
    for fault in host.faults() {
        if let Some(msg) = tools.mark_faulted(fault.tool, &fault.reason) {
            eprintln!("vigil: {msg}");
        }
    }
}

pub fn run(a: RunArgs) -> u8 {
    let session = match session_or_exit(a.session.as_deref(), a.verbose) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let host = DetachedHost::new();
    let mut tools = match start_tools(session.as_ref(), &a.tools, &a.plugin_dirs, a.verbose, &host)
    {
        Ok(t) => t,
        Err(code) => return code,
    };
    let mut argv = vec![a.script.display().to_string()];
    argv.extend(a.args.iter().cloned());
    let status = execute(&a.script, &argv, &host);
    report_faults(&mut tools, &host);
    let problems = tools.finish(status.unwrap_or(i32::from(NOT_RUN)));
    for p in &problems {
        eprintln!("vigil: {p}");
    }
    match status {
        // Exit statuses wrap like a POSIX process's.
        Some(code) => (code & 0xff) as u8,
        None => NOT_RUN,
    }
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
    let tools = match start_tools(session.as_ref(), &[], &a.plugin_dirs, a.verbose, &host) {
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

//! The `vigil` command line: parses arguments, drives `vigil-host` and renders its
//! diagnostics for a terminal.
//!
//! Exit statuses: the program's own status for `run` (0, 1 for an uncaught exception, n for
//! `SystemExit(n)`); 2 for a usage or configuration error, in which case nothing runs; 0/2 for
//! `check`; 0 for `plugins`. All loading, validation and lifecycle logic lives in
//! `vigil-host`; this crate only decides what to print and in which order.

mod render;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Small blocks from per-thread free lists, the rest from the system (`vigil_vm::SmallAlloc`).
#[global_allocator]
static ALLOC: vigil_vm::SmallAlloc = vigil_vm::SmallAlloc;

/// Run Python programs under native monitoring tools (CPython 3.13 `sys.monitoring` semantics).
#[derive(Parser, Debug)]
#[command(name = "vigil", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run SCRIPT with the tools of a session (and/or --tool flags).
    Run(RunArgs),
    /// List the plugins found on the search path, and whether each loads.
    Plugins(PluginsArgs),
    /// Validate a session file and load its plugins, without running anything.
    Check(CheckArgs),
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// The session file naming the tools, their ids and settings.
    #[arg(long, value_name = "FILE")]
    session: Option<PathBuf>,
    /// Add a tool by plugin name, optionally with an id (NAME or NAME=ID; default: first free id).
    #[arg(long = "tool", value_name = "NAME[=ID]")]
    tools: Vec<String>,
    /// Search DIR for plugins first (may be repeated).
    #[arg(long = "plugin-dir", value_name = "DIR")]
    plugin_dirs: Vec<PathBuf>,
    /// Show full reports (the complete ABI layout report for refused plugins).
    #[arg(long)]
    verbose: bool,
    /// The Python program.
    script: PathBuf,
    /// Arguments for the program (`sys.argv[1:]`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

#[derive(clap::Args, Debug)]
struct PluginsArgs {
    /// Search DIR for plugins first (may be repeated).
    #[arg(long = "plugin-dir", value_name = "DIR")]
    plugin_dirs: Vec<PathBuf>,
    /// Also search the session's plugin_dirs.
    #[arg(long, value_name = "FILE")]
    session: Option<PathBuf>,
    /// Show full reports for refused plugins.
    #[arg(long)]
    verbose: bool,
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// The session file to validate.
    #[arg(long, value_name = "FILE")]
    session: PathBuf,
    /// Search DIR for plugins first (may be repeated).
    #[arg(long = "plugin-dir", value_name = "DIR")]
    plugin_dirs: Vec<PathBuf>,
    /// Show full reports for refused plugins.
    #[arg(long)]
    verbose: bool,
}

fn main() -> ExitCode {
    // The loader's probe process (not a user command, so not in clap's help).
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if raw.len() == 3 && raw[1] == vigil_host::PROBE_SUBCOMMAND {
        return ExitCode::from(run::probe_library(std::path::Path::new(&raw[2])));
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 2 for usage errors and 0 for --help/--version, as we want.
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let status = match cli.command {
        Command::Run(a) => {
            // Ctrl-C becomes the guest's KeyboardInterrupt; a runaway heap its MemoryError.
            vigil_vm::limits::install_sigint_handler();
            match vigil_vm::limits::memory_limit_from_env() {
                Ok(Some(limit)) => vigil_vm::limits::start_memory_watchdog(limit),
                Ok(None) => {}
                Err(msg) => {
                    eprintln!("vigil: {msg}");
                    return ExitCode::from(2);
                }
            }
            let status = run::run(a);
            // After every report is written: die of SIGINT as CPython does.
            vigil_vm::limits::exit_if_interrupted();
            status
        }
        Command::Plugins(a) => run::plugins(a),
        Command::Check(a) => run::check(a),
    };
    ExitCode::from(status)
}

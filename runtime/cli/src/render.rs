//! How diagnostics look on stderr: one `vigil: error:` line per problem, an indented hint,
//! and the long report only when `--verbose` asks for it.

use vigil_host::{ConfigError, ConfigErrorKind, Warning};

/// Prints configuration errors, each with its hint.
pub fn config_errors(errors: &[ConfigError], verbose: bool) {
    for e in errors {
        eprintln!("vigil: error: {e}");
        eprintln!("  hint: {}", e.hint());
        if let ConfigErrorKind::Refused { reason, .. } = &e.kind
            && let Some(details) = reason.details()
            && verbose
        {
            eprintln!("  full report:");
            for line in details.lines() {
                eprintln!("    {line}");
            }
        }
    }
    let n = errors.len();
    eprintln!(
        "vigil: {n} configuration error{}; nothing was run",
        if n == 1 { "" } else { "s" }
    );
}

/// Prints warnings.
pub fn warnings(warnings: &[Warning]) {
    for w in warnings {
        eprintln!("vigil: warning: {w}");
    }
}

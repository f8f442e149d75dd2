//! vigil's coverage plugin: line coverage, and branch coverage with `branch = true`.
//!
//! Cost: each line costs one LINE callback for the whole run (the callback answers DISABLE);
//! each branch direction costs one BRANCH callback when the host offers
//! `disable_branch_direction`, and the branch is DISABLEd once both directions were seen (see
//! `collect.rs`). Statements are the lines of the line tables of every code object of a file,
//! found by walking nested code objects from the first one seen, so functions that never ran
//! count as missed. Reports (`report = [...]`): `text`, `lcov:PATH`, `cobertura:PATH`,
//! `json:PATH`, `html:DIR` (see `report.rs`); each is written even if another fails, and
//! `finish` then fails naming every report it could not write.
//!
//! This file is the SDK glue only: [`collect`] records, [`analysis`] computes, [`report`]
//! renders, [`settings`] validates.
//!
//! Host API used: `set_events`; code views `filename`, `qualname`, `first_line`,
//! `line_table`, `children`, `branches` (optional: without it branch coverage only knows the
//! directions it saw); `disable_branch_direction` (optional: without it a branch keeps
//! reporting its first direction until the second is seen).

pub mod analysis;
pub mod collect;
pub mod report;
pub mod settings;

use std::time::{SystemTime, UNIX_EPOCH};

use vigil_plugin_api::{
    Action, Code, CodeHandle, EventSet, Host, PluginError, Tool, export_plugin,
};

use analysis::FileCoverage;
use collect::{CodeDesc, CodeSource, Collector};
use settings::{Report, Settings};

/// Describes code objects through the Host API.
struct HostSource<'h>(&'h Host);

impl CodeSource for HostSource<'_> {
    fn describe(&self, code: CodeHandle) -> Option<CodeDesc> {
        let c = self.0.code(code);
        Some(CodeDesc {
            filename: c.filename().ok()?,
            qualname: c.qualname().unwrap_or_default(),
            first_line: c.first_line().unwrap_or(1),
            lines: c.line_table().ok()?,
            branches: c.branches().ok(),
            children: c.children().unwrap_or_default(),
        })
    }
}

/// The coverage tool.
pub struct Coverage {
    settings: Settings,
    collector: Collector,
    /// Cleared when the host refuses `disable_branch_direction`, so it is asked only once.
    per_direction: bool,
}

impl Tool for Coverage {
    const NAME: &'static str = "coverage";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const EVENTS: EventSet = EventSet::LINE.union(EventSet::BRANCH);

    fn create(host: &Host, settings: &str) -> Result<Self, PluginError> {
        let settings = Settings::parse(settings).map_err(PluginError::settings)?;
        let mut events = EventSet::LINE;
        if settings.branch {
            events |= EventSet::BRANCH;
        }
        host.set_events(events)?;
        Ok(Coverage {
            settings,
            collector: Collector::new(),
            per_direction: true,
        })
    }

    fn line(&mut self, host: &Host, code: Code<'_>, line: u32) -> Action {
        self.collector.line(&HostSource(host), code.handle(), line);
        Action::DISABLE
    }

    fn branch(&mut self, host: &Host, code: Code<'_>, offset: u32, dest: u32) -> Action {
        let answer = self
            .collector
            .branch(&HostSource(host), code.handle(), offset, dest);
        if answer.disable_direction
            && self.per_direction
            && host
                .disable_branch_direction(code.handle(), offset, dest)
                .is_err()
        {
            self.per_direction = false;
        }
        if answer.disable {
            Action::DISABLE
        } else {
            Action::CONTINUE
        }
    }

    fn finish(&mut self, _host: &Host, _exit_code: i32) -> Result<(), PluginError> {
        let cwd = std::env::current_dir()
            .ok()
            .map(|p| p.to_string_lossy().into_owned());
        let files: Vec<FileCoverage> = analysis::analyse(&self.collector, cwd.as_deref())
            .into_iter()
            .filter(|f| self.settings.wants_file(&f.path))
            .collect();
        let errors = write_reports(&self.settings, &files, cwd.as_deref().unwrap_or("."));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(PluginError::failed(errors.join("; ")))
        }
    }
}

/// Writes every report; returns one message per report that could not be written.
pub fn write_reports(settings: &Settings, files: &[FileCoverage], cwd: &str) -> Vec<String> {
    let branch = settings.branch;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let mut errors = Vec::new();
    for r in &settings.reports {
        let result = match r {
            Report::Text(None) => {
                eprint!("{}", report::text(files, branch));
                Ok(())
            }
            Report::Text(Some(p)) => write(p, &report::text(files, branch)),
            Report::Lcov(p) => write(p, &report::lcov(files, branch)),
            Report::Cobertura(p) => {
                write(p, &report::cobertura(files, branch, cwd, now.as_millis()))
            }
            Report::Json(p) => write(p, &report::json(files, branch, &iso_time(now.as_secs()))),
            Report::Html(dir) => std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create the html directory {dir}: {e}"))
                .and_then(|()| {
                    let read = |p: &str| std::fs::read_to_string(p).ok();
                    for (name, text) in report::html(files, branch, &read) {
                        write(&format!("{dir}/{name}"), &text)?;
                    }
                    Ok(())
                }),
        };
        if let Err(e) = result {
            errors.push(e);
        }
    }
    errors
}

fn write(path: &str, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write the report {path}: {e}"))
}

/// `YYYY-MM-DDTHH:MM:SS` (UTC) for the JSON report's `meta.timestamp`.
pub fn iso_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days since 1970-01-01 to a civil date (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

export_plugin!(Coverage);

// Its own heap, apart from the arena holding the program's objects (see the macro).
#[cfg(feature = "private-heap")]
vigil_plugin_api::private_heap!();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_time_is_civil_utc() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00");
        // date -u -d @1795827016 → 2026-11-28 00:50:16 UTC
        assert_eq!(iso_time(1_795_827_016), "2026-11-28T00:50:16");
        assert_eq!(iso_time(951_782_400), "2000-02-29T00:00:00");
    }

    #[test]
    fn a_failing_report_does_not_stop_the_others() {
        let dir = std::env::temp_dir().join(format!("vigil-cov-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("ok.lcov");
        let s = Settings::parse(&format!(
            "report = [\"json:/nonexistent-dir/x/c.json\", \"lcov:{}\"]",
            good.display()
        ))
        .unwrap();
        let errors = write_reports(&s, &[], "/");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].contains("/nonexistent-dir/x/c.json"),
            "{}",
            errors[0]
        );
        assert!(good.exists());
    }
}

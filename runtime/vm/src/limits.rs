//! Asynchronous and resource limits on a running program: SIGINT delivered as
//! `KeyboardInterrupt`, a heap ceiling enforced as `MemoryError`, and an optional step budget
//! (for fuzzing). It owns the process-wide "eval breaker" word [`PENDING`], the SIGINT handler,
//! the memory watchdog thread and the exit-by-signal path. It does not own the dispatch loop
//! (`frame`), which tests `PENDING` at the two places CPython 3.13 checks its own eval
//! breaker (backward jumps and RESUME at entry/after `yield`) and calls [`Vm::service_breaker`]
//! only when the word is non-zero, nor the sizes refused up front by single large allocations
//! (`ops`, `iter`).
//!
//! # Public API
//! - [`install_sigint_handler`]: the CLI calls it once; SIGINT then sets a bit instead of
//!   killing the process (only when SIGINT was not ignored on entry, as CPython does).
//! - [`start_memory_watchdog`]`(limit)` / [`memory_limit_from_env`]: the heap ceiling policy.
//! - [`exit_if_interrupted`]: after tools finished, re-raise SIGINT on ourselves when the
//!   program ended with an uncaught `KeyboardInterrupt` (CPython's exit status convention).
//! - [`Vm::set_step_budget`]: fail the run with [`BUDGET_MESSAGE`] after that many loop
//!   iterations and function entries.

use crate::vm::{PyErr, PyResult, Vm};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};

/// The eval-breaker word. Its low bits ([`BREAKER_BITS`], below) are non-zero when the loop
/// must stop and look; the bits above them count instrumentation changes in the process
/// (the monitoring epoch, bumped by [`bump_epoch`]). RESUME compares the whole word with the
/// stamp its code object stored when it last found itself up to date and not interrupted,
/// so one compare covers both the breaker and monitoring, as CPython 3.13's RESUME does with
/// its eval-breaker word and the code's instrumentation version. Without the `monitoring`
/// feature the stamp is 0 and the compare is the breaker test alone.
pub static PENDING: AtomicU64 = AtomicU64::new(0);
/// SIGINT arrived and has not been turned into a `KeyboardInterrupt` yet.
const INTERRUPT: u64 = 1;
/// The memory watchdog saw the process above its heap ceiling.
const MEMORY: u64 = 2;
/// Some VM in the process runs under a step budget (it counts in its slow path).
const BUDGET: u64 = 4;
/// The bits of [`PENDING`] that ask the loop to stop; the rest is the epoch.
pub const BREAKER_BITS: u64 = 7;
/// One step of the monitoring epoch in [`PENDING`].
#[cfg(feature = "monitoring")]
const EPOCH_STEP: u64 = BREAKER_BITS + 1;

/// VMs with a step budget alive (keeps `BUDGET` set while any exists).
static BUDGETED: AtomicUsize = AtomicUsize::new(0);
/// The program ended with an uncaught `KeyboardInterrupt`.
static EXIT_BY_SIGINT: AtomicBool = AtomicBool::new(false);

/// The message of the `RuntimeError` raised when a step budget runs out.
pub const BUDGET_MESSAGE: &str = "vigil: step budget exhausted";

/// Per-VM limit state (`Vm::limits`).
pub struct Limits {
    /// Steps left when a budget is set.
    budget: Option<u64>,
}

/// The SIGINT handler is installed (vigil's CLI; never in tests or the fuzzers).
static SIGINT_INSTALLED: AtomicBool = AtomicBool::new(false);
/// The thread running the program (`pthread_t`, 0 while none): a SIGINT the kernel delivers
/// to another thread is forwarded there, so a blocked `read` in `input()` is interrupted.
static INTERPRETER: AtomicU64 = AtomicU64::new(0);

impl Default for Limits {
    /// Made with the VM, on its interpreter thread: under the CLI that thread becomes the
    /// target of SIGINT.
    fn default() -> Limits {
        if SIGINT_INSTALLED.load(Relaxed) {
            // SAFETY: pthread_self has no preconditions.
            INTERPRETER.store(unsafe { libc::pthread_self() } as u64, Relaxed);
        }
        Limits { budget: None }
    }
}

impl Drop for Limits {
    fn drop(&mut self) {
        if self.budget.is_some() {
            release_budget();
        }
        // The interpreter thread is about to end: stop forwarding SIGINT to it.
        // SAFETY: pthread_self has no preconditions.
        let me = unsafe { libc::pthread_self() } as u64;
        let _ = INTERPRETER.compare_exchange(me, 0, Relaxed, Relaxed);
    }
}

fn release_budget() {
    if BUDGETED.fetch_sub(1, Relaxed) == 1 {
        PENDING.fetch_and(!BUDGET, Relaxed);
    }
}

/// The breaker test the dispatch loop makes at backward jumps.
#[inline(always)]
pub fn pending() -> bool {
    PENDING.load(Relaxed) & BREAKER_BITS != 0
}

/// The whole eval-breaker word, which RESUME compares with its code object's stamp.
#[inline(always)]
pub fn word() -> u64 {
    PENDING.load(Relaxed)
}

/// Moves the monitoring epoch on: some VM in the process changed its instrumentation
/// version, so no stamp taken before is current. Epochs only grow (a wrap needs 2^61
/// changes), so a stale stamp never matches again. VMs on other threads then take RESUME's
/// slow path once per code object, find their own version unchanged and re-stamp.
#[cfg(feature = "monitoring")]
pub(crate) fn bump_epoch() {
    PENDING.fetch_add(EPOCH_STEP, Relaxed);
}

impl Vm {
    /// Limits the run to `steps` backward jumps plus function entries and resumptions; past
    /// it every check raises `RuntimeError(BUDGET_MESSAGE)`. `None` removes the budget.
    pub fn set_step_budget(&mut self, steps: Option<u64>) {
        match (self.limits.budget.is_some(), steps.is_some()) {
            (false, true) => {
                BUDGETED.fetch_add(1, Relaxed);
                PENDING.fetch_or(BUDGET, Relaxed);
            }
            (true, false) => release_budget(),
            _ => {}
        }
        self.limits.budget = steps;
    }

    /// Counts one level of Rust recursion over nested containers (comparison, hashing) in
    /// the same depth as Python calls, as the repr of containers does, so that deep nesting
    /// is a `RecursionError` ("maximum recursion depth exceeded" + `what`) and never a stack
    /// overflow. The caller decrements `self.depth` when the level ends.
    pub(crate) fn enter_native(&mut self, what: &str) -> PyResult<()> {
        if self.depth >= self.recursion_limit {
            return Err(self.err(
                "RecursionError",
                format!("maximum recursion depth exceeded{what}"),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    /// The slow path of the breaker check: turn whatever is pending into an exception.
    #[cold]
    #[inline(never)]
    pub(crate) fn service_breaker(&mut self) -> PyResult<()> {
        if let Some(left) = &mut self.limits.budget {
            if *left == 0 {
                return Err(self.err("RuntimeError", BUDGET_MESSAGE));
            }
            *left -= 1;
        }
        let word = PENDING.load(Relaxed);
        if word & INTERRUPT != 0 && PENDING.fetch_and(!INTERRUPT, Relaxed) & INTERRUPT != 0 {
            let cls = self.exc_class("KeyboardInterrupt");
            return Err(PyErr(self.make_exc(&cls, vec![])));
        }
        if word & MEMORY != 0 && PENDING.fetch_and(!MEMORY, Relaxed) & MEMORY != 0 {
            let cls = self.exc_class("MemoryError");
            return Err(PyErr(self.make_exc(&cls, vec![])));
        }
        Ok(())
    }

    /// Records that the program is ending with an uncaught `KeyboardInterrupt` (see
    /// [`exit_if_interrupted`]); called by `handle_uncaught`.
    pub(crate) fn note_uncaught_interrupt(&self, exc: &crate::value::Value) -> bool {
        let hit = self.exc_matches(exc, "KeyboardInterrupt");
        if hit {
            EXIT_BY_SIGINT.store(true, Relaxed);
        }
        hit
    }
}

extern "C" fn on_sigint(_: libc::c_int) {
    // Only atomics, pthread_self and pthread_kill: async-signal-safe.
    PENDING.fetch_or(INTERRUPT, Relaxed);
    let target = INTERPRETER.load(Relaxed);
    // SAFETY: `target` is the interpreter thread, which outlives every signal that can reach
    // the handler (the CLI exits when the program's thread ends).
    unsafe {
        if target != 0 && libc::pthread_self() as u64 != target {
            libc::pthread_kill(target as libc::pthread_t, libc::SIGINT);
        }
    }
}

/// Makes SIGINT raise `KeyboardInterrupt` in the running program instead of killing vigil.
/// Like CPython, leaves an inherited "ignore" disposition alone (a background job started by
/// a non-interactive shell must stay immune to the terminal's Ctrl-C).
pub fn install_sigint_handler() {
    // SAFETY: plain sigaction calls with zero-initialised structs; the handler only touches
    // an atomic.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGINT, std::ptr::null(), &mut old) != 0
            || old.sa_sigaction == libc::SIG_IGN
        {
            return;
        }
        let mut act: libc::sigaction = std::mem::zeroed();
        act.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // No SA_RESTART: a read of stdin blocked in `input()` must return (EINTR) so the
        // interrupt is seen at once; std's own I/O loops retry EINTR by themselves.
        act.sa_flags = 0;
        libc::sigemptyset(&mut act.sa_mask);
        if libc::sigaction(libc::SIGINT, &act, std::ptr::null_mut()) == 0 {
            SIGINT_INSTALLED.store(true, Relaxed);
        }
    }
}

impl Vm {
    /// One line of stdin for `input()`, without its newline; `None` at end of input. Reads
    /// byte by byte with `read(2)` so that SIGINT (which interrupts the read) raises
    /// `KeyboardInterrupt` at once, as in CPython, instead of waiting for the next line. Nothing
    /// else in the VM reads stdin, so no buffered bytes can be lost between calls.
    pub(crate) fn read_stdin_line(&mut self) -> PyResult<Option<String>> {
        let mut line = Vec::new();
        loop {
            let mut b = 0u8;
            // SAFETY: reading one byte into a live local.
            let n = unsafe { libc::read(0, (&mut b as *mut u8).cast(), 1) };
            match n {
                1 if b == b'\n' => break,
                1 => line.push(b),
                0 if line.is_empty() => return Ok(None),
                0 => break,
                _ => {
                    let e = std::io::Error::last_os_error();
                    if e.kind() == std::io::ErrorKind::Interrupted {
                        self.service_breaker()?;
                        continue;
                    }
                    return Err(self.err("OSError", e.to_string()));
                }
            }
        }
        Ok(Some(String::from_utf8_lossy(&line).into_owned()))
    }
}

/// CPython's convention after an uncaught `KeyboardInterrupt`: die of SIGINT so the parent
/// (a shell: status 130) sees the interrupt. Call it last, after reports are written; it
/// returns only when the program did not end that way (or the signal could not be sent).
pub fn exit_if_interrupted() {
    if !EXIT_BY_SIGINT.load(Relaxed) {
        return;
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: restoring the default disposition and signalling ourselves.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::kill(libc::getpid(), libc::SIGINT);
    }
}

/// Parses a size such as `512M`, `2G`, `1048576` (binary units: K, M, G, T).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let (num, mult) = match t.char_indices().last()? {
        (i, 'k' | 'K') => (&t[..i], 1u64 << 10),
        (i, 'm' | 'M') => (&t[..i], 1 << 20),
        (i, 'g' | 'G') => (&t[..i], 1 << 30),
        (i, 't' | 'T') => (&t[..i], 1 << 40),
        _ => (t, 1),
    };
    num.trim().parse::<u64>().ok()?.checked_mul(mult)
}

/// The environment variable holding the heap ceiling (`512M`, `2G`; `0` or `off` disables).
pub const MEMORY_LIMIT_VAR: &str = "VIGIL_MEMORY_LIMIT";

/// The heap ceiling to use: `$VIGIL_MEMORY_LIMIT` when set (`None` for `0`/`off`), else
/// three quarters of the smaller of physical memory and the cgroup's `memory.max`, so a
/// runaway program gets a `MemoryError` well before the kernel's OOM killer picks a victim.
/// `Err` carries a message for a malformed variable.
pub fn memory_limit_from_env() -> Result<Option<u64>, String> {
    if let Ok(v) = std::env::var(MEMORY_LIMIT_VAR) {
        if v.trim() == "off" {
            return Ok(None);
        }
        return match parse_size(&v) {
            Some(0) => Ok(None),
            Some(n) => Ok(Some(n)),
            None => Err(format!(
                "{MEMORY_LIMIT_VAR}={v:?} is not a size (examples: 512M, 2G, off)"
            )),
        };
    }
    let total = std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
        let line = m.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    });
    let cgroup = std::fs::read_to_string("/sys/fs/cgroup/memory.max")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok());
    let avail = match (total, cgroup) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => match a.or(b) {
            Some(x) => x,
            None => return Ok(None),
        },
    };
    Ok(Some(avail / 4 * 3))
}

/// Resident set size of this process, in bytes.
fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * page.max(4096) as u64)
}

/// Starts a thread that samples the resident size every 20 ms (about 20 µs of work each time,
/// on its own thread) and raises the `MEMORY` bit while it is above `limit`; the program then
/// gets a `MemoryError` at its next loop iteration or call. Sampling keeps the allocation path
/// free of any accounting.
pub fn start_memory_watchdog(limit: u64) {
    let _ = std::thread::Builder::new()
        .name("vigil-memwatch".into())
        .stack_size(64 << 10)
        .spawn(move || {
            loop {
                if rss_bytes().is_some_and(|r| r > limit) {
                    PENDING.fetch_or(MEMORY, Relaxed);
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        });
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("512M"), Some(512 << 20));
        assert_eq!(parse_size("2g"), Some(2 << 30));
        assert_eq!(parse_size(" 4096 "), Some(4096));
        assert_eq!(parse_size("12X"), None);
        assert_eq!(parse_size(""), None);
        assert_eq!(parse_size("99999999999T"), None);
    }
}

//! The profiler's clock: a raw tick counter read twice per event (on entry, to timestamp the
//! event, and on exit, to exclude the profiler's own time), converted to seconds once, when
//! the reports are written.
//!
//! Why not `Instant::now()`: on Linux it is a vDSO `clock_gettime`, about 30 ns here (a
//! serialising `rdtscp`, the seqlock of the time page, a multiply and shift), paid twice per
//! event; on a run of a few million events that alone was a tenth of the profiler's time. On
//! x86-64 with an invariant TSC (CPUID 0x8000_0007, EDX bit 8: the counter ticks at a constant
//! rate in every power state and never stops) a plain `rdtsc` gives the same information for
//! a few nanoseconds. Its rate is measured, not assumed: the clock remembers an `Instant` and
//! the counter at creation, and [`Clock::seconds_per_tick`] divides the elapsed `Instant` by
//! the elapsed ticks at the end of the run, so a calibration error is relative to the whole
//! run (well below one part in a million for runs over a millisecond), not per event.
//! Everywhere else (other architectures, a TSC that may drift) the ticks are nanoseconds from
//! `Instant`. It deliberately does not promise anything about cross-CPU TSC skew: the VM runs
//! every callback on its one interpreter thread, and Linux only picks `tsc` as its own clock
//! source (as it does on this machine) when the counters are synchronised.

use std::time::Instant;

/// A monotonic tick counter with a rate calibrated over the run.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    start: Instant,
    start_ticks: u64,
    tsc: bool,
}

impl Clock {
    /// A clock whose ticks count from now; the TSC when it is invariant.
    pub fn new() -> Clock {
        Clock::with_tsc(invariant_tsc())
    }

    /// A clock on `Instant` nanoseconds (`tsc = false`) or on the TSC, which the caller has
    /// checked to be usable (tests compare the two).
    pub fn with_tsc(tsc: bool) -> Clock {
        let tsc = tsc && invariant_tsc();
        let start = Instant::now();
        let mut c = Clock {
            start,
            start_ticks: 0,
            tsc,
        };
        c.start_ticks = c.raw();
        c
    }

    /// Whether the ticks come from the TSC.
    pub fn is_tsc(&self) -> bool {
        self.tsc
    }

    /// The counter itself, not offset by the creation time: [`Clock::ticks`] is this minus
    /// [`Clock::start_ticks`]. The profiler folds that subtraction into the overhead it
    /// subtracts anyway, which saves a saturating subtraction per event.
    #[inline]
    pub fn raw(&self) -> u64 {
        if self.tsc {
            read_tsc()
        } else {
            u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX)
        }
    }

    /// [`Clock::raw`] for a caller that knows the clock is the TSC ([`Clock::is_tsc`]): the
    /// counter read alone, without the test and the `Instant` path beside it (whose call
    /// would make a caller save registers).
    #[inline(always)]
    pub fn raw_tsc(&self) -> u64 {
        debug_assert!(self.tsc);
        read_tsc()
    }

    /// Ticks since the clock was made (never decreasing on one thread).
    #[inline]
    pub fn ticks(&self) -> u64 {
        self.raw().saturating_sub(self.start_ticks)
    }

    /// The raw reading at creation (what [`Clock::ticks`] subtracts).
    pub fn start_ticks(&self) -> u64 {
        self.start_ticks
    }

    /// Seconds per tick, measured from creation until now. Call it once, at the end: the
    /// longer the interval, the smaller the calibration error.
    pub fn seconds_per_tick(&self) -> f64 {
        if !self.tsc {
            return 1e-9;
        }
        let ticks = self.ticks();
        let secs = self.start.elapsed().as_secs_f64();
        if ticks == 0 {
            // Not a tick since creation: nothing was timed, any scale will do.
            return 0.0;
        }
        secs / ticks as f64
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new()
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn read_tsc() -> u64 {
    // `rdtsc` reads a counter; it has no preconditions and touches no memory.
    #[allow(
        unused_unsafe,
        reason = "the intrinsic is `unsafe` in some Rust versions only"
    )]
    // SAFETY: RDTSC exists on every x86-64 CPU, and `invariant_tsc` was checked before a
    // `Clock` with `tsc = true` is made; the instruction only reads the time-stamp counter.
    unsafe {
        core::arch::x86_64::_rdtsc()
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn read_tsc() -> u64 {
    unreachable!("the TSC is used only on x86-64")
}

/// Whether the CPU says its TSC is invariant (constant rate, never stops).
#[cfg(target_arch = "x86_64")]
fn invariant_tsc() -> bool {
    use core::arch::x86_64::__cpuid;
    #[allow(
        unused_unsafe,
        reason = "the intrinsic is `unsafe` in some Rust versions only"
    )]
    // SAFETY: CPUID exists on every x86-64 CPU; leaf 0x8000_0000 reports the highest
    // extended leaf, and 0x8000_0007 is only asked for when it is within that range.
    unsafe {
        if __cpuid(0x8000_0000).eax < 0x8000_0007 {
            return false;
        }
        __cpuid(0x8000_0007).edx & (1 << 8) != 0
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn invariant_tsc() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Whatever the source, ticks times the calibrated scale must track `Instant` over an
    /// interval: a wrong scale (a TSC read as nanoseconds, say) would be off by a factor.
    #[test]
    fn calibrated_ticks_track_wall_time() {
        for tsc in [false, true] {
            let c = Clock::with_tsc(tsc);
            let t0 = Instant::now();
            let k0 = c.ticks();
            std::thread::sleep(Duration::from_millis(30));
            let k1 = c.ticks();
            let wall = t0.elapsed().as_secs_f64();
            let measured = (k1 - k0) as f64 * c.seconds_per_tick();
            assert!(k1 > k0, "tsc={tsc}: the clock did not move");
            assert!(
                (measured - wall).abs() < 0.2 * wall,
                "tsc={tsc} (source tsc: {}): {measured} s against {wall} s",
                c.is_tsc()
            );
        }
    }

    #[test]
    fn ticks_never_decrease() {
        let c = Clock::new();
        let mut last = 0;
        for _ in 0..10_000 {
            let t = c.ticks();
            assert!(t >= last);
            last = t;
        }
    }
}

//! Per-code-object monitoring state: local event sets, the events baked into the
//! code at its last re-instrumentation, and the DISABLEd locations.
//!
//! The VM embeds one [`CodeMonitoring`] in each code object (default: empty,
//! version 0, which equals the initial global version, so code that no tool
//! ever looked at is never touched). Keeping it inside the code object rather
//! than in a map keyed by code identity keeps the function-entry check a field
//! compare (spec §11.3, §11.5) and makes D2 (local sets belong to exactly one
//! code object, shared by every function made from it) hold by construction.
//!
//! This module owns no bytecode: a *location* is an opaque `u32` the VM picks
//! (its instruction offset). Deciding which instructions are event sites, and
//! rewriting them, is the VM's job; [`SyncReport`] tells it what changed.

// FxHash: the key is two small integers, looked up on delivery once any DISABLE is on record.
use rustc_hash::FxHashMap as HashMap;

use vigil_plugin_api::{Event, EventSet};

use crate::slot::{Slot, ToolMask};

/// Number of local (instrumentable, disableable) events: PY_START … STOP_ITERATION.
pub const LOCAL_EVENT_COUNT: usize = 10;

/// For each of the ten local events, the slots for which it is active in one
/// code object (global set ∪ local set, spec D1). CPython's `active_monitors`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActiveEvents([ToolMask; LOCAL_EVENT_COUNT]);

impl ActiveEvents {
    /// The slots that have `event` active here. C_RETURN and C_RAISE answer
    /// with CALL's slots (E3); the global-only events answer empty, since they
    /// are never baked into code (ask [`crate::Monitoring::global_tools`]).
    pub fn tools(&self, event: Event) -> ToolMask {
        match event {
            Event::CReturn | Event::CRaise => self.0[Event::Call as usize],
            e if e.is_local() => self.0[e as usize],
            _ => ToolMask::EMPTY,
        }
    }

    /// The local events at least one slot has active.
    pub fn events(&self) -> EventSet {
        let mut set = EventSet::empty();
        for (i, mask) in self.0.iter().enumerate() {
            if !mask.is_empty() {
                set |= EventSet::from_bits_truncate(1 << i);
            }
        }
        set
    }

    /// Whether no local event is active for any slot.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|m| m.is_empty())
    }

    /// Whether some local event has two or more slots.
    pub fn has_shared_event(&self) -> bool {
        self.0.iter().any(|m| m.bits().count_ones() > 1)
    }

    pub(crate) fn set(&mut self, event: Event, mask: ToolMask) {
        self.0[event as usize] = mask;
    }
}

/// What a re-instrumentation changed, for the VM to rewrite event sites.
///
/// `before` is what the code's instructions carried; `after` is what they must
/// carry now. An event site for a local event `e` must be instrumented exactly
/// when [`crate::Monitoring::tools_at`] is non-empty for it (that also accounts
/// for DISABLEd locations, which `after` alone does not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyncReport {
    /// Active events before.
    pub before: ActiveEvents,
    /// Active events now.
    pub after: ActiveEvents,
    /// A `restart_events()` happened since the last sync: every DISABLE of this
    /// code object was dropped, so every event site must be recomputed even
    /// where `before == after`.
    pub restarted: bool,
    /// Some DISABLE of this code object was dropped (by a restart, or because
    /// a slot got an event back after having had it removed, D4).
    pub disables_cleared: bool,
}

impl SyncReport {
    /// Whether the VM has to touch the code's instructions at all.
    pub fn changed(&self) -> bool {
        self.before != self.after || self.disables_cleared
    }

    /// Slots that gained `event` in this sync.
    pub fn added(&self, event: Event) -> ToolMask {
        self.after.tools(event).difference(self.before.tools(event))
    }

    /// Slots that lost `event` in this sync.
    pub fn removed(&self, event: Event) -> ToolMask {
        self.before.tools(event).difference(self.after.tools(event))
    }
}

/// The monitoring state one code object carries. See the module docs.
#[derive(Clone, Debug, Default)]
pub struct CodeMonitoring {
    /// Global version this code was last brought up to date with.
    pub(crate) version: u64,
    /// `set_local_events` sets, per slot, without C_RETURN/C_RAISE.
    pub(crate) local: [EventSet; Slot::COUNT],
    /// What the code's instructions currently carry.
    pub(crate) active: ActiveEvents,
    /// (location, local event bit) → slots that returned DISABLE there.
    pub(crate) disabled: HashMap<(u32, u8), ToolMask>,
    /// Set (for good) at the first sync where some local event has two or
    /// more slots in this code object. See [`CodeMonitoring::per_location_tools`].
    pub(crate) per_location: bool,
    /// Set (for good) at the first sync where some local event has two or more slots while
    /// LINE is active: CPython 3.13 allocates its per-instruction LINE tool masks then, and
    /// only LINE DISABLEs made after that survive a second tool arriving (see `sync`).
    pub(crate) line_tools: bool,
    /// FOR_ITER locations that ran once uninstrumented (see
    /// [`CodeMonitoring::for_iter_specialized`]).
    /// A short list, not a hash set: an integration asks it at every step of a `for` loop
    /// over a generator, and a code object has few loops. (vigil's VM keeps this state in
    /// the executed FOR_ITER word instead, so that a step pays nothing; see INTEGRATION.md.)
    for_iter_warm: Vec<u32>,
}

impl CodeMonitoring {
    /// Fresh state for a code object nobody monitors.
    pub fn new() -> CodeMonitoring {
        CodeMonitoring::default()
    }

    /// The global version the code was last synced with. The VM's entry check
    /// is `code.version() == monitoring.version()`.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The events its instructions carry now (after the last sync).
    pub fn active(&self) -> &ActiveEvents {
        &self.active
    }

    /// Whether CPython would keep per-location tool masks for this code object.
    ///
    /// CPython allocates them only once two tools share a local event in the
    /// code, and never frees them. Before that, a DISABLE is recorded only by
    /// putting the plain instruction back, so the C_RETURN/C_RAISE that follow
    /// the very CALL whose callback returned DISABLE still reach every tool
    /// with CALL active (case 40, probes/c_disable1.out). Once it has them, the
    /// disabling tool misses that C_RETURN (probes/multi_tool.out, D1).
    /// [`crate::Monitoring::tools_at`] applies this; the VM needs only to fire
    /// C_RETURN/C_RAISE when the call instruction was instrumented as it
    /// started, never re-checking afterwards.
    pub fn per_location_tools(&self) -> bool {
        self.per_location
    }

    /// Whether some location of this code object has a DISABLE of `event` on record (a
    /// walk over the records: for a host building a cache, not per event).
    pub fn has_disabled(&self, event: Event) -> bool {
        self.disabled.keys().any(|&(_, ev)| ev == event as u8)
    }

    /// Whether any location of this code object has a DISABLE on record.
    pub fn has_disabled_locations(&self) -> bool {
        !self.disabled.is_empty()
    }

    /// The slots that DISABLEd `event` at `location` (local events only).
    ///
    /// Inline, with the lookup out of line: every delivered local event asks, and nearly
    /// always nothing is disabled.
    #[inline]
    pub fn disabled_at(&self, event: Event, location: u32) -> ToolMask {
        if self.disabled.is_empty() {
            return ToolMask::EMPTY;
        }
        self.disabled_lookup(event, location)
    }

    fn disabled_lookup(&self, event: Event, location: u32) -> ToolMask {
        self.disabled
            .get(&(location, event as u8))
            .copied()
            .unwrap_or_default()
    }

    /// Drops every DISABLE of the slots in `mask` for `event`; returns whether
    /// anything was dropped.
    pub(crate) fn clear_disabled(&mut self, event: Event, mask: ToolMask) -> bool {
        if mask.is_empty() || self.disabled.is_empty() {
            return false;
        }
        let mut cleared = false;
        self.disabled.retain(|&(_, ev), tools| {
            if ev == event as u8 && !tools.intersection(mask).is_empty() {
                cleared = true;
                *tools = tools.difference(mask);
            }
            !tools.is_empty()
        });
        cleared
    }

    /// STOP_ITERATION at a `for` loop's END_FOR depends, in CPython 3.13, on
    /// whether that FOR_ITER has specialized (spec G6): it specializes on its
    /// second execution while it is *not* instrumented, and instrumenting it
    /// throws the specialization and the warm-up away (§11.2, p26_rewrite).
    ///
    /// Call this each time the FOR_ITER at `location` executes, with
    /// `instrumented` = whether that instruction carries anything right now:
    /// the INSTRUMENTED_FOR_ITER twin (BRANCH) or a LINE/INSTRUCTION overlay.
    /// With LINE active a loop's FOR_ITER always has the overlay, being a jump
    /// target, unless that location was DISABLEd for every LINE tool. It returns whether this execution runs the
    /// specialized path, i.e. whether a generator finishing now must end the
    /// loop with STOP_ITERATION at END_FOR rather than silently (or with RAISE
    /// for a non-None return value). The state belongs to the code object, so a
    /// re-executed `def` shares it (p16_forgen.out).
    pub fn for_iter_specialized(&mut self, location: u32, instrumented: bool) -> bool {
        let at = self.for_iter_warm.iter().position(|&l| l == location);
        match (instrumented, at) {
            (true, Some(i)) => {
                self.for_iter_warm.swap_remove(i);
                false
            }
            (true, None) => false,
            (false, Some(_)) => true,
            (false, None) => {
                self.for_iter_warm.push(location);
                false
            }
        }
    }
}

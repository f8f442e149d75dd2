//! The interpreter-wide monitoring state and the `sys.monitoring` API over it.
//!
//! [`Monitoring`] owns the tool names, the global event set of each slot, the
//! callback table (8 slots × 17 events), and the global instrumentation version
//! with the version of the last `restart_events()` (spec §11.1). Its API
//! functions take the arguments *after* the guest layer converted them to C
//! ints, and run CPython's checks in CPython's order with CPython's messages
//! (T1–T8, E1–E7, C6). It also answers the VM's two questions: "what must this
//! code object's instructions carry now?" ([`Monitoring::instrument`]) and
//! "which slots get this event at this location?" ([`Monitoring::tools_at`]).
//!
//! It does not call callbacks, convert Python objects, walk frames or rewrite
//! bytecode: the callback type `C` and the tool-name type `N` are opaque here.

use vigil_plugin_api::{Event, EventSet, ToolId};

use std::cell::Cell;
use std::rc::Rc;

use crate::code::{CodeMonitoring, SyncReport};
use crate::error::{MonResult, MonitoringError};
use crate::slot::{Slot, ToolMask};

/// Number of events stored in global sets (everything but C_RETURN/C_RAISE).
const STORED_EVENT_COUNT: usize = 15;

/// What the VM must bring up to date after an API call changed the global
/// state (spec D6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "set_events/restart_events must re-instrument running frames"]
pub enum Update {
    /// Nothing changed (E1 step 7: same set again): no version bump.
    Nothing,
    /// The global version moved: re-instrument the code object of **every frame
    /// on every thread's stack now** (including the caller of the API function
    /// and a frame whose callback made the call); everything else catches up
    /// lazily at its next entry or generator resume.
    ExecutingFrames,
}

/// What a DISABLE returned by a callback did (spec C3, D3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disabled {
    /// Recorded for (slot, event, location). `remaining` are the slots that
    /// still want the event there; when it is empty the VM puts the plain
    /// instruction back (or drops the LINE/INSTRUCTION overlay) at that site.
    Local {
        /// Slots still active for the event at the location.
        remaining: ToolMask,
    },
}

/// The interpreter-wide PEP 669 state. `C` is the callback (the VM's enum of
/// guest callable or native function), `N` the stored tool name (the VM keeps
/// the guest's `str` object so that `get_tool(n) is name` holds, T3).
#[derive(Clone, Debug)]
pub struct Monitoring<C, N = String> {
    names: [Option<N>; ToolId::COUNT],
    /// Global sets per slot, C_RETURN/C_RAISE already stripped (E1 step 5).
    global: [EventSet; Slot::COUNT],
    /// Per stored event, the slots with it in their global set (derived).
    global_tools: [ToolMask; STORED_EVENT_COUNT],
    callbacks: [[Option<C>; Event::COUNT]; Slot::COUNT],
    version: u64,
    last_restart_version: u64,
    /// Bumped by every method that takes `&mut self` (events, local events, callbacks,
    /// DISABLEs, restarts, names): a value a host cached from this table (and from the code
    /// objects it synced) is current while this has not moved. See [`Monitoring::changes`].
    changes: ChangeCount,
}

/// [`Monitoring::changes`], in a cell of its own so that a host can watch it without
/// borrowing the table ([`Monitoring::change_cell`]): the VM's fast lane compares it with a
/// code object's stamp on every event, and a borrow test there was three instructions more.
/// A clone of the table gets a new cell with the same count: its changes are its own.
#[derive(Debug, Default)]
struct ChangeCount(Rc<Cell<u64>>);

impl Clone for ChangeCount {
    fn clone(&self) -> Self {
        ChangeCount(Rc::new(Cell::new(self.0.get())))
    }
}

impl<C, N> Default for Monitoring<C, N> {
    fn default() -> Self {
        Monitoring {
            names: std::array::from_fn(|_| None),
            global: [EventSet::empty(); Slot::COUNT],
            global_tools: [ToolMask::EMPTY; STORED_EVENT_COUNT],
            callbacks: std::array::from_fn(|_| std::array::from_fn(|_| None)),
            version: 0,
            last_restart_version: 0,
            changes: ChangeCount::default(),
        }
    }
}

/// T1: the range check every API function makes after converting the id.
fn check_tool(tool: i32) -> MonResult<ToolId> {
    u32::try_from(tool)
        .ok()
        .and_then(ToolId::new)
        .ok_or_else(|| MonitoringError::invalid_tool(tool))
}

/// E1 step 4 / E6 step 3: C_RETURN or C_RAISE only together with CALL and
/// each other. Works on the raw 32-bit pattern, so negative sets that carry
/// all three bits pass (p05: `-1` reaches the local range check).
fn check_c_events(events: i32) -> MonResult<()> {
    let bits = events as u32;
    let c_bits = EventSet::ANCILLARY.bits();
    let all3 = c_bits | EventSet::CALL.bits();
    if bits & c_bits != 0 && bits & all3 != all3 {
        return Err(MonitoringError::c_events_independently());
    }
    Ok(())
}

impl<C, N> Monitoring<C, N> {
    /// No tool in use, no events, version 0.
    pub fn new() -> Self {
        Self::default()
    }

    // ----- tool ids (T1–T7) -----

    /// `use_tool_id(tool_id, name)`. `name` is `None` when the guest's argument
    /// was not a `str` (or subclass): that check sits between the range check
    /// and the in-use check (T3, p03).
    pub fn use_tool_id(&mut self, tool: i32, name: Option<N>) -> MonResult<()> {
        self.changed();
        let id = check_tool(tool)?;
        let name = name.ok_or_else(MonitoringError::tool_name_not_str)?;
        let slot = &mut self.names[id.index()];
        if slot.is_some() {
            return Err(MonitoringError::tool_in_use(tool));
        }
        *slot = Some(name);
        Ok(())
    }

    /// `free_tool_id(tool_id)`: forgets the name only. Events, local events and
    /// callbacks stay, and keep firing (T5, p04_free.out). Never fails for a
    /// free slot.
    pub fn free_tool_id(&mut self, tool: i32) -> MonResult<()> {
        self.changed();
        let id = check_tool(tool)?;
        self.names[id.index()] = None;
        Ok(())
    }

    /// `get_tool(tool_id)`: the stored name, `None` for a free slot (T4).
    pub fn get_tool(&self, tool: i32) -> MonResult<Option<&N>> {
        let id = check_tool(tool)?;
        Ok(self.names[id.index()].as_ref())
    }

    /// Whether `use_tool_id` claimed the tool (and `free_tool_id` did not
    /// release it since).
    pub fn in_use(&self, id: ToolId) -> bool {
        self.names[id.index()].is_some()
    }

    fn check_in_use(&self, tool: i32, id: ToolId) -> MonResult<()> {
        if self.in_use(id) {
            Ok(())
        } else {
            Err(MonitoringError::tool_not_in_use(tool))
        }
    }

    // ----- global events (E1, E2, E5) -----

    /// `get_events(tool_id)`: the global set, never with C_RETURN/C_RAISE, and
    /// without an in-use check (E2, T7).
    pub fn get_events(&self, tool: i32) -> MonResult<EventSet> {
        let id = check_tool(tool)?;
        Ok(self.global[id.index()])
    }

    /// `set_events(tool_id, event_set)` with E1's checks in E1's order.
    pub fn set_events(&mut self, tool: i32, events: i32) -> MonResult<Update> {
        self.changed();
        let id = check_tool(tool)?;
        if !(0..1 << Event::COUNT).contains(&events) {
            return Err(MonitoringError::invalid_event_set(events));
        }
        check_c_events(events)?;
        let set = EventSet::from_bits_truncate(events as u32).difference(EventSet::ANCILLARY);
        self.check_in_use(tool, id)?;
        Ok(self.set_slot_events(Slot::tool(id), set))
    }

    /// Sets a slot's global set without any check: for the legacy
    /// `sys.settrace`/`sys.setprofile` layers (slots 7/6, M4) and for the host
    /// disabling a failed native tool. C_RETURN/C_RAISE are stripped.
    pub fn set_slot_events(&mut self, slot: Slot, events: EventSet) -> Update {
        self.changed();
        let set = events.difference(EventSet::ANCILLARY);
        if self.global[slot.index()] == set {
            return Update::Nothing;
        }
        self.global[slot.index()] = set;
        for event in Event::ALL.into_iter().take(STORED_EVENT_COUNT) {
            let mask = &mut self.global_tools[event as usize];
            if set.contains(event.set()) {
                mask.insert(slot);
            } else {
                mask.remove(slot);
            }
        }
        self.version += 1;
        Update::ExecutingFrames
    }

    /// Silences a slot for good: empties its global set and drops all its
    /// callbacks (what 3.14's `clear_tool_id` does; 3.13 has no such API, T6).
    /// For the host when a native tool fails (its local sets may stay in code
    /// objects, but with no callback nothing is delivered, E4). The name is
    /// kept, so the id stays claimed and a guest `use_tool_id` on it still
    /// raises `tool <n> is already in use`.
    pub fn clear_slot(&mut self, slot: Slot) -> Update {
        self.changed();
        for cb in &mut self.callbacks[slot.index()] {
            *cb = None;
        }
        self.set_slot_events(slot, EventSet::empty())
    }

    /// The slots whose global set holds `event`. For RAISE, RERAISE,
    /// EXCEPTION_HANDLED, PY_UNWIND and PY_THROW this is the whole answer
    /// (they are global only and read at fire time, §11.2); the VM's exception
    /// paths return at once when it is empty. C_RETURN/C_RAISE give CALL's.
    #[inline]
    pub fn global_tools(&self, event: Event) -> ToolMask {
        let event = match event {
            Event::CReturn | Event::CRaise => Event::Call,
            e => e,
        };
        self.global_tools[event as usize]
    }

    /// `sys.monitoring._all_events()`: each stored event with at least one
    /// global slot, with the slot mask (E5, p05: `{'CALL': 1}`).
    pub fn all_events(&self) -> impl Iterator<Item = (Event, ToolMask)> + '_ {
        Event::ALL
            .into_iter()
            .take(STORED_EVENT_COUNT)
            .map(|e| (e, self.global_tools[e as usize]))
            .filter(|(_, m)| !m.is_empty())
    }

    // ----- local events (E6, E7) -----

    /// `get_local_events(tool_id, code)`. The guest checks "is a code object"
    /// first (TypeError before the range check, E7); no in-use check.
    pub fn get_local_events(&self, tool: i32, code: &CodeMonitoring) -> MonResult<EventSet> {
        let id = check_tool(tool)?;
        Ok(code.local[Slot::tool(id).index()])
    }

    /// `set_local_events(tool_id, code, event_set)` with E6's checks in E6's
    /// order (the guest checks "is a code object" before calling). On a change
    /// the code object is re-instrumented at once (D6): the VM applies the
    /// returned report to the code's instructions now, even if it is running.
    pub fn set_local_events(
        &mut self,
        tool: i32,
        code: &mut CodeMonitoring,
        events: i32,
    ) -> MonResult<Option<SyncReport>> {
        self.changed();
        let id = check_tool(tool)?;
        check_c_events(events)?;
        let stripped = events & !(EventSet::ANCILLARY.bits() as i32);
        if !(0..1 << crate::code::LOCAL_EVENT_COUNT).contains(&stripped) {
            return Err(MonitoringError::invalid_local_event_set(stripped));
        }
        self.check_in_use(tool, id)?;
        let set = EventSet::from_bits_truncate(stripped as u32);
        let slot = Slot::tool(id);
        if code.local[slot.index()] == set {
            return Ok(None);
        }
        code.local[slot.index()] = set;
        Ok(Some(self.sync(code)))
    }

    // ----- callbacks (C3, C6) -----

    /// The checks of `register_callback(tool_id, event, func)` (C6): tool
    /// range, then exactly one bit, then a known event. The guest raises the
    /// `sys.monitoring.register_callback` audit event with `(func,)` **after**
    /// this succeeds and before [`Monitoring::register_callback`] (an audit
    /// hook that raises blocks the registration; a rejected call audits
    /// nothing — checked on CPython 3.13.5, probes/register_order.out).
    pub fn check_register_callback(&self, tool: i32, event: i32) -> MonResult<(Slot, Event)> {
        let id = check_tool(tool)?;
        let bits = event as u32;
        if bits.count_ones() != 1 {
            return Err(MonitoringError::one_event_at_a_time());
        }
        let ev = Event::from_bit(bits.trailing_zeros())
            .ok_or_else(|| MonitoringError::invalid_event(event))?;
        Ok((Slot::tool(id), ev))
    }

    /// Stores `callback` (`None` unregisters) and returns the previous one
    /// (C6). Works on any slot, in use or not; changes no event set.
    pub fn register_callback(
        &mut self,
        slot: Slot,
        event: Event,
        callback: Option<C>,
    ) -> Option<C> {
        self.changed();
        std::mem::replace(&mut self.callbacks[slot.index()][event as usize], callback)
    }

    /// The callback registered for (slot, event), read at fire time for each
    /// slot in turn (a callback changed by an earlier callback of the same
    /// occurrence takes effect at once, as in CPython's loop).
    #[inline]
    pub fn callback(&self, slot: Slot, event: Event) -> Option<&C> {
        self.callbacks[slot.index()][event as usize].as_ref()
    }

    /// A callback returned `sys.monitoring.DISABLE` (C3, D3).
    ///
    /// * Local event: records (slot, event, location) and reports the slots
    ///   still active there. `get_events`, `get_local_events` and the callback
    ///   table do not change.
    /// * Any other event (RAISE, EXCEPTION_HANDLED, PY_UNWIND, PY_THROW,
    ///   RERAISE, C_RETURN, C_RAISE): unregisters the callback of (slot,
    ///   event) and returns `ValueError: Cannot disable <EV> events. Callback
    ///   removed.`, which the VM then treats exactly like an exception raised by
    ///   that callback (C5: it replaces the exception in flight, stops delivery
    ///   to lower slots). p08_disable_all.out, p09_disable_nonlocal.out.
    pub fn disable(
        &mut self,
        code: &mut CodeMonitoring,
        slot: Slot,
        event: Event,
        location: u32,
    ) -> MonResult<Disabled> {
        self.changed();
        if !event.is_local() {
            self.callbacks[slot.index()][event as usize] = None;
            return Err(MonitoringError::cannot_disable(event));
        }
        code.disabled
            .entry((location, event as u8))
            .or_default()
            .insert(slot);
        Ok(Disabled::Local {
            remaining: self.tools_at(code, event, location),
        })
    }

    // ----- versions and re-instrumentation (D4, D6, §11.3) -----

    /// How many times this table changed (see the field): the VM's per-code fast lane for
    /// PY_START/PY_RESUME/PY_RETURN/PY_YIELD is valid while this stays where it was when the
    /// lane was built, since every change to events, callbacks or DISABLEs goes through one
    /// of the `&mut self` methods.
    #[inline]
    pub fn changes(&self) -> u64 {
        self.changes.0.get()
    }

    /// The cell that holds [`Monitoring::changes`], shared: it can be read while the table
    /// is borrowed (mutably too), and it is this table's for as long as the table lives.
    pub fn change_cell(&self) -> Rc<Cell<u64>> {
        self.changes.0.clone()
    }

    #[inline]
    fn changed(&mut self) {
        let c = &self.changes.0;
        c.set(c.get() + 1);
    }

    /// The global instrumentation version.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// `restart_events()`: every DISABLE in every code object is dropped when
    /// that code object is next synced (D4, D5). Event sets and callbacks are
    /// untouched; callbacks C3 removed stay removed. Always bumps the version.
    pub fn restart_events(&mut self) -> Update {
        self.changed();
        // Two steps, as CPython does: codes synced before the restart have a
        // version below `last_restart_version` and so lose their DISABLEs.
        self.last_restart_version = self.version + 1;
        self.version += 2;
        Update::ExecutingFrames
    }

    /// Whether `code` must be re-instrumented before it runs (the one check per
    /// function entry and generator resume, §11.5).
    pub fn is_stale(&self, code: &CodeMonitoring) -> bool {
        code.version != self.version
    }

    /// Brings `code` up to date if it is stale; `None` when it was current.
    /// Call on function entry / generator resume, and for every frame on a
    /// stack after an [`Update::ExecutingFrames`].
    pub fn instrument(&self, code: &mut CodeMonitoring) -> Option<SyncReport> {
        if !self.is_stale(code) {
            return None;
        }
        Some(self.sync(code))
    }

    /// Recomputes the active events of `code` and applies D4's lazy DISABLE
    /// rule: a DISABLE survives unless a restart happened since the last sync,
    /// or its slot is (re)gaining the event in this sync — that is, it had been
    /// removed at an earlier sync and comes back now. Toggling an event off and
    /// on without the code being synced in between keeps the DISABLE
    /// (probes/c_disable2.out); running it in between clears it
    /// (c_disable3.out).
    fn sync(&self, code: &mut CodeMonitoring) -> SyncReport {
        let before = code.active;
        let restarted = code.version < self.last_restart_version;
        let mut after = before;
        for event in Event::ALL.into_iter().filter(|e| e.is_local()) {
            let mut mask = self.global_tools[event as usize];
            for slot in (0..Slot::COUNT).filter_map(Slot::from_index) {
                if code.local[slot.index()].contains(event.set()) {
                    mask.insert(slot);
                }
            }
            after.set(event, mask);
        }
        let mut disables_cleared = false;
        if restarted {
            disables_cleared = code.has_disabled_locations();
            code.disabled.clear();
        } else {
            for event in Event::ALL.into_iter().filter(|e| e.is_local()) {
                let old = before.tools(event);
                let new = after.tools(event);
                // Cleared both when lost and when regained; only the regain
                // is observable, dropping on loss keeps the table small.
                let changed = new.difference(old).union(old.difference(new));
                disables_cleared |= code.clear_disabled(event, changed);
            }
        }
        // CPython 3.13 keeps a single tool's LINE DISABLE only by removing that line's
        // instrumentation. When it first needs per-tool LINE masks (some local event has two
        // tools, LINE is active) it fills every line start with the LINE tools of that
        // moment, so those earlier DISABLEs are lost: the first tool hears the line again
        // (probes/multi_tool.out B3). DISABLEs made after that are kept (F1-F4). CALL and
        // PY_START DISABLEs survive the same step (C3, E3): only LINE is reset.
        if !code.line_tools && after.has_shared_event() && !after.tools(Event::Line).is_empty() {
            code.line_tools = true;
            disables_cleared |= code.clear_disabled(Event::Line, ToolMask::from_bits(u8::MAX));
        }
        code.per_location |= after.has_shared_event();
        code.active = after;
        code.version = self.version;
        SyncReport {
            before,
            after,
            restarted,
            disables_cleared,
        }
    }

    // ----- fire-time queries (E3, E4, D3) -----

    /// The slots that get `event` at `location` of `code`, before the callback
    /// check: active there (global ∪ local as of the last sync) and not
    /// DISABLEd there by that slot. C_RETURN/C_RAISE follow CALL at the call
    /// site (E3, D3), with CPython's single-tool exception described at
    /// [`CodeMonitoring::per_location_tools`]; global-only events use
    /// [`Monitoring::global_tools`].
    ///
    /// Deliver with `for slot in mask.dispatch_order()` (highest slot first,
    /// M1), reading [`Monitoring::callback`] for each slot and skipping slots
    /// without one (E4); stop at the first callback that raises (M2).
    #[inline]
    pub fn tools_at(&self, code: &CodeMonitoring, event: Event, location: u32) -> ToolMask {
        match event {
            Event::CReturn | Event::CRaise if code.per_location => {
                self.tools_at(code, Event::Call, location)
            }
            Event::CReturn | Event::CRaise => code.active.tools(Event::Call),
            e if e.is_local() => code
                .active
                .tools(e)
                .difference(code.disabled_at(e, location)),
            e => self.global_tools(e),
        }
    }

    /// The slots that want `event` anywhere in `code`, ignoring DISABLEs: the
    /// synced global ∪ local set for the ten local events, CALL's slots for
    /// C_RETURN/C_RAISE, the current global set for the five global-only
    /// events. This is the per-event answer for (re)instrumenting a code
    /// object; [`Monitoring::tools_at`] adds the per-location DISABLEs.
    pub fn code_tools(&self, code: &CodeMonitoring, event: Event) -> ToolMask {
        if event.is_local() || matches!(event, Event::CReturn | Event::CRaise) {
            code.active.tools(event)
        } else {
            self.global_tools(event)
        }
    }

    /// The callbacks an occurrence goes to, in delivery order (highest slot
    /// first, M1), skipping DISABLEd slots and slots without a callback. A
    /// snapshot for callers that do not re-enter the API between callbacks
    /// (a native host); the guest VM should use [`crate::deliver`], which
    /// re-reads the table per slot as CPython does.
    pub fn callbacks_at<'a>(
        &'a self,
        code: &CodeMonitoring,
        event: Event,
        location: u32,
    ) -> impl Iterator<Item = (Slot, &'a C)> + 'a {
        self.tools_at(code, event, location)
            .dispatch_order()
            .filter_map(move |slot| self.callback(slot, event).map(|cb| (slot, cb)))
    }

    /// [`Monitoring::tools_at`] narrowed to slots that have a callback for
    /// `event` right now: the slots an occurrence is actually delivered to.
    pub fn listeners(&self, code: &CodeMonitoring, event: Event, location: u32) -> ToolMask {
        let mut mask = self.tools_at(code, event, location);
        for slot in mask.dispatch_order() {
            if self.callback(slot, event).is_none() {
                mask.remove(slot);
            }
        }
        mask
    }
}

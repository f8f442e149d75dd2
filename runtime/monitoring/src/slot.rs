//! Tool slots and tool masks.
//!
//! CPython keeps eight slots: the six tool ids a program can claim and two
//! reserved for the legacy `sys.setprofile` (6) and `sys.settrace` (7) layers
//! (spec T1, M4). Nothing here validates user input; [`crate::Monitoring`] does
//! that with CPython's messages. This module owns only the slot numbering and
//! the one-byte set of slots, including the delivery order (M1).

use std::fmt;

use vigil_plugin_api::ToolId;

/// One of the eight monitoring slots: a [`ToolId`] (0..=5) or a legacy slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot(u8);

impl Slot {
    /// Number of slots.
    pub const COUNT: usize = 8;
    /// The slot `sys.setprofile` uses (never reachable from `sys.monitoring`).
    pub const PROFILE: Slot = Slot(6);
    /// The slot `sys.settrace` uses (never reachable from `sys.monitoring`).
    pub const TRACE: Slot = Slot(7);

    /// The slot of a tool id.
    pub const fn tool(id: ToolId) -> Slot {
        Slot(id.index() as u8)
    }

    /// The slot with this index, if it is below 8.
    pub const fn from_index(index: usize) -> Option<Slot> {
        if index < Slot::COUNT {
            Some(Slot(index as u8))
        } else {
            None
        }
    }

    /// The tool id, unless this is a legacy slot.
    pub fn as_tool(self) -> Option<ToolId> {
        ToolId::new(u32::from(self.0))
    }

    /// Index into per-slot tables.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

impl From<ToolId> for Slot {
    fn from(id: ToolId) -> Slot {
        Slot::tool(id)
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A set of slots, one bit per slot, like CPython's `uint8_t` tool masks.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ToolMask(u8);

impl ToolMask {
    /// No slot.
    pub const EMPTY: ToolMask = ToolMask(0);

    /// The mask with these bits (bit *n* = slot *n*).
    pub const fn from_bits(bits: u8) -> ToolMask {
        ToolMask(bits)
    }

    /// The raw bits, as `sys.monitoring._all_events()` reports them.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The mask holding only `slot`.
    pub const fn only(slot: Slot) -> ToolMask {
        ToolMask(1 << slot.0)
    }

    /// Whether no slot is in the mask.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether `slot` is in the mask.
    pub const fn contains(self, slot: Slot) -> bool {
        self.0 & (1 << slot.0) != 0
    }

    /// Adds `slot`.
    pub fn insert(&mut self, slot: Slot) {
        self.0 |= 1 << slot.0;
    }

    /// Removes `slot`.
    pub fn remove(&mut self, slot: Slot) {
        self.0 &= !(1 << slot.0);
    }

    /// Slots in either mask.
    pub const fn union(self, other: ToolMask) -> ToolMask {
        ToolMask(self.0 | other.0)
    }

    /// Slots in both masks.
    pub const fn intersection(self, other: ToolMask) -> ToolMask {
        ToolMask(self.0 & other.0)
    }

    /// Slots in `self` but not in `other`.
    pub const fn difference(self, other: ToolMask) -> ToolMask {
        ToolMask(self.0 & !other.0)
    }

    /// The slots in **delivery order**: highest slot first (7, 6, 5 … 0).
    ///
    /// Spec M1: CPython's dispatch loop takes the most significant tool bit
    /// first (probes/c_multi1.out prints `t5 t2 t0` for every event;
    /// p18_legacy_order.out shows settrace, setprofile, tool 5, tool 0). The
    /// project's DESIGN.md and `ToolId::all`'s doc say "ascending"; the
    /// measured order is the one to reproduce.
    ///
    /// Walks the set bits only (highest set bit, clear it, repeat): this runs once per
    /// event delivered, and a filter over all eight slots cost about 40 instructions per
    /// event where one or two bits are set.
    #[inline]
    pub fn dispatch_order(self) -> impl Iterator<Item = Slot> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let top = 7 - bits.leading_zeros() as u8;
            bits &= !(1 << top);
            Some(Slot(top))
        })
    }
}

impl fmt::Debug for ToolMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ToolMask({:#010b})", self.0)
    }
}

//! The bytecode contract between the compiler and the VM: opcodes, their table (name, operand
//! kind, event, instrumented twin), instruction encoding, constants, and the `CodeObject`.
//!
//! This file owns only data definitions and pure lookups. It does not compile anything
//! (`codegen.rs` does) and it does not execute anything (the VM does). The opcode set and
//! the stack layouts deliberately follow CPython 3.13 (same names, same stack shapes) because
//! INSTRUCTION events report opcode names and LINE/BRANCH/JUMP events depend on the shape of
//! the code; what we drop is CPython's inline caches, specialization and EXTENDED_ARG.
//!
//! CHANGELOG (newest last; B2 reads this — keep edits additive):
//! - v1: initial contract.
//! - v2: `co_flags::HAS_DOCSTRING` (0x400_0000, as CPython 3.14's CO_HAS_DOCSTRING): set when
//!   `consts[0]` is the function's docstring. Functions always have `consts[0]` = docstring or
//!   None, as CPython 3.13.
//! - v3 (no layout change): varnames hold parameters, then other locals in first-use order
//!   (CPython's slot numbering); constants no instruction loads are dropped (`consts[0]` is
//!   always kept); deref-style operands are final localsplus slots.
//! - v4 (additive): `CodeObject::cpy_starts` / `cpy_ops`, CPython 3.13's code-unit layout of
//!   the same instructions (inline caches and EXTENDED_ARG prefixes counted), so that
//!   everything a guest sees (monitoring offsets, `co_lines`, `co_positions`) is in CPython's
//!   byte offsets while the VM keeps running on instruction indices.
//! - v5 (additive): `MATCH_MAPPING`, `MATCH_SEQUENCE`, `MATCH_KEYS`, `MATCH_CLASS` (the
//!   `match` statement), with CPython 3.13's stack shapes (see the layouts below).
//!
//! # Encoding
//! One instruction is one `u32` word: low 8 bits opcode, high 24 bits argument. An *offset*
//! (what monitoring reports, what the exception and line tables use) is an instruction
//! index into `CodeObject::instructions` inside vigil (the VM, the exception and line tables).
//! Guests and native plugins see CPython's byte offsets instead: `CodeObject::cpython_offset`
//! converts (see "CPython layout" below). Jump arguments are ABSOLUTE instruction indices
//! (not relative like CPython), so the VM sets `pc = arg`.
//!
//! # Locals ("localsplus", as CPython 3.11+)
//! A frame has `nlocalsplus()` slots: `varnames` first (arguments first, in CPython order:
//! positional, kw-only, *args, **kwargs, then other locals), then cell variables that are not
//! arguments, then free variables. `cell_slots` lists slots that get `MAKE_CELL` (argument
//! cells keep their argument slot: MAKE_CELL wraps the current value). `LOAD_FAST`/`STORE_FAST`
//! and `LOAD_DEREF`/`STORE_DEREF`/`DELETE_DEREF`/`MAKE_CELL` all take a slot index.
//! `COPY_FREE_VARS n` copies the function's closure tuple into the last n slots.
//!
//! # Stack layouts (all as CPython 3.13)
//! - Calls: `[callable, self_or_null, arg1..argN]` then `CALL N`. `CALL_KW N`:
//!   `[callable, self_or_null, args..., kwnames_tuple]` where N counts positional + keyword
//!   values and the last len(kwnames) values are keywords. `CALL_FUNCTION_EX flags`:
//!   `[callable, null, args_tuple, (kwargs_dict if flags & 1)]`.
//! - `LOAD_GLOBAL arg`: name = `names[arg >> 1]`; if arg & 1, push NULL *after* the value.
//! - `LOAD_ATTR arg`: name = `names[arg >> 1]`; if arg & 1 ("method form"): pops obj, pushes
//!   `[meth, obj]` when the attribute is a plain function found on the type (unbound), else
//!   `[attr, NULL]`.
//! - `LOAD_SUPER_ATTR arg`: stack `[global_super, class, self]`; name = `names[arg >> 2]`;
//!   arg & 1 = method form (push `[meth, self]` or `[attr, NULL]`), arg & 2 = the two-arg
//!   form was written explicitly (`super(C, self).x`), else zero-arg form (0-arg: monitoring
//!   arg0 is MISSING).
//! - `MAKE_FUNCTION`: pops code, pushes function. `SET_FUNCTION_ATTRIBUTE flag`: stack
//!   `[value, func]` -> `[func]`; flag 1 defaults tuple, 2 kwdefaults dict, 4 annotations
//!   (tuple of name, value pairs flattened), 8 closure tuple of cells.
//! - `BINARY_OP arg`: arg is one of `BinaryOp` (CPython's NB_* numbering, 0..=25).
//! - `COMPARE_OP arg`: (cmp << 5) | (16 if result must be converted to bool), cmp in
//!   `CompareOp` (Lt=0, Le=1, Eq=2, Ne=3, Gt=4, Ge=5). Same encoding as CPython 3.13.
//! - `IS_OP inv` / `CONTAINS_OP inv`: inv = 1 for `is not` / `not in`.
//! - `FOR_ITER target`: TOS iterator; on item push it and continue at pc+1; on exhaustion
//!   jump to `target` which is the `END_FOR` instruction, leaving the iterator on the stack;
//!   CPython 3.13 actually skips END_FOR and the following POP_TOP (pops the iterator itself)
//!   and continues at target+2. Monitoring: BRANCH dest is target+2 on exhaustion.
//! - `SEND target`: `[receiver, value]` -> `[receiver, yielded]` and continue at pc+1, or on
//!   return `[receiver, retval]` and jump to `target` (the `END_SEND`).
//! - `END_SEND`: `[receiver, value]` -> `[value]`. `END_FOR`: pops one (the last item slot).
//! - `YIELD_VALUE arg`: arg = 1 when inside `yield from`/`await` (CPython's oparg), else 0.
//! - `RESUME arg`: 0 = function start, 1 = after yield, 2 = after yield from, 3 = after await.
//! - `RETURN_GENERATOR`: creates the generator/coroutine object and returns it to the caller;
//!   when resumed, execution continues at the next instruction (a POP_TOP of the sent None).
//! - `GET_AWAITABLE where`, `GET_YIELD_FROM_ITER`, `CLEANUP_THROW`, `END_ASYNC_FOR` as CPython.
//! - Exceptions: `PUSH_EXC_INFO` `[exc]` -> `[prev_exc, exc]`; `POP_EXCEPT` pops prev and
//!   restores it; `CHECK_EXC_MATCH` `[exc, type]` -> `[exc, bool]`; `RERAISE oparg`: pops exc,
//!   if oparg != 0 sets frame lasti from the value at stack[-1-oparg] (see CPython);
//!   `RAISE_VARARGS 0|1|2` (bare raise / raise exc / raise exc from cause).
//! - `BEFORE_WITH`: `[mgr]` -> `[bound __exit__, result of __enter__()]`.
//!   `WITH_EXCEPT_START`: `[exit_func, lasti, prev_exc, exc]` -> same + `[res]`.
//! - `BUILD_SLICE n` (2 or 3), `BINARY_SLICE` `[obj, start, stop]`, `STORE_SLICE`
//!   `[value, obj, start, stop]`.
//! - `CONVERT_VALUE k` (1 str, 2 repr, 3 ascii), `FORMAT_SIMPLE`, `FORMAT_WITH_SPEC`,
//!   `BUILD_STRING n`.
//! - `LOAD_FAST_LOAD_FAST arg`: slots (arg >> 4, arg & 15); `STORE_FAST_LOAD_FAST arg`:
//!   store arg >> 4, load arg & 15; `STORE_FAST_STORE_FAST arg`: store arg >> 4 then arg & 15.
//! - `LOAD_FAST_AND_CLEAR n`: push the slot value or NULL if unbound, and unbind it
//!   (inlined comprehensions). `LOAD_FAST_CHECK` raises UnboundLocalError if unbound.
//! - `CALL_INTRINSIC_1 n`: `Intrinsic1` numbering (CPython's).
//! - `UNPACK_EX arg`: before = arg & 0xFF, after = arg >> 8.
//! - `IMPORT_NAME ns`: `[level, fromlist]` -> `[module]`; `IMPORT_FROM ns` `[mod]` ->
//!   `[mod, attr]`.
//! - `match` (as CPython 3.13): `GET_LEN` `[obj]` -> `[obj, len]`; `MATCH_MAPPING` /
//!   `MATCH_SEQUENCE` `[subject]` -> `[subject, bool]`; `MATCH_KEYS` `[subject, keys]` ->
//!   `[subject, keys, values tuple or None]`; `MATCH_CLASS nargs` `[subject, cls, names]`
//!   -> `[attributes tuple or None]` (nargs positional attributes via `__match_args__`, then
//!   the attributes named in the `names` tuple).
//! - `LOAD_FROM_DICT_OR_DEREF slot`: `[mapping]` -> value (class bodies reading a free var).
//!
//! # Exception table
//! Sorted, non-overlapping `[start, end)` instruction ranges; on an exception at pc the VM
//! finds the entry containing pc, pops the stack to `depth`, pushes lasti (as an int offset)
//! if `push_lasti`, pushes the exception, and jumps to `handler`.

use std::fmt;
use std::rc::Rc;

use num_bigint::BigInt;
use vigil_plugin_api::events::Event;

/// What kind of operand an opcode uses, for the disassembler and for the VM's reading of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    /// The argument is ignored (always 0).
    None,
    /// A plain integer (counts, flags, kinds).
    Int,
    /// Index into `consts`.
    Const,
    /// Index into `names` (possibly shifted, see the layouts above).
    Name,
    /// A localsplus slot index.
    Local,
    /// An absolute instruction index.
    Jump,
}

macro_rules! opcodes {
    ($( $name:ident = $num:literal, $operand:ident, $event:expr, $twin:ident ;)*) => {
        /// Opcodes. Names are CPython 3.13's; numbers are ours.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Opcode { $( $name = $num, )* }

        /// The opcode table: one row per opcode.
        pub static OPCODE_TABLE: &[OpInfo] = &[ $( OpInfo {
            op: Opcode::$name,
            name: stringify!($name),
            operand: Operand::$operand,
            event: $event,
            twin: opcodes!(@twin $twin),
        }, )* ];

        /// Each opcode's byte as a constant, so a dispatch loop can `match` on the raw byte
        /// of an `Instruction` (no decoding step before its jump table).
        pub mod op {
            $( #[allow(missing_docs)] pub const $name: u8 = $num; )*
        }
    };
    (@twin None) => { None };
    (@twin $t:ident) => { Some(Opcode::$t) };
}

/// One row of the opcode table.
#[derive(Clone, Copy, Debug)]
pub struct OpInfo {
    /// The opcode.
    pub op: Opcode,
    /// CPython's name (what `dis` and INSTRUCTION events show).
    pub name: &'static str,
    /// Operand kind.
    pub operand: Operand,
    /// The monitoring event an instrumented twin raises, for both base and twin rows.
    /// RESUME: PY_START for arg 0, PY_RESUME otherwise (see `event_for`).
    pub event: Option<Event>,
    /// For a base opcode: its INSTRUMENTED_ twin. For a twin: its base opcode.
    pub twin: Option<Opcode>,
}

use Event as E;

opcodes! {
    // Numbering: base opcodes from 1, instrumented twins from 200 (`is_instrumented` relies
    // on that). Rows are found through INFO_INDEX, so numbers need not be dense.
    NOP = 1, None, None, None;
    POP_TOP = 2, None, None, None;
    PUSH_NULL = 3, None, None, None;
    END_FOR = 4, None, Some(E::StopIteration), INSTRUMENTED_END_FOR;
    END_SEND = 5, None, Some(E::StopIteration), INSTRUMENTED_END_SEND;
    COPY = 6, Int, None, None;
    SWAP = 7, Int, None, None;
    UNARY_NEGATIVE = 8, None, None, None;
    UNARY_NOT = 9, None, None, None;
    UNARY_INVERT = 10, None, None, None;
    TO_BOOL = 11, None, None, None;
    BINARY_OP = 12, Int, None, None;
    COMPARE_OP = 13, Int, None, None;
    IS_OP = 14, Int, None, None;
    CONTAINS_OP = 15, Int, None, None;
    BINARY_SUBSCR = 16, None, None, None;
    STORE_SUBSCR = 17, None, None, None;
    DELETE_SUBSCR = 18, None, None, None;
    BINARY_SLICE = 19, None, None, None;
    STORE_SLICE = 20, None, None, None;
    BUILD_SLICE = 21, Int, None, None;
    GET_ITER = 22, None, None, None;
    FOR_ITER = 23, Jump, Some(E::Branch), INSTRUMENTED_FOR_ITER;
    GET_YIELD_FROM_ITER = 24, None, None, None;
    SEND = 25, Jump, None, None;
    YIELD_VALUE = 26, Int, Some(E::PyYield), INSTRUMENTED_YIELD_VALUE;
    RESUME = 27, Int, Some(E::PyStart), INSTRUMENTED_RESUME;
    RETURN_VALUE = 28, None, Some(E::PyReturn), INSTRUMENTED_RETURN_VALUE;
    RETURN_CONST = 29, Const, Some(E::PyReturn), INSTRUMENTED_RETURN_CONST;
    RETURN_GENERATOR = 30, None, None, None;
    GET_AWAITABLE = 31, Int, None, None;
    CLEANUP_THROW = 32, None, None, None;
    END_ASYNC_FOR = 33, None, None, None;
    LOAD_CONST = 34, Const, None, None;
    LOAD_FAST = 35, Local, None, None;
    LOAD_FAST_CHECK = 36, Local, None, None;
    LOAD_FAST_AND_CLEAR = 37, Local, None, None;
    LOAD_FAST_LOAD_FAST = 38, Int, None, None;
    STORE_FAST = 39, Local, None, None;
    STORE_FAST_LOAD_FAST = 40, Int, None, None;
    STORE_FAST_STORE_FAST = 41, Int, None, None;
    DELETE_FAST = 42, Local, None, None;
    LOAD_GLOBAL = 43, Name, None, None;
    STORE_GLOBAL = 44, Name, None, None;
    DELETE_GLOBAL = 45, Name, None, None;
    LOAD_NAME = 46, Name, None, None;
    STORE_NAME = 47, Name, None, None;
    DELETE_NAME = 48, Name, None, None;
    LOAD_DEREF = 49, Local, None, None;
    STORE_DEREF = 50, Local, None, None;
    DELETE_DEREF = 51, Local, None, None;
    LOAD_FROM_DICT_OR_DEREF = 52, Local, None, None;
    LOAD_FROM_DICT_OR_GLOBALS = 53, Name, None, None;
    MAKE_CELL = 54, Local, None, None;
    COPY_FREE_VARS = 55, Int, None, None;
    LOAD_ATTR = 56, Name, None, None;
    STORE_ATTR = 57, Name, None, None;
    DELETE_ATTR = 58, Name, None, None;
    LOAD_SUPER_ATTR = 59, Name, Some(E::Call), INSTRUMENTED_LOAD_SUPER_ATTR;
    LOAD_BUILD_CLASS = 60, None, None, None;
    LOAD_LOCALS = 61, None, None, None;
    LOAD_ASSERTION_ERROR = 62, None, None, None;
    BUILD_TUPLE = 63, Int, None, None;
    BUILD_LIST = 64, Int, None, None;
    BUILD_SET = 65, Int, None, None;
    BUILD_MAP = 66, Int, None, None;
    BUILD_CONST_KEY_MAP = 67, Int, None, None;
    BUILD_STRING = 68, Int, None, None;
    LIST_APPEND = 69, Int, None, None;
    SET_ADD = 70, Int, None, None;
    MAP_ADD = 71, Int, None, None;
    LIST_EXTEND = 72, Int, None, None;
    SET_UPDATE = 73, Int, None, None;
    DICT_UPDATE = 74, Int, None, None;
    DICT_MERGE = 75, Int, None, None;
    UNPACK_SEQUENCE = 76, Int, None, None;
    UNPACK_EX = 77, Int, None, None;
    CALL = 78, Int, Some(E::Call), INSTRUMENTED_CALL;
    CALL_KW = 79, Int, Some(E::Call), INSTRUMENTED_CALL_KW;
    CALL_FUNCTION_EX = 80, Int, Some(E::Call), INSTRUMENTED_CALL_FUNCTION_EX;
    MAKE_FUNCTION = 81, None, None, None;
    SET_FUNCTION_ATTRIBUTE = 82, Int, None, None;
    CALL_INTRINSIC_1 = 83, Int, None, None;
    CALL_INTRINSIC_2 = 84, Int, None, None;
    FORMAT_SIMPLE = 85, None, None, None;
    FORMAT_WITH_SPEC = 86, None, None, None;
    CONVERT_VALUE = 87, Int, None, None;
    JUMP_FORWARD = 88, Jump, Some(E::Jump), INSTRUMENTED_JUMP_FORWARD;
    JUMP_BACKWARD = 89, Jump, Some(E::Jump), INSTRUMENTED_JUMP_BACKWARD;
    JUMP_BACKWARD_NO_INTERRUPT = 90, Jump, None, None;
    POP_JUMP_IF_FALSE = 91, Jump, Some(E::Branch), INSTRUMENTED_POP_JUMP_IF_FALSE;
    POP_JUMP_IF_TRUE = 92, Jump, Some(E::Branch), INSTRUMENTED_POP_JUMP_IF_TRUE;
    POP_JUMP_IF_NONE = 93, Jump, Some(E::Branch), INSTRUMENTED_POP_JUMP_IF_NONE;
    POP_JUMP_IF_NOT_NONE = 94, Jump, Some(E::Branch), INSTRUMENTED_POP_JUMP_IF_NOT_NONE;
    RAISE_VARARGS = 95, Int, None, None;
    RERAISE = 96, Int, None, None;
    PUSH_EXC_INFO = 97, None, None, None;
    POP_EXCEPT = 98, None, None, None;
    CHECK_EXC_MATCH = 99, None, None, None;
    WITH_EXCEPT_START = 100, None, None, None;
    BEFORE_WITH = 101, None, None, None;
    IMPORT_NAME = 102, Name, None, None;
    IMPORT_FROM = 103, Name, None, None;
    SETUP_ANNOTATIONS = 104, None, None, None;
    MATCH_MAPPING = 105, None, None, None;
    GET_LEN = 106, None, None, None;
    MATCH_SEQUENCE = 107, None, None, None;
    MATCH_KEYS = 108, None, None, None;
    MATCH_CLASS = 109, Int, None, None;
    // Never emitted by the compiler: the VM's executed word for a FOR_ITER that has not run
    // as a plain word since its code object was made or last lost its instrumentation. It
    // runs once as CPython's unspecialized FOR_ITER and then rewrites itself to FOR_ITER,
    // which CPython 3.13 would run specialized from then on (monitoring-semantics.md G6:
    // a generator's return then ends the loop with STOP_ITERATION at END_FOR). CPython's
    // adaptive counter as a word, so that the loop pays nothing per step for it.
    FOR_ITER_COLD = 190, Jump, None, None;
    // Instrumented twins (see monitoring-semantics.md §11.2). `twin` points back to the base.
    INSTRUMENTED_RESUME = 200, Int, Some(E::PyStart), RESUME;
    INSTRUMENTED_RETURN_VALUE = 201, None, Some(E::PyReturn), RETURN_VALUE;
    INSTRUMENTED_RETURN_CONST = 202, Const, Some(E::PyReturn), RETURN_CONST;
    INSTRUMENTED_YIELD_VALUE = 203, Int, Some(E::PyYield), YIELD_VALUE;
    INSTRUMENTED_CALL = 204, Int, Some(E::Call), CALL;
    INSTRUMENTED_CALL_KW = 205, Int, Some(E::Call), CALL_KW;
    INSTRUMENTED_CALL_FUNCTION_EX = 206, Int, Some(E::Call), CALL_FUNCTION_EX;
    INSTRUMENTED_LOAD_SUPER_ATTR = 207, Name, Some(E::Call), LOAD_SUPER_ATTR;
    INSTRUMENTED_JUMP_FORWARD = 208, Jump, Some(E::Jump), JUMP_FORWARD;
    INSTRUMENTED_JUMP_BACKWARD = 209, Jump, Some(E::Jump), JUMP_BACKWARD;
    INSTRUMENTED_POP_JUMP_IF_FALSE = 210, Jump, Some(E::Branch), POP_JUMP_IF_FALSE;
    INSTRUMENTED_POP_JUMP_IF_TRUE = 211, Jump, Some(E::Branch), POP_JUMP_IF_TRUE;
    INSTRUMENTED_POP_JUMP_IF_NONE = 212, Jump, Some(E::Branch), POP_JUMP_IF_NONE;
    INSTRUMENTED_POP_JUMP_IF_NOT_NONE = 213, Jump, Some(E::Branch), POP_JUMP_IF_NOT_NONE;
    INSTRUMENTED_FOR_ITER = 214, Jump, Some(E::Branch), FOR_ITER;
    INSTRUMENTED_END_FOR = 215, None, Some(E::StopIteration), END_FOR;
    INSTRUMENTED_END_SEND = 216, None, Some(E::StopIteration), END_SEND;
    // Overlays: the real opcode lives in a side table keyed by instruction index.
    INSTRUMENTED_LINE = 217, None, Some(E::Line), None;
    INSTRUMENTED_INSTRUCTION = 218, None, Some(E::Instruction), None;
    // The BRANCH twin of a conditional jump or FOR_ITER once every tool that wants BRANCH
    // there silenced the same one of its two directions (the VM's `relayer`, which keeps the
    // direction in its side table): the plain dispatch loop runs it and leaves only for the
    // other direction. The base instruction is the code object's own, as for the overlays.
    INSTRUMENTED_BRANCH_ONE_WAY = 219, Jump, Some(E::Branch), None;
}

/// Maps opcode number -> row in OPCODE_TABLE, built at compile time.
static INFO_INDEX: [u8; 256] = {
    let mut idx = [u8::MAX; 256];
    let mut i = 0;
    while i < OPCODE_TABLE.len() {
        idx[OPCODE_TABLE[i].op as usize] = i as u8;
        i += 1;
    }
    idx
};

impl Opcode {
    /// The table row of this opcode.
    #[inline]
    pub fn info(self) -> &'static OpInfo {
        &OPCODE_TABLE[INFO_INDEX[self as usize] as usize]
    }

    /// Decode a raw opcode byte. `None` for bytes that name no opcode.
    #[inline]
    pub fn from_u8(b: u8) -> Option<Opcode> {
        let i = INFO_INDEX[b as usize];
        if i == u8::MAX {
            None
        } else {
            Some(OPCODE_TABLE[i as usize].op)
        }
    }

    /// CPython's name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Is this an INSTRUMENTED_* opcode (twin or overlay)?
    pub fn is_instrumented(self) -> bool {
        (self as u8) >= 200
    }

    /// For a base opcode with an event: its instrumented twin.
    pub fn instrumented(self) -> Option<Opcode> {
        if self.is_instrumented() {
            None
        } else {
            self.info().twin
        }
    }

    /// For an instrumented twin: its base opcode (overlays have none: read the side table).
    pub fn deinstrumented(self) -> Opcode {
        if self.is_instrumented() {
            self.info().twin.unwrap_or(self)
        } else {
            self
        }
    }

    /// Unconditional or conditional jump with a target argument?
    pub fn is_jump(self) -> bool {
        self.info().operand == Operand::Jump
    }

    /// Unconditional jumps (control never falls through).
    pub fn is_unconditional_jump(self) -> bool {
        matches!(
            self,
            Opcode::JUMP_FORWARD | Opcode::JUMP_BACKWARD | Opcode::JUMP_BACKWARD_NO_INTERRUPT
        )
    }

    /// Instructions after which control never falls through.
    pub fn is_terminator(self) -> bool {
        self.is_unconditional_jump()
            || matches!(
                self,
                Opcode::RETURN_VALUE
                    | Opcode::RETURN_CONST
                    | Opcode::RAISE_VARARGS
                    | Opcode::RERAISE
            )
    }
}

/// THE opcode -> event function (the only one). RESUME's event depends on its argument.
/// LINE and INSTRUCTION are overlays and are not returned for base opcodes.
#[inline]
pub fn event_for(op: Opcode, arg: u32) -> Option<Event> {
    match op.deinstrumented() {
        Opcode::RESUME => Some(if arg == 0 {
            Event::PyStart
        } else {
            Event::PyResume
        }),
        _ => op.info().event,
    }
}

/// One encoded instruction: opcode in the low byte, argument in the high 24 bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Instruction(pub u32);

/// Largest argument an instruction can carry.
pub const MAX_ARG: u32 = (1 << 24) - 1;

impl Instruction {
    /// Encode. Panics (in debug) if `arg` does not fit in 24 bits; the compiler checks first.
    #[inline]
    pub fn new(op: Opcode, arg: u32) -> Instruction {
        debug_assert!(arg <= MAX_ARG);
        Instruction((arg << 8) | op as u32)
    }
    /// The opcode. Every stored instruction holds a valid opcode byte.
    #[inline]
    pub fn op(self) -> Opcode {
        // The compiler and the instrumenter only ever write valid opcode bytes.
        Opcode::from_u8(self.0 as u8).unwrap_or(Opcode::NOP)
    }
    /// Raw opcode byte (for a fast `match` in the VM if it prefers).
    #[inline]
    pub fn op_byte(self) -> u8 {
        self.0 as u8
    }
    /// The argument.
    #[inline]
    pub fn arg(self) -> u32 {
        self.0 >> 8
    }
    /// Same argument, other opcode (instrumenting and de-instrumenting).
    #[inline]
    pub fn with_op(self, op: Opcode) -> Instruction {
        Instruction((self.0 & !0xFF) | op as u32)
    }
}

impl fmt::Debug for Instruction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.op().name(), self.arg())
    }
}

/// `BINARY_OP` arguments, CPython's NB_* numbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum BinaryOp {
    Add = 0,
    And = 1,
    FloorDivide = 2,
    Lshift = 3,
    MatrixMultiply = 4,
    Multiply = 5,
    Remainder = 6,
    Or = 7,
    Power = 8,
    Rshift = 9,
    Subtract = 10,
    TrueDivide = 11,
    Xor = 12,
    // In-place forms are the same + 13 (InplaceAdd = 13 ... InplaceXor = 25).
}

/// Offset added to a `BinaryOp` for its in-place (augmented assignment) form.
pub const INPLACE_OFFSET: u32 = 13;

impl BinaryOp {
    /// Operator symbol without `=`, indexed by `arg % 13`.
    pub const SYMBOLS: [&'static str; 13] = [
        "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^",
    ];
}

/// `COMPARE_OP` comparison kinds (arg >> 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum CompareOp {
    Lt = 0,
    Le = 1,
    Eq = 2,
    Ne = 3,
    Gt = 4,
    Ge = 5,
}

/// `COMPARE_OP` flag: convert the result to bool (the compare feeds a jump).
pub const COMPARE_TO_BOOL: u32 = 16;

/// `CALL_INTRINSIC_1` kinds (CPython numbering).
#[allow(missing_docs)]
pub mod intrinsic1 {
    pub const PRINT: u32 = 1;
    pub const IMPORT_STAR: u32 = 2;
    pub const STOPITERATION_ERROR: u32 = 3;
    pub const ASYNC_GEN_WRAP: u32 = 4;
    pub const UNARY_POSITIVE: u32 = 5;
    pub const LIST_TO_TUPLE: u32 = 6;
}

/// `SET_FUNCTION_ATTRIBUTE` flags.
#[allow(missing_docs)]
pub mod fn_attr {
    pub const DEFAULTS: u32 = 1;
    pub const KWDEFAULTS: u32 = 2;
    pub const ANNOTATIONS: u32 = 4;
    pub const CLOSURE: u32 = 8;
}

/// Code flags (CPython's CO_* bit values).
#[allow(missing_docs)]
pub mod co_flags {
    pub const OPTIMIZED: u32 = 0x1;
    pub const NEWLOCALS: u32 = 0x2;
    pub const VARARGS: u32 = 0x4;
    pub const VARKEYWORDS: u32 = 0x8;
    pub const NESTED: u32 = 0x10;
    pub const GENERATOR: u32 = 0x20;
    pub const NOFREE: u32 = 0x40;
    pub const COROUTINE: u32 = 0x80;
    pub const ITERABLE_COROUTINE: u32 = 0x100;
    pub const ASYNC_GENERATOR: u32 = 0x200;
    /// `from __future__ import annotations`.
    pub const FUTURE_ANNOTATIONS: u32 = 0x100_0000;
    /// `consts[0]` is the docstring (CPython 3.14's CO_HAS_DOCSTRING).
    pub const HAS_DOCSTRING: u32 = 0x400_0000;
}

/// A compile-time constant.
#[derive(Clone, Debug)]
pub enum Constant {
    /// `None`
    None,
    /// `True`/`False`
    Bool(bool),
    /// An int that fits in i64.
    Int(i64),
    /// Any other int.
    BigInt(BigInt),
    /// A float.
    Float(f64),
    /// A complex literal `(real, imag)`.
    Complex(f64, f64),
    /// A str.
    Str(Rc<str>),
    /// A bytes literal.
    Bytes(Rc<[u8]>),
    /// A tuple of constants (folded tuples, kwnames, defaults).
    Tuple(Rc<[Constant]>),
    /// A frozenset of constants (`x in {1, 2}`), elements in source order.
    FrozenSet(Rc<[Constant]>),
    /// A nested code object.
    Code(Rc<CodeObject>),
    /// `...`
    Ellipsis,
}

impl PartialEq for Constant {
    /// Identity for dedup in the constant pool: same type and same value (floats by bits,
    /// so 0.0 and -0.0 stay distinct), code objects by pointer.
    fn eq(&self, other: &Self) -> bool {
        use Constant as C;
        match (self, other) {
            (C::None, C::None) | (C::Ellipsis, C::Ellipsis) => true,
            (C::Bool(a), C::Bool(b)) => a == b,
            (C::Int(a), C::Int(b)) => a == b,
            (C::BigInt(a), C::BigInt(b)) => a == b,
            (C::Float(a), C::Float(b)) => a.to_bits() == b.to_bits(),
            (C::Complex(a, b), C::Complex(c, d)) => {
                a.to_bits() == c.to_bits() && b.to_bits() == d.to_bits()
            }
            (C::Str(a), C::Str(b)) => a == b,
            (C::Bytes(a), C::Bytes(b)) => a == b,
            (C::Tuple(a), C::Tuple(b)) | (C::FrozenSet(a), C::FrozenSet(b)) => a == b,
            // Structurally equal code objects are one constant (CPython merges them, e.g.
            // the genexp in a `while` test that is compiled twice).
            (C::Code(a), C::Code(b)) => Rc::ptr_eq(a, b) || same_code(a, b),
            _ => false,
        }
    }
}

fn same_code(a: &CodeObject, b: &CodeObject) -> bool {
    a.qualname == b.qualname
        && a.first_line == b.first_line
        && a.flags == b.flags
        && a.argcount == b.argcount
        && a.kwonlyargcount == b.kwonlyargcount
        && a.posonlyargcount == b.posonlyargcount
        && a.instructions == b.instructions
        && a.locations == b.locations
        && a.names == b.names
        && a.varnames == b.varnames
        && a.freevars == b.freevars
        && a.cellvars == b.cellvars
        && a.exception_table == b.exception_table
        && a.consts == b.consts
}

/// Source position of one instruction (CPython's co_positions). Lines are 1-based; `line`
/// is -1 for an instruction with no line (CPython's None). Columns are 0-based UTF-8 byte
/// offsets, -1 when unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// Start line, or -1.
    pub line: i32,
    /// End line, or -1.
    pub end_line: i32,
    /// Start column (UTF-8 bytes), or -1.
    pub col: i32,
    /// End column (UTF-8 bytes), or -1.
    pub end_col: i32,
}

impl Location {
    /// No location (artificial instruction).
    pub const NONE: Location = Location {
        line: -1,
        end_line: -1,
        col: -1,
        end_col: -1,
    };

    /// The line as an Option.
    pub fn line(self) -> Option<u32> {
        if self.line < 0 {
            None
        } else {
            Some(self.line as u32)
        }
    }
}

/// CPython 3.13's inline cache entries after `op` (`opcode._inline_cache_entries`), in
/// code units. vigil has no caches, but CPython's offsets count them.
pub fn cpython_cache_units(op: Opcode) -> u32 {
    use Opcode as O;
    match op.deinstrumented() {
        O::LOAD_ATTR => 9,
        O::LOAD_GLOBAL | O::STORE_ATTR => 4,
        O::CALL | O::TO_BOOL => 3,
        O::BINARY_OP
        | O::UNPACK_SEQUENCE
        | O::COMPARE_OP
        | O::CONTAINS_OP
        | O::BINARY_SUBSCR
        | O::FOR_ITER
        | O::LOAD_SUPER_ATTR
        | O::STORE_SUBSCR
        | O::SEND
        | O::JUMP_BACKWARD
        | O::POP_JUMP_IF_TRUE
        | O::POP_JUMP_IF_FALSE
        | O::POP_JUMP_IF_NONE
        | O::POP_JUMP_IF_NOT_NONE => 1,
        _ => 0,
    }
}

/// EXTENDED_ARG prefixes CPython needs for an argument (one per byte above the first).
fn extended_arg_units(arg: u32) -> u32 {
    match arg {
        0..=0xFF => 0,
        0x100..=0xFFFF => 1,
        0x1_0000..=0xFF_FFFF => 2,
        _ => 3,
    }
}

/// CPython 3.13's code-unit layout of `code`: `(starts, ops)` where `starts[i]` is the unit
/// where instruction i begins (its first EXTENDED_ARG prefix, which is where jumps to it
/// land), `starts[n]` the total length, and `ops[i]` the unit of the instruction's own opcode
/// (what monitoring reports). CPython's jump arguments are relative code-unit distances from
/// the end of the jump's caches (backward for JUMP_BACKWARD*), so their prefix counts depend
/// on the layout they are part of: grow them until nothing changes (sizes only grow, so this
/// ends), as CPython's assembler does. Other arguments are CPython's own values already.
pub fn cpython_layout(code: &[Instruction]) -> (Vec<u32>, Vec<u32>) {
    let n = code.len();
    let mut ext: Vec<u32> = code
        .iter()
        .map(|i| {
            if i.op().is_jump() {
                0
            } else {
                extended_arg_units(i.arg())
            }
        })
        .collect();
    let mut starts = vec![0u32; n + 1];
    loop {
        let mut unit = 0u32;
        for (i, ins) in code.iter().enumerate() {
            starts[i] = unit;
            unit += ext[i] + 1 + cpython_cache_units(ins.op());
        }
        starts[n] = unit;
        let mut grew = false;
        for (i, ins) in code.iter().enumerate() {
            let op = ins.op().deinstrumented();
            if !op.is_jump() {
                continue;
            }
            let after = starts[i] + ext[i] + 1 + cpython_cache_units(op);
            let target = starts[(ins.arg() as usize).min(n)];
            let distance = if matches!(
                op,
                Opcode::JUMP_BACKWARD | Opcode::JUMP_BACKWARD_NO_INTERRUPT
            ) {
                after.saturating_sub(target)
            } else {
                target.saturating_sub(after)
            };
            let e = extended_arg_units(distance);
            if e > ext[i] {
                ext[i] = e;
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    let ops = (0..n).map(|i| starts[i] + ext[i]).collect();
    (starts, ops)
}

/// One exception-table entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionEntry {
    /// First covered instruction index.
    pub start: u32,
    /// One past the last covered instruction index.
    pub end: u32,
    /// Handler instruction index.
    pub handler: u32,
    /// Stack depth to pop down to before pushing (lasti and) the exception.
    pub depth: u32,
    /// Push the raising instruction's index before the exception.
    pub push_lasti: bool,
}

/// A compiled code object. Immutable and shared; the VM keeps its mutable (instrumented)
/// copy of `instructions` per code object on its side.
#[derive(Debug)]
pub struct CodeObject {
    /// `co_name`.
    pub name: Rc<str>,
    /// `co_qualname`.
    pub qualname: Rc<str>,
    /// `co_filename`.
    pub filename: Rc<str>,
    /// `co_firstlineno` (first decorator line for decorated defs; 1 for modules).
    pub first_line: u32,
    /// Positional parameters including positional-only.
    pub argcount: u32,
    /// Positional-only parameters.
    pub posonlyargcount: u32,
    /// Keyword-only parameters.
    pub kwonlyargcount: u32,
    /// `co_flags` (see `co_flags`).
    pub flags: u32,
    /// Local variable names (parameters first). Slot i < varnames.len() is `varnames[i]`.
    pub varnames: Vec<Rc<str>>,
    /// Cell variable names in CPython order (`co_cellvars`).
    pub cellvars: Vec<Rc<str>>,
    /// Free variable names (`co_freevars`); they occupy the last slots of localsplus.
    pub freevars: Vec<Rc<str>>,
    /// The localsplus slot of each cellvar, same order as `cellvars` (an argument's own slot
    /// when the cell is an argument).
    pub cell_slots: Vec<u32>,
    /// Global/attribute names.
    pub names: Vec<Rc<str>>,
    /// Constants.
    pub consts: Vec<Constant>,
    /// The code.
    pub instructions: Vec<Instruction>,
    /// One location per instruction.
    pub locations: Vec<Location>,
    /// Zero-cost exception handling table, sorted by `start`.
    pub exception_table: Vec<ExceptionEntry>,
    /// Maximum value-stack depth.
    pub stacksize: u32,
    /// CPython 3.13 layout (see [`cpython_layout`]): code unit where instruction i starts
    /// (its EXTENDED_ARG prefixes included); one extra entry, the total length in units.
    pub cpy_starts: Vec<u32>,
    /// CPython 3.13 layout: code unit of instruction i's own opcode (after its prefixes).
    pub cpy_ops: Vec<u32>,
}

impl CodeObject {
    /// Total frame slots: varnames + non-argument cells + freevars.
    pub fn nlocalsplus(&self) -> usize {
        let extra_cells = self
            .cell_slots
            .iter()
            .filter(|&&s| s as usize >= self.varnames.len())
            .count();
        self.varnames.len() + extra_cells + self.freevars.len()
    }

    /// Name of a localsplus slot.
    pub fn slot_name(&self, slot: u32) -> Rc<str> {
        let s = slot as usize;
        if s < self.varnames.len() {
            return self.varnames[s].clone();
        }
        for (i, &cs) in self.cell_slots.iter().enumerate() {
            if cs == slot {
                return self.cellvars[i].clone();
            }
        }
        let first_free = self.nlocalsplus() - self.freevars.len();
        self.freevars
            .get(s.wrapping_sub(first_free))
            .cloned()
            .unwrap_or_else(|| Rc::from("?"))
    }

    /// The line of instruction `index`, or None (CPython's co_lines for that offset).
    pub fn line_at(&self, index: usize) -> Option<u32> {
        self.locations.get(index).and_then(|l| l.line())
    }

    /// CPython's `co_lines()`: maximal runs `(start, end, line)` of equal line.
    pub fn co_lines(&self) -> Vec<(u32, u32, Option<u32>)> {
        let mut out: Vec<(u32, u32, Option<u32>)> = Vec::new();
        for (i, loc) in self.locations.iter().enumerate() {
            let line = loc.line();
            match out.last_mut() {
                Some(last) if last.2 == line => last.1 = i as u32 + 1,
                _ => out.push((i as u32, i as u32 + 1, line)),
            }
        }
        out
    }

    /// CPython's byte offset of instruction `index` itself (what monitoring events report);
    /// an index past the end gives the code's length in bytes. Inlined: native tools get it
    /// per event.
    #[inline]
    pub fn cpython_offset(&self, index: usize) -> u32 {
        match self.cpy_ops.get(index) {
            Some(&u) => 2 * u,
            None => 2 * self.cpy_starts.last().copied().unwrap_or(0),
        }
    }

    /// CPython's byte offset where a jump to instruction `index` lands (its first
    /// EXTENDED_ARG prefix, if any): BRANCH/JUMP destinations. An index past the end gives
    /// the code's length in bytes.
    #[inline]
    pub fn cpython_target(&self, index: usize) -> u32 {
        match self.cpy_starts.get(index) {
            Some(&u) => 2 * u,
            None => 2 * self.cpy_starts.last().copied().unwrap_or(0),
        }
    }

    /// How many EXTENDED_ARG prefixes CPython 3.13 puts before instruction `index` (each is
    /// a code unit of its own, with its own INSTRUCTION event).
    #[inline]
    pub fn cpython_prefixes(&self, index: usize) -> u32 {
        match (self.cpy_starts.get(index), self.cpy_ops.get(index)) {
            (Some(&s), Some(&o)) => o - s,
            _ => 0,
        }
    }

    /// The instruction whose CPython code units (prefixes, opcode, caches) cover byte
    /// `offset`, or None past the end: the inverse of [`CodeObject::cpython_offset`] and
    /// [`CodeObject::cpython_target`].
    pub fn index_at_cpython_offset(&self, offset: u32) -> Option<usize> {
        let unit = offset / 2;
        let n = self.cpy_ops.len();
        let i = self.cpy_starts[..n.min(self.cpy_starts.len())].partition_point(|&s| s <= unit);
        (i > 0 && unit < self.cpy_starts.get(n).copied().unwrap_or(0)).then(|| i - 1)
    }

    /// CPython's `co_lines()` in byte offsets: maximal runs `(start, end, line)`, each
    /// instruction covering its prefixes and caches.
    pub fn cpython_co_lines(&self) -> Vec<(u32, u32, Option<u32>)> {
        let mut out: Vec<(u32, u32, Option<u32>)> = Vec::new();
        for (i, loc) in self.locations.iter().enumerate() {
            let line = loc.line();
            let (s, e) = (self.cpython_target(i), self.cpython_target(i + 1));
            match out.last_mut() {
                Some(last) if last.2 == line => last.1 = e,
                _ => out.push((s, e, line)),
            }
        }
        out
    }

    /// CPython's `co_positions()`: one location per code unit (prefixes and caches repeat
    /// their instruction's location).
    pub fn cpython_positions(&self) -> Vec<Location> {
        let mut out = Vec::new();
        for (i, loc) in self.locations.iter().enumerate() {
            let units = self.cpython_target(i + 1) / 2 - self.cpython_target(i) / 2;
            out.extend(std::iter::repeat_n(*loc, units as usize));
        }
        out
    }

    /// Exception table lookup for instruction `index`.
    pub fn handler_for(&self, index: u32) -> Option<&ExceptionEntry> {
        // Entries are sorted and disjoint: binary search on start.
        let pos = self.exception_table.partition_point(|e| e.start <= index);
        if pos == 0 {
            return None;
        }
        let e = &self.exception_table[pos - 1];
        (index < e.end).then_some(e)
    }

    /// Is this a generator, coroutine or async generator code object?
    pub fn is_generator_like(&self) -> bool {
        self.flags & (co_flags::GENERATOR | co_flags::COROUTINE | co_flags::ASYNC_GENERATOR) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twins_map_back_and_share_the_event() {
        for row in OPCODE_TABLE {
            assert_eq!(Opcode::from_u8(row.op as u8), Some(row.op), "{}", row.name);
            if let Some(t) = row.op.instrumented() {
                assert!(t.is_instrumented(), "{}", row.name);
                assert_eq!(t.deinstrumented(), row.op, "{}", row.name);
                assert_eq!(t.info().event, row.event, "{}", row.name);
                assert_eq!(t.name(), format!("INSTRUMENTED_{}", row.name));
            }
        }
        // The 19 instrumented opcodes of CPython 3.13 (monitoring-semantics.md §11.2), and
        // vigil's own INSTRUMENTED_BRANCH_ONE_WAY.
        assert_eq!(
            OPCODE_TABLE
                .iter()
                .filter(|r| r.op.is_instrumented() && r.op != Opcode::INSTRUMENTED_BRANCH_ONE_WAY)
                .count(),
            19
        );
    }

    #[test]
    fn one_event_function() {
        assert_eq!(event_for(Opcode::RESUME, 0), Some(Event::PyStart));
        assert_eq!(
            event_for(Opcode::INSTRUMENTED_RESUME, 1),
            Some(Event::PyResume)
        );
        assert_eq!(event_for(Opcode::FOR_ITER, 9), Some(Event::Branch));
        assert_eq!(event_for(Opcode::JUMP_BACKWARD_NO_INTERRUPT, 0), None);
        assert_eq!(event_for(Opcode::SEND, 0), None);
        assert_eq!(event_for(Opcode::LOAD_SUPER_ATTR, 4), Some(Event::Call));
        assert_eq!(event_for(Opcode::END_SEND, 0), Some(Event::StopIteration));
    }

    #[test]
    fn encoding_round_trips() {
        let i = Instruction::new(Opcode::LOAD_GLOBAL, MAX_ARG);
        assert_eq!(i.op(), Opcode::LOAD_GLOBAL);
        assert_eq!(i.arg(), MAX_ARG);
        let j = i.with_op(Opcode::NOP);
        assert_eq!((j.op(), j.arg()), (Opcode::NOP, MAX_ARG));
    }
}

//! The error value every fallible function in this crate returns: a CPython exception type
//! name plus its exact message text. It owns no traceback or object model; the VM turns a
//! [`PyError`] into a real exception object of the named class.

use std::fmt;

/// The CPython exception classes this crate can raise. Kept closed so the VM can map each one
/// to its builtin class with an exhaustive `match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExcKind {
    /// `ValueError`
    ValueError,
    /// `TypeError`
    TypeError,
    /// `OverflowError`
    OverflowError,
    /// `ZeroDivisionError`
    ZeroDivisionError,
    /// `KeyError`
    KeyError,
    /// `IndexError`
    IndexError,
    /// `MemoryError`
    MemoryError,
}

impl ExcKind {
    /// The class name exactly as CPython prints it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::ValueError => "ValueError",
            Self::TypeError => "TypeError",
            Self::OverflowError => "OverflowError",
            Self::ZeroDivisionError => "ZeroDivisionError",
            Self::KeyError => "KeyError",
            Self::IndexError => "IndexError",
            Self::MemoryError => "MemoryError",
        }
    }
}

/// A Python exception described by class and message, e.g.
/// `ValueError: Unknown format code 'd' for object of type 'float'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyError {
    /// Which exception class to raise.
    pub kind: ExcKind,
    /// The message, byte for byte what CPython 3.13 puts in `str(exc)`.
    pub msg: String,
}

impl PyError {
    /// Builds an error of `kind` with message `msg`.
    pub fn new(kind: ExcKind, msg: impl Into<String>) -> Self {
        Self {
            kind,
            msg: msg.into(),
        }
    }
    /// `ValueError(msg)`.
    pub fn value(msg: impl Into<String>) -> Self {
        Self::new(ExcKind::ValueError, msg)
    }
    /// `TypeError(msg)`.
    pub fn type_error(msg: impl Into<String>) -> Self {
        Self::new(ExcKind::TypeError, msg)
    }
    /// `OverflowError(msg)`.
    pub fn overflow(msg: impl Into<String>) -> Self {
        Self::new(ExcKind::OverflowError, msg)
    }
    /// `ZeroDivisionError(msg)`.
    pub fn zero_div(msg: impl Into<String>) -> Self {
        Self::new(ExcKind::ZeroDivisionError, msg)
    }
}

impl fmt::Display for PyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.msg.is_empty() {
            f.write_str(self.kind.name())
        } else {
            write!(f, "{}: {}", self.kind.name(), self.msg)
        }
    }
}

impl std::error::Error for PyError {}

/// Result alias used throughout the crate.
pub type PyResult<T> = Result<T, PyError>;

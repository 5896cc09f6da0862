//! The protocol state machine (placeholder until the link lands).

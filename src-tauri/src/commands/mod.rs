//! The window's commands, by feature. Each is registered once, in `registry.rs`.

pub mod journeys;
pub mod links;
pub mod m2m;
pub mod moving;
pub mod support;
pub mod wizard;

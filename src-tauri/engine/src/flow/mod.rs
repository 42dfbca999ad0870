//! What the user goes through: the wizard with its setup and its journeys, the home screen, and the
//! test of every saved connection. The top of the engine; only `support` may sit above it.

pub mod batch;
pub mod cards;
pub mod home;
mod interface;
pub mod journey;
pub mod parts;
pub mod plan;
mod progress;
pub mod renew;
pub mod setup;
pub mod view;
pub mod wizard;

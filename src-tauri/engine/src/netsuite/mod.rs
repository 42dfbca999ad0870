//! What is true of NetSuite whatever the app keeps or shows: account IDs and hosts, the pages of an
//! account, request signing, the client and what an answer means. The bottom layer: it names nothing
//! else in the engine.

pub mod account;
pub mod client;
pub mod oauth1;
pub mod oauth2;
pub mod outcome;
pub mod pages;
pub mod signer;
pub mod stage;

//! What is kept between runs: the secrets as they arrive, the keyring vault, the connection file and
//! the saved connections that tie the two together. It knows NetSuite and the profiles; it never names
//! a flow, the support report or the OS helpers.

pub mod connections;
pub mod files;
pub mod m2m;
pub mod moving;
pub mod record;
pub mod secrets;
pub mod store;
pub mod vault;

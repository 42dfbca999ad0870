//! One file per subcommand.

pub(crate) mod check_account;
pub(crate) mod completion;
pub(crate) mod connections;
pub(crate) mod m2m;
pub(crate) mod migrate;
pub(crate) mod profiles;
pub(crate) mod sign;
pub(crate) mod status;
pub(crate) mod test;

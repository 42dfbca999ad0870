//! OAuth 2.0 client credentials ("machine to machine"), TBA's successor for integrations that run
//! unattended: a key pair NetSuite accepts (`keys`), the self-signed certificate uploaded to the mapping
//! (`certificate`), and the client assertion signed with the key (`assertion`). The token exchange and
//! the bearer calls are in `client`, what their refusals mean in `outcome`.

pub mod assertion;
pub mod certificate;
pub mod keys;

pub use assertion::{client_assertion, AssertionError, AssertionParams, Scope, ScopeForm};
pub use certificate::{import_pair, Certificate, CertificateError, ImportedPair};
pub use keys::{Algorithm, KeyError, KeyKind, PrivateKey};

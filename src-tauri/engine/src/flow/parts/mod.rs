//! What a screen collects, written once and hosted by the setup and by journeys alike. A part acts on
//! a connection the host names; the host decides which screen carries it (`view::PartKind`), and the
//! wizard refuses an action on a part the screen on display does not carry.

pub mod key;

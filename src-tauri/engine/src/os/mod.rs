//! The operating system's services: the clipboard, opening a URL, and app links. They know NetSuite's
//! accounts and the profiles, nothing of what is kept or of the flows.

pub mod applink;
pub mod clipboard;
pub mod opener;

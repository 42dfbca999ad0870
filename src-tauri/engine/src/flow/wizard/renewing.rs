//! The home card's Renew now: checked and prepared under the wizard's lock, run off it (a renewal makes
//! several calls to NetSuite), and its outcome kept for the card.

use super::Wizard;
use crate::flow::home::HomeView;
use crate::flow::renew::{renewable, Renewal, WindowRenewal};
use crate::flow::view::{bad, WizardError};
use crate::keep::connections::{ConnectionError, Connections};
use crate::keep::vault::SecretStore;

impl<S: SecretStore + Clone> Wizard<S> {
    /// A renewal of `id`'s certificate to run off the lock; refused while a journey is under way on it or
    /// another renewal runs.
    pub fn renewal(&mut self, id: &str) -> Result<WindowRenewal<S>, WizardError> {
        if self.home.renewing.is_some() {
            return Err(bad("A renewal is already under way: wait for it to finish."));
        }
        if self.journey_on(id) {
            return Err(bad(
                "A journey is under way on this connection: finish it or stop it before renewing.",
            ));
        }
        let c = self.connections.sync(id)?;
        if !renewable(&c) {
            return Err(bad(format!(
                "“{}” cannot be renewed here: it needs an OAuth 2.0 key in use with its Certificate ID, and no \
                 old TBA token kept beside it.",
                c.label
            )));
        }
        let handle = Connections::new(
            crate::keep::store::ConnectionStore::new(self.connections.store.dir()),
            self.connections.vault.handle(),
        );
        let renewal = WindowRenewal::new(handle, &c)?;
        self.home.renewing = Some(c.id.clone());
        Ok(renewal)
    }

    /// Keeps how `renewal` ended for its card, and the home screen as it now is.
    pub fn record_renewal(&mut self, renewal: &WindowRenewal<S>, ended: Result<Renewal, ConnectionError>) -> HomeView {
        self.home.renewing = None;
        self.home.record_renewal(&renewal.id, ended);
        self.home()
    }
}

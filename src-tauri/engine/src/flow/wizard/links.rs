//! The pages the screen on display links to, and the hosts a URL may be opened for.

use super::*;

impl<S: SecretStore> Wizard<S> {
    /// The URL of one of the current screen's links (`page`, `also:N`, `connector`), for opening.
    pub fn link(&self, which: &str) -> Result<(url::Url, Vec<String>), WizardError> {
        let flow = self.active().ok_or_else(|| not_now(CHOOSE_FIRST))?;
        let view = flow.current(&self.connections).ok_or_else(|| not_now(CHOOSE_FIRST))?;
        let link = match which {
            "page" => view.page,
            "connector" => view
                .body
                .handoff()
                .and_then(|h| h.connector_page.clone())
                .or_else(|| flow.connector_link(&self.connections)),
            other => other
                .strip_prefix("also:")
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| view.also_open.get(n).cloned()),
        }
        .ok_or_else(|| bad("This screen has no such page."))?;
        let url = url::Url::parse(&link.url).map_err(|_| bad("That page's address is not valid."))?;
        Ok((url, self.allowed_hosts()))
    }

    /// Hosts URLs may be opened for: the account's NetSuite hosts and the connector's page.
    pub(crate) fn allowed_hosts(&self) -> Vec<String> {
        let Some(flow) = self.active() else { return vec![] };
        let mut hosts: Vec<String> = flow
            .account(&self.connections)
            .map(|a| a.hosts().to_vec())
            .unwrap_or_default();
        if let Some(host) = flow
            .connector_link(&self.connections)
            .and_then(|l| url::Url::parse(&l.url).ok())
            .and_then(|u| u.host_str().map(str::to_owned))
        {
            hosts.push(host);
        }
        hosts
    }
}

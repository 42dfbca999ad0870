//! Deep links into the NetSuite UI of one account. This is the only place that builds NetSuite page
//! URLs, so a wrong path is fixed once.

use crate::netsuite::account::Account;
use serde::{Deserialize, Serialize};
use url::Url;

/// The NetSuite pages the procedures send people to.
///
/// Some pages have no known direct address (the SuiteCloud subtab of Enable Features, the Login Audit
/// Trail, SOAP Web Services Preferences); their steps link to the nearest page and say where to click.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    EnableFeatures,
    CompanyInformation,
    ManageIntegrations,
    NewIntegration,
    ManageRoles,
    NewRole,
    ManageUsers,
    Employees,
    AccessTokens,
    NewAccessToken,
    OwnAccessTokens,
    IntegrationGovernance,
    /// Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup: the
    /// mappings of certificates to integration record, role and entity. Not Setup > Company >
    /// Certificates, which holds SuiteScript's digital certificates.
    M2mSetup,
}

impl Page {
    pub const ALL: [Page; 13] = [
        Page::EnableFeatures,
        Page::CompanyInformation,
        Page::ManageIntegrations,
        Page::NewIntegration,
        Page::ManageRoles,
        Page::NewRole,
        Page::ManageUsers,
        Page::Employees,
        Page::AccessTokens,
        Page::NewAccessToken,
        Page::OwnAccessTokens,
        Page::IntegrationGovernance,
        Page::M2mSetup,
    ];

    fn path(self) -> &'static str {
        match self {
            Page::EnableFeatures => "/app/setup/features.nl",
            Page::CompanyInformation => "/app/common/otherlists/company.nl",
            Page::ManageIntegrations => "/app/common/integration/integrapplist.nl",
            Page::NewIntegration => "/app/common/integration/integrapp.nl",
            Page::ManageRoles => "/app/setup/rolelist.nl",
            Page::NewRole => "/app/setup/role.nl",
            Page::ManageUsers => "/app/setup/listusers.nl",
            Page::Employees => "/app/common/entity/employeelist.nl",
            Page::AccessTokens => "/app/setup/accesstokens.nl",
            Page::NewAccessToken => "/app/setup/accesstoken.nl",
            Page::OwnAccessTokens => "/app/setup/useraccesstokens.nl",
            Page::IntegrationGovernance => "/app/webservices/governance/governance.nl",
            Page::M2mSetup => "/app/oauth2/clientcredentials/setup.nl",
        }
    }

    /// NetSuite's own name for the page, for buttons like "Open Enable Features in NetSuite".
    pub fn title(self) -> &'static str {
        match self {
            Page::EnableFeatures => "Enable Features",
            Page::CompanyInformation => "Company Information",
            Page::ManageIntegrations => "Manage Integrations",
            Page::NewIntegration => "New Integration",
            Page::ManageRoles => "Manage Roles",
            Page::NewRole => "New Role",
            Page::ManageUsers => "Manage Users",
            Page::Employees => "Employees",
            Page::AccessTokens => "Access Tokens",
            Page::NewAccessToken => "New Access Token",
            Page::OwnAccessTokens => "Manage Access Tokens",
            Page::IntegrationGovernance => "Integration Governance",
            Page::M2mSetup => "OAuth 2.0 Client Credentials (M2M) Setup",
        }
    }

    /// The machine name used in JSON and on the command line.
    pub fn code(self) -> String {
        crate::serde_name(&self)
    }
}

/// The address of `page` in `account`'s NetSuite UI.
pub fn deep_link(account: &Account, page: Page) -> Url {
    let mut url = Url::parse("https://app.netsuite.com/").expect("static URL parses");
    url.set_host(Some(&account.ui_host()))
        .expect("account host labels are valid host names");
    url.set_path(page.path());
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_land_on_the_account_ui_host() {
        let a = Account::parse("1234567_sb1").unwrap();
        assert_eq!(
            deep_link(&a, Page::EnableFeatures).as_str(),
            "https://1234567-sb1.app.netsuite.com/app/setup/features.nl"
        );
        assert_eq!(
            deep_link(&a, Page::NewAccessToken).as_str(),
            "https://1234567-sb1.app.netsuite.com/app/setup/accesstoken.nl"
        );
        assert_eq!(
            deep_link(&a, Page::ManageIntegrations).as_str(),
            "https://1234567-sb1.app.netsuite.com/app/common/integration/integrapplist.nl"
        );
        assert_eq!(
            deep_link(&a, Page::M2mSetup).as_str(),
            "https://1234567-sb1.app.netsuite.com/app/oauth2/clientcredentials/setup.nl"
        );
        assert_eq!(Page::M2mSetup.code(), "m2m_setup");
        for page in Page::ALL {
            let url = deep_link(&a, page);
            assert_eq!(url.scheme(), "https");
            assert_eq!(url.host_str(), Some("1234567-sb1.app.netsuite.com"));
            assert!(url.path().ends_with(".nl"), "{page:?}");
            assert!(!page.code().is_empty());
        }
    }
}

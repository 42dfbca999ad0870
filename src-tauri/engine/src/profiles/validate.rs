//! Every rule a profile file must keep, checked when the embedded profiles are parsed and by
//! `every_embedded_profile_validates`: each problem is one line naming the profile and the step.

use super::*;

impl ConnectorProfile {
    /// Every rule a profile file must keep. Each problem is one line naming the profile and step.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        let who = if self.id.is_empty() {
            "(no id)"
        } else {
            self.id.as_str()
        };
        let mut err = |at: &str, msg: String| {
            errors.push(if at.is_empty() {
                format!("{who}: {msg}")
            } else {
                format!("{who} {at}: {msg}")
            })
        };

        if let Some(n) = &self.release_notice {
            if n.title.trim().is_empty() || n.points.is_empty() || n.points.iter().any(|p| p.trim().is_empty()) {
                err(
                    "",
                    "release_notice needs a title and at least one point, none empty".to_string(),
                );
            }
        }
        // The profile itself.
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            err("", format!("id `{}` must be lower-case letters, digits or _", self.id));
        }
        for (what, text) in [
            ("name", &self.name),
            ("short_name", &self.short_name),
            ("summary", &self.summary),
            ("signed_test_note", &self.signed_test_note),
            ("hand_off.title", &self.hand_off.title),
            ("hand_off.intro", &self.hand_off.intro),
        ] {
            if text.trim().is_empty() {
                err("", format!("{what} is empty"));
            }
        }
        if self.code_prefix.is_empty() || !self.code_prefix.chars().all(|c| c.is_ascii_uppercase()) {
            err(
                "",
                format!("code_prefix `{}` must be upper-case letters", self.code_prefix),
            );
        }
        if let Some(g) = &self.guide {
            if g.publisher.trim().is_empty() || g.title.trim().is_empty() {
                err("", "guide needs a publisher and a title".into());
            }
        }
        for (what, url) in self.external_urls() {
            match Url::parse(url) {
                Ok(u)
                    if u.scheme() == "https"
                        && u.host_str().is_some_and(|h| h.contains('.'))
                        && u.username().is_empty()
                        && u.password().is_none() => {}
                _ => err("", format!("{what} `{url}` must be a plain https address")),
            }
        }
        if let Some(link) = &self.connector_page {
            if link.label.trim().is_empty() {
                err("", "connector_page.label is empty".into());
            }
        }

        // Step codes: unique, in order, with the prefix.
        if self.steps.is_empty() {
            err("", "has no steps".into());
        }
        let mut seen_codes = BTreeSet::new();
        let letters = self
            .steps
            .first()
            .and_then(|s| s.code.rsplit('-').next())
            .is_some_and(|s| s.chars().all(|c| c.is_ascii_uppercase()));
        for (i, step) in self.steps.iter().enumerate() {
            let expected_suffix = if letters {
                u8::try_from(i)
                    .ok()
                    .and_then(|i| b'A'.checked_add(i))
                    .map(|b| char::from(b).to_string())
                    .unwrap_or_default()
            } else {
                (i + 1).to_string()
            };
            let expected = format!("{}-{expected_suffix}", self.code_prefix);
            if !seen_codes.insert(step.code.as_str()) {
                err(&step.code, "step code used twice".into());
            }
            if step.code != expected {
                err(&step.code, format!("step {} should have the code {expected}", i + 1));
            }
            if let Some(n) = &step.number {
                if step.code.rsplit('-').next() != Some(n.as_str()) {
                    err(&step.code, format!("the guide's number `{n}` does not match the code"));
                }
            }
            self.validate_step(step, &mut err);
        }

        // What is collected, and where.
        let mut collected: BTreeMap<Collect, usize> = BTreeMap::new();
        for step in &self.steps {
            for c in &step.collects {
                *collected.entry(*c).or_default() += 1;
            }
        }
        let (required, required_m2m) = self.auth.collects(self.signed_test);
        for field in Field::ALL {
            let n = collected.get(&Collect::Secret(field)).copied().unwrap_or(0);
            let want = usize::from(required.contains(&field));
            if n != want {
                err(
                    "",
                    format!(
                        "{} is collected {n} times; a profile that {} collects it {want} time{}",
                        field.code(),
                        self.auth.profile_phrase(self.signed_test),
                        if want == 1 { "" } else { "s" }
                    ),
                );
            }
        }
        if collected.get(&Collect::AccountId).copied().unwrap_or(0) > 1 {
            err("", "account_id is collected more than once".into());
        }
        for what in Collect::M2M {
            let n = collected.get(&what).copied().unwrap_or(0);
            let want = usize::from(required_m2m.contains(&what));
            if n != want {
                err(
                    "",
                    format!(
                        "{what} is collected {n} times; a profile that uses {} collects it {want} time{}",
                        self.auth.short_name(),
                        if want == 1 { "" } else { "s" }
                    ),
                );
            }
        }
        if !self.auth.may_skip_signed_test() && !self.signed_test {
            err(
                "",
                "an OAuth 2.0 profile makes its own key, so its test signs (signed_test: true)".into(),
            );
        }
        if let (Some(k), Some(m)) = (
            self.step_index_collecting(Collect::KeyCertificate),
            self.step_index_collecting(Collect::CertificateId),
        ) {
            if k > m {
                err(
                    "",
                    "the key and certificate are made before the mapping that uploads the certificate".into(),
                );
            }
        }

        // The signed test needs a role that can sign in to REST web services.
        if self.signed_test {
            let essentials = self.auth.rest_essentials();
            for (subtab, label) in essentials {
                let present = self
                    .steps
                    .iter()
                    .flat_map(Step::permissions)
                    .any(|i| i.label == label && i.subtab.as_deref() == Some(subtab) && !i.selectable);
                if !present {
                    err(
                        "",
                        format!(
                            "the signed test runs, so the role needs the permission {subtab} > {label} (required, not selectable)"
                        ),
                    );
                }
            }
        }

        // The hand-off.
        if let Some(code) = &self.hand_off.step {
            match self.step(code) {
                Some(s) if s.place == Place::Connector => {}
                Some(_) => err("", format!("hand_off.step {code} is not a connector step")),
                None => err("", format!("hand_off.step {code} is not a step")),
            }
        }
        if self.hand_off.fields.is_empty() {
            err("", "hand_off has no fields".into());
        }
        let mut labels = BTreeSet::new();
        for f in &self.hand_off.fields {
            if f.label.trim().is_empty() {
                err("", "a hand_off field has no label".into());
            } else if !labels.insert(f.label.as_str()) {
                err("", format!("hand_off field `{}` appears twice", f.label));
            }
            match &f.value {
                HandOffValue::Secret { field } if !collected.contains_key(&Collect::Secret(*field)) => {
                    err(
                        "",
                        format!(
                            "hand_off field `{}` hands over {} but no step collects it",
                            f.label,
                            field.code()
                        ),
                    );
                }
                value if !self.auth.hands_off(value) => {
                    err(
                        "",
                        format!(
                            "hand_off field `{}` gives an OAuth 2.0 value, but this profile uses TBA",
                            f.label
                        ),
                    );
                }
                HandOffValue::Fixed { text } if text.trim().is_empty() => {
                    err("", format!("hand_off field `{}` has an empty text", f.label));
                }
                _ => {}
            }
        }

        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn validate_step(&self, step: &Step, err: &mut impl FnMut(&str, String)) {
        let at = step.code.as_str();
        for (what, text) in [("title", &step.title), ("short_title", &step.short_title)] {
            if text.trim().is_empty() {
                err(at, format!("{what} is empty"));
            }
        }
        if step.short_title.chars().count() > 24 {
            err(
                at,
                "short_title is longer than 24 characters (it goes in the rail)".into(),
            );
        }
        if step.instructions.is_empty() || step.instructions.len() > 4 {
            err(
                at,
                format!(
                    "has {} instruction sentences; 1 to 4 are allowed",
                    step.instructions.len()
                ),
            );
        }
        if step.instructions.iter().chain(&step.tips).any(|t| t.trim().is_empty()) {
            err(at, "an instruction or tip is empty".into());
        }

        match step.place {
            Place::Netsuite => {
                match &step.menu_path {
                    Some(path) => check_menu_path(at, path, err),
                    None => err(at, "a NetSuite step needs its menu path".into()),
                }
                if step.page.is_none() {
                    err(at, "a NetSuite step needs a page to open".into());
                }
            }
            Place::Wizard => {
                if step.page.is_some()
                    || step.menu_path.is_some()
                    || step.open_hint.is_some()
                    || !step.also_open.is_empty()
                {
                    err(at, "a step in the wizard opens no NetSuite page".into());
                }
                if step.collects != [Collect::KeyCertificate] {
                    err(
                        at,
                        "a step in the wizard makes the key and certificate (collects key_certificate), and only that"
                            .into(),
                    );
                }
            }
            Place::Connector => {
                if step.page.is_some() || step.menu_path.is_some() || step.open_hint.is_some() {
                    err(
                        at,
                        "a connector step has no NetSuite page, menu path or open hint".into(),
                    );
                }
                if !step.also_open.is_empty() {
                    err(at, "a connector step opens no NetSuite pages".into());
                }
                if !step.collects.is_empty() {
                    err(at, "a connector step collects nothing".into());
                }
                if self.connector_page.is_none() {
                    err(at, "a connector step needs the profile's connector_page".into());
                }
            }
        }
        for extra in &step.also_open {
            if extra.label.trim().is_empty() {
                err(at, "an also_open entry has no label".into());
            }
            check_menu_path(at, &extra.menu_path, err);
        }

        let mut seen = BTreeSet::new();
        for c in &step.collects {
            if !seen.insert(*c) {
                err(at, format!("collects {c} twice"));
            }
        }

        if step.checklist.is_empty() {
            err(at, "has an empty checklist".into());
        }
        let mut keys = BTreeSet::new();
        for item in &step.checklist {
            let key = item.key();
            let what = format!("item `{key}`");
            if item.label.trim().is_empty() {
                err(at, "a checklist item has no label".into());
            }
            if !keys.insert(key.clone()) {
                err(at, format!("{what} appears twice"));
            }
            let boxed = matches!(item.kind, ItemKind::Feature | ItemKind::Checkbox);
            match (boxed, item.state) {
                (true, None) => err(at, format!("{what} needs a state (on or off)")),
                (false, Some(_)) => err(at, format!("{what} is not a box and cannot have a state")),
                _ => {}
            }
            let permission = item.kind == ItemKind::Permission;
            match (permission, item.level) {
                (true, None) => err(at, format!("{what} needs a level (View, Create, Edit or Full)")),
                (false, Some(_)) => err(at, format!("{what} is not a permission and cannot have a level")),
                _ => {}
            }
            if permission && !item.subtab.as_deref().is_some_and(|s| PERMISSION_SUBTABS.contains(&s)) {
                err(
                    at,
                    format!("{what} needs its role subtab, one of {}", PERMISSION_SUBTABS.join(", ")),
                );
            }
            if item.selectable && !permission {
                err(at, format!("{what}: only permissions can be selectable"));
            }
            if let Some(q) = &item.probe {
                if !permission {
                    err(at, format!("{what}: only permissions have probes"));
                }
                let upper = q.trim_start().to_ascii_uppercase();
                if !upper.starts_with("SELECT ") || q.contains(';') {
                    err(
                        at,
                        format!("{what}: a probe is one read-only SuiteQL SELECT without `;`"),
                    );
                }
            }
            if item.added && item.tip.as_deref().is_none_or(|t| t.trim().is_empty()) {
                err(at, format!("{what} is added by the wizard and needs a tip saying why"));
            }
        }
    }
}

fn check_menu_path(at: &str, path: &str, err: &mut impl FnMut(&str, String)) {
    let parts: Vec<&str> = path.split(" > ").collect();
    if parts.len() < 2 || parts.iter().any(|p| p.trim().is_empty() || *p != p.trim()) {
        err(at, format!("menu path `{path}` must be menu names joined by \" > \""));
    }
}

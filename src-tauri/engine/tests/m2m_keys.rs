//! OAuth 2.0 keys and certificates against openssl, an implementation independent of this crate's:
//! keys made by Oracle's recipe and its common variants import, the kinds NetSuite refuses are refused
//! with their reason, and the certificates made here pass `openssl verify` (their self-signature) and
//! carry the dates asked for.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};
use tba_engine::netsuite::oauth2::{import_pair, Certificate, CertificateError, KeyError, KeyKind, PrivateKey};

/// A folder of its own for one test, removed when the test ends (pass or fail).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

fn scratch(name: &str) -> Scratch {
    let d = std::env::temp_dir().join(format!("tba-m2m-keys-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    Scratch(d)
}

/// Runs openssl in `dir`; the test fails (never skips) without it, so a missing tool cannot pass as green.
fn openssl(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl must be installed for these tests");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

/// Oracle's recipe, with the curve or key given as `newkey` arguments.
fn recipe(dir: &Path, newkey: &[&str]) -> (String, String) {
    let mut args = vec!["req", "-new", "-x509", "-nodes", "-days", "365", "-subj", "/CN=recipe"];
    args.extend_from_slice(newkey);
    args.extend_from_slice(&["-out", "public.pem", "-keyout", "private.pem"]);
    openssl(dir, &args);
    (read(dir, "private.pem"), read(dir, "public.pem"))
}

#[test]
fn keys_made_by_oracles_recipe_import() {
    let d = scratch("recipe");
    for (curve, kind) in [
        ("P-256", KeyKind::P256),
        ("P-384", KeyKind::P384),
        ("P-521", KeyKind::P521),
    ] {
        let pkeyopt = format!("ec_paramgen_curve:{curve}");
        let (key, cert) = recipe(&d, &["-newkey", "ec", "-pkeyopt", &pkeyopt]);
        assert!(key.contains("BEGIN PRIVATE KEY"), "the recipe writes PKCS#8");
        let pair = import_pair(&key, &cert, SystemTime::now()).unwrap();
        assert_eq!(pair.key.kind(), kind);
        assert_eq!(pair.certificate.subject, "CN=recipe");
        // The fingerprint is openssl's, colons and case included.
        let openssl_fp = openssl(&d, &["x509", "-in", "public.pem", "-noout", "-fingerprint", "-sha256"]);
        assert_eq!(
            openssl_fp.trim(),
            format!("sha256 Fingerprint={}", pair.certificate.fingerprint)
        );
    }
    let (key, cert) = recipe(&d, &["-newkey", "rsa:3072"]);
    assert_eq!(
        import_pair(&key, &cert, SystemTime::now()).unwrap().key.kind(),
        KeyKind::Rsa3072
    );
}

#[test]
fn traditional_pem_forms_import() {
    let d = scratch("traditional");
    // `ecparam -genkey` writes an EC PARAMETERS block before the SEC1 key.
    openssl(&d, &["ecparam", "-name", "secp384r1", "-genkey", "-out", "ec.pem"]);
    let ec = read(&d, "ec.pem");
    assert!(ec.contains("BEGIN EC PARAMETERS") && ec.contains("BEGIN EC PRIVATE KEY"));
    assert_eq!(PrivateKey::from_pem(&ec).unwrap().kind(), KeyKind::P384);
    openssl(&d, &["genrsa", "-traditional", "-out", "rsa.pem", "4096"]);
    let rsa = read(&d, "rsa.pem");
    assert!(rsa.contains("BEGIN RSA PRIVATE KEY"));
    assert_eq!(PrivateKey::from_pem(&rsa).unwrap().kind(), KeyKind::Rsa4096);
}

#[test]
fn kinds_netsuite_refuses_are_refused_with_their_reason() {
    let d = scratch("refused");
    openssl(&d, &["genrsa", "-out", "rsa2048.pem", "2048"]);
    let e = PrivateKey::from_pem(&read(&d, "rsa2048.pem")).unwrap_err();
    assert_eq!(e, KeyError::RsaTooSmall { bits: 2048 });
    assert!(e.to_string().contains("refuses RSA 2048"), "{e}");
    openssl(&d, &["genrsa", "-traditional", "-out", "rsa2048t.pem", "2048"]);
    assert_eq!(
        PrivateKey::from_pem(&read(&d, "rsa2048t.pem")).unwrap_err(),
        KeyError::RsaTooSmall { bits: 2048 }
    );
    openssl(
        &d,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:secp256k1",
            "-out",
            "k1.pem",
        ],
    );
    let e = PrivateKey::from_pem(&read(&d, "k1.pem")).unwrap_err();
    assert_eq!(
        e,
        KeyError::OtherCurve {
            curve: "secp256k1".into()
        }
    );
    assert!(e.to_string().contains("P-256, P-384 or P-521"));
    openssl(
        &d,
        &[
            "ecparam",
            "-name",
            "brainpoolP256r1",
            "-genkey",
            "-noout",
            "-out",
            "bp.pem",
        ],
    );
    assert_eq!(
        PrivateKey::from_pem(&read(&d, "bp.pem")).unwrap_err(),
        KeyError::OtherCurve {
            curve: "brainpoolP256r1".into()
        }
    );
    openssl(&d, &["genpkey", "-algorithm", "ED25519", "-out", "ed.pem"]);
    assert!(matches!(
        PrivateKey::from_pem(&read(&d, "ed.pem")).unwrap_err(),
        KeyError::OtherKind { what } if what.contains("Ed25519")
    ));
    openssl(
        &d,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-aes256",
            "-pass",
            "pass:x",
            "-out",
            "enc.pem",
        ],
    );
    assert_eq!(
        PrivateKey::from_pem(&read(&d, "enc.pem")).unwrap_err(),
        KeyError::Encrypted
    );
}

#[test]
fn a_key_and_another_pairs_certificate_are_refused() {
    let d = scratch("mismatch");
    let (key, _) = recipe(&d, &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]);
    let (_, other_cert) = recipe(&d, &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]);
    assert_eq!(
        import_pair(&key, &other_cert, SystemTime::now()).unwrap_err(),
        CertificateError::KeyMismatch
    );
    let year_and_a_day = SystemTime::now() + Duration::from_secs(366 * 86_400);
    let (key, cert) = recipe(&d, &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]);
    assert!(matches!(
        import_pair(&key, &cert, year_and_a_day).unwrap_err(),
        CertificateError::Expired(_)
    ));
}

#[test]
fn certificates_made_here_pass_openssl_verify() {
    let d = scratch("made");
    for kind in [KeyKind::P256, KeyKind::P384, KeyKind::P521, KeyKind::Rsa3072] {
        let key = PrivateKey::generate(kind).unwrap();
        let cert = Certificate::self_signed(&key, "tba-wizard test", 730, SystemTime::now()).unwrap();
        std::fs::write(d.join("made.pem"), &cert.pem).unwrap();
        // Verifies the self-signature with the certificate as its own trust anchor.
        let verdict = openssl(&d, &["verify", "-CAfile", "made.pem", "-check_ss_sig", "made.pem"]);
        assert_eq!(verdict.trim(), "made.pem: OK", "{kind}");
        let text = openssl(
            &d,
            &["x509", "-in", "made.pem", "-noout", "-subject", "-enddate", "-pubkey"],
        );
        assert!(text.contains("subject=CN = tba-wizard test"), "{text}");
        // The key openssl reads from the certificate is the key's own public half.
        let pubkey_pem = &text[text.find("-----BEGIN PUBLIC KEY-----").unwrap()..];
        std::fs::write(d.join("pub.pem"), pubkey_pem).unwrap();
        let der = Command::new("openssl")
            .args(["pkey", "-pubin", "-in", "pub.pem", "-outform", "DER"])
            .current_dir(&*d)
            .output()
            .unwrap()
            .stdout;
        assert!(key.matches_public_key(&der), "{kind}");
        // And the exported PEM is one openssl reads as the same key.
        std::fs::write(d.join("key.pem"), key.to_pkcs8_pem().unwrap().as_bytes()).unwrap();
        openssl(&d, &["pkey", "-in", "key.pem", "-pubout", "-out", "from_key.pem"]);
        assert_eq!(read(&d, "from_key.pem").trim(), pubkey_pem.trim(), "{kind}");
    }
}

//! How long signing one request takes (OAuth 1.0a HMAC-SHA256: base string, key, HMAC, header), for
//! `npm run bench`. Build with `--release`; a debug build is many times slower and says so.
//!
//! Prints the median over batches of the time per signature, with a fresh nonce each time as the
//! client makes them, and the same without making the nonce (the signer alone).

use std::hint::black_box;
use std::time::Instant;
use tba_engine::netsuite::oauth1::{new_nonce, sign};
use tba_engine::Credentials;
use url::Url;

fn median_ns(batches: usize, per_batch: u32, mut one: impl FnMut()) -> f64 {
    let mut samples: Vec<f64> = (0..batches)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_batch {
                one();
            }
            start.elapsed().as_nanos() as f64 / f64::from(per_batch)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let creds = Credentials::new(&"a1".repeat(32), &"b2".repeat(32), &"c3".repeat(32), &"d4".repeat(32));
    let url =
        Url::parse("https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?limit=1&offset=0")
            .unwrap();
    // Warm up caches and the allocator before measuring.
    let _ = median_ns(5, 2_000, || {
        black_box(sign("GET", &url, "1234567_SB1", &creds, "abcdefghijk", 1_700_000_000));
    });
    let signer = median_ns(31, 5_000, || {
        black_box(sign(
            "GET",
            black_box(&url),
            "1234567_SB1",
            &creds,
            "abcdefghijk",
            1_700_000_000,
        ));
    });
    let with_nonce = median_ns(31, 5_000, || {
        let nonce = new_nonce();
        black_box(sign(
            "GET",
            black_box(&url),
            "1234567_SB1",
            &creds,
            &nonce,
            1_700_000_000,
        ));
    });
    let build = if cfg!(debug_assertions) {
        "debug build: build with --release for real figures"
    } else {
        "release build"
    };
    println!("Signing one request ({build}), median of 31 batches:");
    println!("  signer alone            {:7.2} µs", signer / 1000.0);
    println!(
        "  with a fresh nonce      {:7.2} µs   (target: under 5 µs)",
        with_nonce / 1000.0
    );
}

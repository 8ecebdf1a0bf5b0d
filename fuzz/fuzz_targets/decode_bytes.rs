//! Any bytes: decoding then cleaning never panics.
#![no_main]

use deboil::read::{Loaded, decode};
use deboil::{Cleaner, Config};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Loaded::Text(decoded) = decode(bytes.to_vec()) {
        let _ = Cleaner::new(Config::default()).clean(&decoded.text);
    }
});

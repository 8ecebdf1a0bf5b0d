//! Any bytes as a census file: reading is an error or a census, never a panic; a census read
//! writes back to the same bytes.
#![no_main]

use deboil::Census;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(census) = Census::from_bytes(bytes, std::path::Path::new("fuzz.census")) {
        assert_eq!(census.to_bytes(), bytes);
    }
});
